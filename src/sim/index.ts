/**
 * The deterministic simulator's public API. One seed derives a whole run: cluster size, faults,
 * clients, every delay and every random choice of every node.
 *
 *   runSeed({ seed })                    one run, judged (invariants, liveness, linearizability)
 *   runSeeds({ baseSeed, count, jobs })  many runs on worker threads, summarized
 *   new Simulation(config, core).at(ms, action).runScript(endMs)   scripted scenarios
 *   formatTranscript(...)                golden transcripts of scenarios
 *
 * The parts: event-queue.ts (the agenda), sim-network.ts, sim-disk.ts, sim-node.ts (the host of
 * one core), sim-client.ts and workload.ts (clients), nemesis.ts (faults, shapes from faults/),
 * simulation.ts (the loop and phases), run-config.ts (what a seed draws), run-directory.ts.
 */
export { SeededRandom, SEED_MAX } from './random.js';
export { FAULT_KINDS, parseFaultList, resolveRunConfig, type FaultKind, type SimRunConfig, type SimRunOptions } from './run-config.js';
export { replayCommand, runSeed, type SeedResult, type SeedRunOptions } from './run-seed.js';
export { runSeeds, type BatchOptions } from './seed-batch.js';
export { runSeedSummary, type SeedSummary } from './seed-summary.js';
export { Simulation, type ScriptControls, type SimulationHooks, type SimulationOutcome } from './simulation.js';
export { defaultRunDirectory, writeRunDirectory } from './run-directory.js';
export { formatTranscript, CONSENSUS_KINDS } from './transcript.js';
export type { ConsensusCore, CoreFactory } from './consensus-core.js';
export { quorumNodeCore } from './quorum-node-core.js';
