/**
 * The deterministic simulator: a host for the consensus core with a simulated network, clock and
 * disk, every random choice drawn from one seed. It decides nothing about a run: the run pipeline
 * (src/run/, through worlds/sim-world.ts) applies faults and runs clients on it.
 *
 *   new Simulation(simClusterConfig({ seed, voters, observers }), quorumNodeCore()).at(ms, action).runScript(endMs)
 *   new SimDriver(simulation, { simulatedMsMax })   run it for asynchronous callers
 *   formatTranscript(...)                          golden transcripts of scenarios
 *
 * The parts: event-queue.ts (the agenda), sim-network.ts, sim-disk.ts, sim-node.ts (the host of
 * one core), sim-metadata-port.ts and sim-kafka-front.ts (a node's Kafka front for clients),
 * simulation.ts (the loop), sim-driver.ts, sim-cluster-config.ts (what a seed draws).
 */
export { SeededRandom, SEED_MAX } from './random.js';
export { parseConditionList, simClusterConfig, SIM_CONDITIONS, type SimClusterConfig, type SimClusterOptions, type SimCondition } from './sim-cluster-config.js';
export { Simulation, type ClientCallOutcome, type ScriptControls, type SimulationHooks, type SimulationOutcome } from './simulation.js';
export { SimDriver } from './sim-driver.js';
export { formatEventLine, formatTranscript, CONSENSUS_KINDS } from './transcript.js';
export type { ConsensusCore, CoreFactory } from './consensus-core.js';
export { quorumNodeCore } from './quorum-node-core.js';
