/**
 * The simulator as a World: a Simulation (src/sim) of the topology's nodes, driven on demand by a
 * SimDriver so the pipeline's awaits advance simulated time, with clients that reach the nodes
 * through quorumd's own Kafka request handlers (sim/sim-kafka-front.ts). One seed derives every
 * choice, so the same seed and options give a byte-identical history and node event stream.
 *
 * Beyond the World contract, the simulator has conditions of its medium (background message
 * loss, duplication, reordering, torn writes; sim/sim-cluster-config.ts), drawn from the seed
 * unless given, and in force until `healAll` calms the network for the recovery phase.
 *
 * Collecting the node logs ends the simulation: the pipeline then works on real time (files, the
 * checker) and simulated time must not advance behind its back.
 */
import type { InvariantChecker } from '../../checker/invariants/invariant-checker.js';
import { resolveUnsafeSwitches } from '../../core/bug-switches.js';
import type { ClientResponse } from '../../core/host-interface.js';
import { HEALED, validateGrudge, type Grudge } from '../../faults/grudge.js';
import { kafkaCompletion, type KafkaOutcome } from '../../history/kafka-completion.js';
import type { NodeEvent } from '../../history/node-event.js';
import { writeNodeEventsFile, writeNodeLogFile } from '../../history/run-directory-format.js';
import { TOPIC_FUNCTIONS, type CreateTopicInput, type TopicFunction } from '../../history/topic-operations.js';
import type { CoreFactory } from '../../sim/consensus-core.js';
import { quorumNodeCore } from '../../sim/quorum-node-core.js';
import type { SeededRandom } from '../../sim/random.js';
import { simClusterConfig, type SimClusterConfig, type SimCondition } from '../../sim/sim-cluster-config.js';
import { SimDriver } from '../../sim/sim-driver.js';
import { handlerOptionsFor, serveCreateTopics, serveTopicOperation, type ServedOperation } from '../../sim/sim-kafka-front.js';
import { simCoreSettings } from '../../sim/sim-node-config.js';
import { Simulation, type ClientCallOutcome, type SimulationHooks } from '../../sim/simulation.js';
import { simulatedNodeLog } from '../../sim/transcript.js';
import type { RunPlan } from '../pipeline.js';
import { quorumdVersion } from '../system-version.js';
import {
  WorldSetupError, type ClientCompletion, type ClientOperation, type CollectedNodeLog, type GrantedVote, type LeaderInfo, type MembershipMechanisms,
  type MembershipOutcome, type OnVoteKilled, type Topology, type VoteKillWatch, type VoterKey, type World, type WorldClient, type WorldOptions,
} from '../world.js';
import type { VoterChange } from '../../core/raft/voter-changes.js';

export interface SimWorldOptions extends WorldOptions {
  /** The simulator's conditions; null: drawn from the seed. */
  conditions: readonly SimCondition[] | null;
  /** Simulated ms after which a run still waiting is stuck (see SimDriver). */
  simulatedMsMax: number;
  /** Tests: a disk that lies about fsync, progress reports. */
  hooks?: SimulationHooks;
  /** Tests: another core than QuorumNode. */
  makeCore?: CoreFactory;
  /** Tests: wraps the world's own core (with the seed's settings) to watch it. */
  wrapCore?: (core: CoreFactory) => CoreFactory;
}

/** A simulated client gives up on an operation after this long (it is then `info`). */
export const SIM_REQUEST_TIMEOUT_MS = 5_000;
/** What the client puts in a request's own timeout: a little less, so the broker answers first. */
const BROKER_TIMEOUT_MARGIN_MS = 500;

export async function createSimWorld(options: SimWorldOptions): Promise<SimWorld> {
  let config: SimClusterConfig;
  let makeCore: CoreFactory;
  try {
    const core = simCoreSettings(options.nodeConfig);
    const spares = options.topology.spares;
    // A bug switch without the unsafe flag is refused here, by name, before any node starts.
    resolveUnsafeSwitches(core.bugSwitches as string[] | undefined, core.unsafeBugSwitchesEnabled as boolean | undefined);
    config = simClusterConfig({
      seed: options.seed,
      voters: options.topology.controllers,
      observers: options.topology.roles === 'isolated' ? options.topology.brokers : [],
      combined: options.topology.roles === 'combined',
      spares,
      ...(options.conditions === null ? {} : { conditions: options.conditions }),
      core,
      drawSnapshotInterval: true,
    });
    const membership = spares.length === 0 ? null : { seed: options.seed, nodes: { voters: options.topology.controllers, spares } };
    makeCore = options.makeCore ?? quorumNodeCore(config.core, options.topology.roles === 'isolated', membership);
    if (options.wrapCore !== undefined) makeCore = options.wrapCore(makeCore);
  } catch (error) {
    throw new WorldSetupError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  return new SimWorld(options, config, makeCore);
}

export class SimWorld implements World {
  readonly kind = 'sim' as const;
  readonly system = 'quorumd';
  readonly systemVersion = quorumdVersion();
  readonly topology: Topology;
  readonly restartAllowanceMs = 0;
  readonly requestTimeoutMs = SIM_REQUEST_TIMEOUT_MS;
  readonly simulation: Simulation;
  readonly clock: World['clock'];
  readonly halted: Promise<string>;
  private readonly driver: SimDriver;
  private readonly strobes = new Map<number, number>();
  private readonly handlerOptions: ReturnType<typeof handlerOptionsFor>;
  private readonly timing = { requestTimeoutMs: SIM_REQUEST_TIMEOUT_MS - BROKER_TIMEOUT_MARGIN_MS };
  readonly membership?: MembershipMechanisms;
  /** The vote-kill in force: told every node event; and the nodes it has armed (process faults disarm them). */
  private voteKill: ((event: NodeEvent) => void) | null = null;
  private readonly voteKillArmed = new Set<number>();

  constructor(options: SimWorldOptions, readonly config: SimClusterConfig, makeCore: CoreFactory) {
    this.topology = options.topology;
    const hooks = options.hooks ?? {};
    // A vote-kill in force sees every event too, after the caller's hook.
    this.simulation = new Simulation(config, makeCore, { ...hooks, onEvent: (event) => {
      hooks.onEvent?.(event);
      this.voteKill?.(event);
    } });
    this.driver = new SimDriver(this.simulation, { simulatedMsMax: options.simulatedMsMax });
    this.halted = this.driver.halted;
    const simulation = this.simulation;
    const driver = this.driver;
    this.clock = { nowMs: () => simulation.nowMs(), sleep: (ms) => driver.sleep(ms) };
    const readConsistency = options.nodeConfig['metadata.read.consistency'] === 'cached' ? 'cached' : 'linearizable';
    // The brokers' Kafka front, on simulated time: what every client call goes through.
    this.handlerOptions = handlerOptionsFor(
      { nowMs: () => simulation.nowMs(), sleep: (ms) => driver.sleep(ms), wallNowMs: () => simulation.nowMs() },
      readConsistency, this.requestTimeoutMs - BROKER_TIMEOUT_MARGIN_MS,
    );
    if (config.spares.length > 0) this.membership = new SimMembershipMechanisms(this);
  }

  // ---------------------------------------------------------------- faults

  async applyGrudge(grudge: Grudge): Promise<void> {
    validateGrudge(grudge, this.simulation.nodeIds);
    this.simulation.partition(grudge);
  }

  async setPacketLoss(nodes: readonly number[], probability: number): Promise<void> {
    for (const node of nodes) this.nodeId(node);
    this.simulation.setLossInto(nodes, nodes.length === 0 ? 0 : probability);
  }

  async kill(nodeId: number): Promise<void> {
    this.voteKillArmed.delete(nodeId);
    this.simulation.crash(this.nodeId(nodeId));
  }

  async start(nodeId: number): Promise<void> {
    this.simulation.restart(this.nodeId(nodeId));
  }

  /**
   * An armed node that grants a vote crashes right after the step that granted it (what it
   * persisted and sent with the vote is out by then), as selftest's crash-after-vote does.
   */
  async killOnVote(onKilled: OnVoteKilled): Promise<VoteKillWatch> {
    const armed = this.voteKillArmed;
    const simulation = this.simulation;
    armed.clear();
    this.voteKill = (event) => {
      if (event.kind !== 'vote-granted' || !armed.has(event.node) || typeof event.votedFor !== 'number') return;
      armed.delete(event.node);
      const vote: GrantedVote = { node: event.node, epoch: event.epoch, votedFor: event.votedFor };
      simulation.after(0, () => {
        if (simulation.nodeStatus(vote.node) !== 'running') {
          onKilled(vote, simulation.nowMs(), new Error(`node ${vote.node} was no longer running`));
          return;
        }
        simulation.crash(vote.node);
        onKilled(vote, simulation.nowMs());
      });
    };
    return {
      arm: async (node) => {
        if (simulation.nodeStatus(this.nodeId(node)) !== 'running') throw new Error(`node ${node} is not running: it cannot be armed`);
        armed.add(node);
      },
      stop: async () => {
        armed.clear();
        this.voteKill = null;
      },
    };
  }

  async pause(nodeId: number): Promise<void> {
    this.voteKillArmed.delete(nodeId);
    this.simulation.pause(this.nodeId(nodeId));
  }

  async resume(nodeId: number): Promise<void> {
    this.simulation.resume(this.nodeId(nodeId));
  }

  async stop(nodeId: number): Promise<void> {
    this.voteKillArmed.delete(nodeId);
    this.simulation.stop(this.nodeId(nodeId));
  }

  async setClockOffset(nodeId: number, offsetMs: number): Promise<void> {
    this.strobes.set(nodeId, (this.strobes.get(nodeId) ?? 0) + 1);
    this.simulation.setClockOffset(this.nodeId(nodeId), offsetMs);
  }

  async strobeClock(nodeId: number, deltaMs: number, periodMs: number, durationMs: number): Promise<void> {
    if (!(periodMs >= 1)) throw new RangeError(`strobe period must be at least 1 ms, got ${periodMs}`);
    const simulation = this.simulation;
    const generation = (this.strobes.get(nodeId) ?? 0) + 1;
    this.strobes.set(nodeId, generation);
    const endMs = simulation.nowMs() + durationMs;
    let shifted = true;
    simulation.setClockOffset(this.nodeId(nodeId), deltaMs);
    const flip = (): void => {
      if (this.strobes.get(nodeId) !== generation) return;
      if (simulation.nowMs() >= endMs) {
        simulation.setClockOffset(nodeId, 0);
        return;
      }
      shifted = !shifted;
      simulation.setClockOffset(nodeId, shifted ? deltaMs : 0);
      simulation.after(periodMs, flip);
    };
    simulation.after(periodMs, flip);
  }

  async healAll(): Promise<void> {
    const simulation = this.simulation;
    simulation.reconfigureNetwork(this.config.healedNetwork);
    simulation.partition(HEALED);
    simulation.setLossInto([], 0);
    for (const nodeId of simulation.nodeIds) {
      this.strobes.set(nodeId, (this.strobes.get(nodeId) ?? 0) + 1);
      simulation.setClockOffset(nodeId, 0);
      const status = simulation.nodeStatus(nodeId);
      if (status === 'crashed' || status === 'stopped') simulation.restart(nodeId);
      if (status === 'paused') simulation.resume(nodeId);
    }
  }

  // ---------------------------------------------------------------- observation

  async leader(): Promise<LeaderInfo | null> {
    return this.simulation.leader();
  }

  async openClient(process: number): Promise<WorldClient> {
    return new SimWorldClient(this, this.simulation.fork(`client-process-${process}`));
  }

  async collectNodeLogs(runDir: string | null): Promise<CollectedNodeLog[]> {
    this.driver.stop();
    const byNode = new Map<number, NodeEvent[]>(this.topology.nodes.map((node) => [node.id, []]));
    for (const event of this.simulation.events) byNode.get(event.node)?.push(event);
    const logs: CollectedNodeLog[] = [];
    for (const node of this.topology.nodes) {
      const events = byNode.get(node.id) ?? [];
      let logFile: string | null = null;
      let eventsFile: string | null = null;
      if (runDir !== null) {
        eventsFile = await writeNodeEventsFile(runDir, node.id, events);
        logFile = await writeNodeLogFile(runDir, node.id, simulatedNodeLog(node.id, events));
      }
      logs.push({ nodeId: node.id, roles: node.roles, events, logFile, eventsFile, missing: null });
    }
    return logs;
  }

  liveNodeEvents(): readonly NodeEvent[] {
    return this.simulation.events;
  }

  liveInvariants(): InvariantChecker {
    return this.simulation.invariants;
  }

  figures(): Readonly<Record<string, number>> {
    const stats = this.simulation.stats();
    return {
      simulatedMs: this.simulation.nowMs(), queueEvents: stats.queueEvents, nodeEvents: stats.nodeEvents,
      messages: stats.sent, messagesLost: stats.lost, messagesDuplicated: stats.duplicated,
      messagesDroppedByPartition: stats.droppedByPartition, spinningWakes: stats.spinningWakes,
      // Drawn from the seed unless --node-config set it (sim/sim-snapshot-interval.ts); absent: the node's default.
      ...(typeof this.config.core.snapshotIntervalEntries === 'number' ? { snapshotIntervalEntries: this.config.core.snapshotIntervalEntries } : {}),
      ...(typeof this.config.core.logRetentionEntries === 'number' ? { logRetentionEntries: this.config.core.logRetentionEntries } : {}),
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.driver.stop();
  }

  /**
   * Waits for what `register` starts to answer (a node's response), or null after the world's
   * request timeout of simulated time.
   */
  ask<T>(register: (resolve: (value: T | null) => void) => void): Promise<T | null> {
    const simulation = this.simulation;
    return this.driver.wait<T | null>((settle) => {
      let done = false;
      const finish = (value: T | null): void => {
        if (done) return;
        done = true;
        simulation.markSettled();
        settle(value);
      };
      register(finish);
      simulation.afterInOrder(this.requestTimeoutMs, () => finish(null));
    });
  }

  /** One client operation on a random broker; `settle` hears its completion. */
  call(operation: TopicOperation, random: SeededRandom): Promise<ClientCompletion> {
    const simulation = this.simulation;
    const { handlerOptions, timing } = this;
    return this.driver.wait<ClientCompletion>((settle) => {
      const nodeId = random.pick(this.config.brokers);
      const serve = (port: Parameters<typeof serveTopicOperation>[0]): Promise<ServedOperation> =>
        serveTopicOperation(port, handlerOptions, timing, operation.f, operation.value);
      simulation.clientCall(nodeId, this.requestTimeoutMs, serve, (outcome: ClientCallOutcome<ServedOperation>) => {
        settle(clientCompletion(operation.f, outcome, nodeId));
      });
    });
  }

  /** create-topic operations in one CreateTopics request on a random broker; their completions, in order. */
  callTogether(operations: readonly TopicOperation[], random: SeededRandom): Promise<ClientCompletion[]> {
    const simulation = this.simulation;
    const { handlerOptions, timing } = this;
    const inputs = operations.map((operation) => operation.value as CreateTopicInput);
    return this.driver.wait<ClientCompletion[]>((settle) => {
      const nodeId = random.pick(this.config.brokers);
      const serve = (port: Parameters<typeof serveCreateTopics>[0]): Promise<ServedOperation[]> => serveCreateTopics(port, handlerOptions, timing, inputs);
      simulation.clientCall(nodeId, this.requestTimeoutMs, serve, (outcome: ClientCallOutcome<ServedOperation[]>) => {
        settle(operations.map((operation, i): ClientCompletion => {
          const one: ClientCallOutcome<ServedOperation> = outcome.kind === 'answer' ? { kind: 'answer', value: outcome.value[i]! } : outcome;
          return clientCompletion(operation.f, one, nodeId);
        }));
      });
    });
  }

  private nodeId(nodeId: number): number {
    if (!this.simulation.nodeIds.includes(nodeId)) {
      throw new RangeError(`no node ${nodeId} in this simulated cluster (nodes ${this.simulation.nodeIds.join(', ')})`);
    }
    return nodeId;
  }
}

/**
 * Voter changes in the simulator: asked of the leader (or, with none known, any running
 * controller, which forwards them), answered when the new voter set commits, or `unknown` after
 * the world's request timeout.
 */
class SimMembershipMechanisms implements MembershipMechanisms {
  constructor(private readonly world: SimWorld) {}

  async voters(): Promise<VoterKey[] | null> {
    const leader = this.world.simulation.leader();
    if (leader === null) return null;
    const response = await this.world.ask<ClientResponse<'describeQuorum'>>((resolve) => {
      this.world.simulation.describeQuorumVia(leader.nodeId, this.world.requestTimeoutMs, resolve);
    });
    if (response === null || response.outcome !== 'ok') return null;
    return response.result.voters.map((voter) => ({ nodeId: voter.nodeId, directoryId: voter.directoryId ?? '' }));
  }

  directoryOf(nodeId: number): string {
    return this.world.simulation.directoryOf(nodeId) ?? '';
  }

  addVoter(nodeId: number): Promise<MembershipOutcome> {
    return this.change({ type: 'add', voter: { id: nodeId, directoryId: this.directoryOf(nodeId), endpoints: [] } });
  }

  removeVoter(key: VoterKey): Promise<MembershipOutcome> {
    return this.change({ type: 'remove', id: key.nodeId, directoryId: key.directoryId });
  }

  async replaceDisk(nodeId: number): Promise<string> {
    return this.world.simulation.replaceDisk(nodeId) ?? '';
  }

  private async change(change: VoterChange): Promise<MembershipOutcome> {
    const simulation = this.world.simulation;
    const via = simulation.leader()?.nodeId ?? simulation.runningControllers()[0];
    if (via === undefined) return { outcome: 'failed', error: { code: 'BROKER_NOT_AVAILABLE', message: 'no controller runs' } };
    const response = await this.world.ask<ClientResponse<'changeVoters'>>((resolve) => {
      if (!simulation.changeVoters(via, change, this.world.requestTimeoutMs, resolve)) resolve(null);
    });
    if (response === null) return { outcome: 'unknown', error: { code: 'REQUEST_TIMED_OUT', message: `no answer from node ${via} in time` } };
    if (response.outcome === 'ok') return { outcome: 'ok' };
    return { outcome: response.outcome, error: { code: response.error.code, message: response.error.message } };
  }
}

type TopicOperation = ClientOperation & { f: TopicFunction };

function isTopicOperation(operation: ClientOperation): operation is TopicOperation {
  return (TOPIC_FUNCTIONS as readonly string[]).includes(operation.f);
}

class SimWorldClient implements WorldClient {
  private closed = false;

  constructor(private readonly world: SimWorld, private readonly random: SeededRandom) {}

  invoke(operation: ClientOperation): Promise<ClientCompletion> {
    if (this.closed) throw new Error('invoke on a closed client');
    if (!isTopicOperation(operation)) throw new RangeError(`the simulator's clients speak topic operations only, got '${operation.f}'`);
    return this.world.call(operation, this.random);
  }

  invokeTogether(operations: ClientOperation[]): Promise<ClientCompletion[]> {
    if (this.closed) throw new Error('invoke on a closed client');
    for (const operation of operations) {
      if (operation.f !== 'create-topic') throw new RangeError(`only create-topic operations go in one request together, got '${operation.f}'`);
    }
    return this.world.callTogether(operations as TopicOperation[], this.random);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * What a client call on `nodeId` came to, with where its write was acknowledged. Built whole, in
 * one shape per type: spread from kafkaCompletion and then grown a property at a time, it cost
 * more than the rest of the completion's way back (every client operation comes through here).
 */
function clientCompletion(f: TopicFunction, outcome: ClientCallOutcome<ServedOperation>, nodeId: number): ClientCompletion {
  const completion = kafkaCompletion(f, toKafkaOutcome(outcome));
  if (completion.type !== 'ok') return { type: completion.type, error: completion.error, node: nodeId };
  const committed = outcome.kind === 'answer' ? outcome.value.committed : undefined;
  return committed === undefined ? { type: 'ok', value: completion.value, node: nodeId } : { type: 'ok', value: completion.value, node: nodeId, acknowledged: committed };
}

function toKafkaOutcome(outcome: ClientCallOutcome<ServedOperation>): KafkaOutcome {
  switch (outcome.kind) {
    case 'answer': return outcome.value.outcome;
    case 'refused': return { kind: 'transport', outcome: 'connection-refused' };
    case 'closed': return { kind: 'transport', outcome: 'connection-closed' };
    case 'timeout': return { kind: 'transport', outcome: 'timeout' };
  }
}

/**
 * The WorldMaker of `--env sim`: a simulator world for a plan, with the simulator's own options
 * (its conditions come from the plan's options, or from the seed).
 */
export function simWorldMaker(extra: Pick<SimWorldOptions, 'hooks' | 'makeCore' | 'wrapCore'> = {}): (plan: RunPlan, log?: (line: string) => void) => Promise<SimWorld> {
  return (plan) => createSimWorld({
    topology: plan.topology,
    nodeConfig: plan.options.nodeConfig,
    seed: plan.options.seed,
    conditions: plan.options.conditions,
    // Far past any run's end: setup and recovery are each bounded by well under a simulated minute.
    simulatedMsMax: plan.options.timeLimitMs + 600_000,
    ...extra,
  });
}
