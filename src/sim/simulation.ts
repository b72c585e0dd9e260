/**
 * A simulated cluster on one discrete-event loop (event-queue.ts) with a simulated clock: its
 * nodes (sim-node.ts, each driving a core), the network between them (sim-network.ts), their
 * disks, and the way clients reach them. Every random choice is drawn from the cluster's seed.
 * The invariants are judged after every node event; the cluster halts at the first violation.
 *
 * It decides nothing: the run pipeline (src/run/, through its simulator world) applies faults and
 * runs clients; scripted scenarios (golden transcripts) act on it with `at` and `runScript`.
 *
 * Clients reach a node as a Kafka client reaches a broker (`clientCall`): after a network delay
 * the connection is refused if the node is down, waits while it is paused, and otherwise runs the
 * caller's `serve` on the node (the Kafka request handlers over the node's MetadataPort); the
 * answer travels back after another delay. A node going down closes its open connections.
 *
 * Continuations: the handlers are async, so `serve` runs on promises. Whatever resolves one of
 * the simulation's promises (a node's response to its port, a sleep) marks the simulation
 * `settled`; its driver (sim-driver.ts) then lets JavaScript run every continuation before the
 * next event, so they all happen at the simulated time they belong to.
 */
import type { ClientResponse, PeerEnvelope } from '../core/host-interface.js';
import { describeGrudge, type Grudge } from '../faults/grudge.js';
import { HistoryRecorder } from '../history/history-recorder.js';
import type { NodeEvent } from '../history/node-event.js';
import type { Operation } from '../history/operation.js';
import { ARMED_RULES, InvariantChecker } from '../checker/invariants/invariant-checker.js';
import { INVARIANT_RULES, type Violation } from '../checker/invariants/violation.js';
import type { ConsensusCore, CoreFactory } from './consensus-core.js';
import { EventQueue } from './event-queue.js';
import { SeededRandom } from './random.js';
import type { SimClusterConfig } from './sim-cluster-config.js';
import { CALL_ARRIVE, CALL_TIMED_OUT, ClientCall, type CallHost, type CallSteps, type ClientCallOutcome } from './sim-client-call.js';
import { SimDisk, type DiskOptions } from './sim-disk.js';
import { SimMetadataPort } from './sim-metadata-port.js';
import { SimNetwork, type NetworkConfig, type NetworkCounters } from './sim-network.js';
import { SimNode, type NodeDisks, type NodeOutputs } from './sim-node.js';
import { simDirectoryId } from './sim-membership.js';
import type { VoterChange } from '../core/raft/voter-changes.js';

export type { ClientCallOutcome } from './sim-client-call.js';

/** Test hooks, to prove the checks can fail: a disk that lies about fsync. */
export interface SimulationHooks {
  lyingFsync?: DiskOptions['lyingFsync'];
  /**
   * Called with the simulated time every `intervalMs` of wall time, for progress lines on long
   * runs. Wall time decides only when to report, never anything in the run.
   */
  progress?: { intervalMs: number; report(simulatedMs: number): void };
  /**
   * Called with every node event as it is recorded (after the invariants saw it), for faults that
   * answer what a node did (quorumcheck selftest crashes a voter right after it votes). It must not
   * act on the cluster at once: schedule with `after`.
   */
  onEvent?(event: NodeEvent): void;
}

export interface SimulationStats extends NetworkCounters {
  nodeEvents: number;
  queueEvents: number;
  spinningWakes: number;
}

/** What a scripted scenario leaves: its events, the actions it recorded, what broke. */
export interface SimulationOutcome {
  history: Operation[];
  events: NodeEvent[];
  violations: Violation[];
  /** An exception inside the core or the simulator (a broken assertion): the run failed. */
  crash: string | null;
  simulatedMs: number;
  stats: SimulationStats;
}

export interface ScriptControls {
  leader(): number | null;
  partition(grudge: Grudge): void;
  crash(nodeId: number): void;
  restart(nodeId: number): void;
  pause(nodeId: number): void;
  resume(nodeId: number): void;
}


/**
 * A limit on the work of one simulated second. A healthy cluster of this size needs a few thousand
 * queue events per simulated second even under load; far more is a message storm (a retry without
 * backoff, a reply that starts a new request chain), which would also make the run take hours.
 */
export const QUEUE_EVENTS_PER_SIMULATED_SECOND_MAX = 200_000;

/**
 * The rules judged as the events happen: every one but the armed ones, which judge nothing until
 * armed, and which the run's judge arms once the run is over and judges itself
 * (run/checks/invariants.ts). Unarmed here they only cost every event a call or two.
 */
const LIVE_RULES = INVARIANT_RULES.filter((rule) => !ARMED_RULES.includes(rule));

/**
 * What a queue entry does. The frequent ones (a message arriving, a node's timer, a background
 * flush) are plain records dispatched by kind rather than closures: a closure per message was a
 * large share of the simulator's allocation and call overhead. A message arriving is queued as its
 * envelope itself, and an action as its function: a record around each was most of the records
 * made (a message copy, a client's sleep).
 */
type QueueEntry = SimEvent | PeerEnvelope | (() => void);

const enum SimEventKind {
  /** Wake node `nodeId` for timer generation `number`. */
  Wake,
  /** Flush node `nodeId`'s disk for incarnation `number`. */
  Flush,
  /** Run step `number` (a CALL_ constant) of `payload`, a client's ClientCall. */
  Call,
}

class SimEvent {
  constructor(
    readonly kind: SimEventKind,
    readonly nodeId: number,
    /**
     * Written again only on a node's wake record, which is reused: a node has one pending wake,
     * and a new one replaces it in the queue (EventQueue.scheduleKeyed).
     */
    public number: number,
    readonly payload: unknown,
  ) {}
}

export class Simulation {
  private readonly queue = new EventQueue<QueueEntry>();
  private clockMs = 0;
  private readonly root: SeededRandom;
  private readonly network: SimNetwork;
  /** When the OS gets round to writing unsynced pages. */
  private readonly flushRandom: SeededRandom;
  private readonly nodes = new Map<number, SimNode>();
  /** Each node's key for its timer in the queue (a node has one pending wake: a new one replaces it). */
  private readonly wakeKeys = new Map<number, number>();
  /** Each node's wake record, by its key: one per node, not one per wake asked for. */
  private readonly wakeEvents: SimEvent[] = [];
  private readonly ports = new Map<number, SimMetadataPort>();
  /** Scripted scenarios' actions, recorded as nemesis operations. */
  private readonly scriptRecorder = new HistoryRecorder();
  private readonly checker: InvariantChecker;
  readonly events: NodeEvent[] = [];
  private readonly waiting = new Map<number, (response: ClientResponse) => void>();
  private nextRequestId = 1;
  private haltReason: string | null = null;
  private crashText: string | null = null;
  private settled = false;
  /** What every client call (sim-client-call.ts) reaches of this simulation. */
  private readonly callHost: CallHost = {
    stepAfterClientDelay: (call, step) => {
      this.queue.schedule(this.clockMs + this.network.clientDelayMs(), new SimEvent(SimEventKind.Call, 0, step, call));
    },
    markSettled: () => {
      this.settled = true;
    },
    handlerThrew: (nodeId, error) => {
      // A handler that throws is a bug on the node: the connection closes, as a broker's network
      // thread would close it, and the simulation says why.
      this.haltReason ??= `a Kafka request handler threw on node ${nodeId}: ${describeError(error).split('\n')[0]}`;
      this.crashText ??= describeError(error);
    },
  };
  private queueEvents = 0;
  private lastProgressWallMs = performance.now();
  private workWindowSecond = 0;
  private workWindowEvents = 0;
  /**
   * Messages sent in the current simulated second by "from->to type", to name a storm. Counted
   * only once the second is past half its limit: a string key per message would slow every run.
   */
  private readonly workWindowMessages = new Map<string, number>();

  constructor(readonly config: SimClusterConfig, makeCore: CoreFactory, private readonly hooks: SimulationHooks = {}) {
    this.root = SeededRandom.fromSeed(config.seed);
    this.network = new SimNetwork(config.network, this.root.fork('network'));
    this.flushRandom = this.root.fork('disk-flush');
    this.checker = new InvariantChecker({ voters: config.voters, rules: LIVE_RULES });
    const outputs = this.nodeOutputs();
    for (const nodeId of [...config.voters, ...config.observers, ...config.spares]) {
      // Before the node: its core asks for its first wake as it starts.
      this.wakeEvents.push(new SimEvent(SimEventKind.Wake, nodeId, 0, null));
      this.wakeKeys.set(nodeId, this.wakeKeys.size);
      const node = new SimNode(nodeId, config.voters, this.newDisk(), makeCore, this.root.fork(`node-${nodeId}`), outputs, 0, this.disksOf(nodeId));
      this.nodes.set(nodeId, node);
      this.ports.set(nodeId, new SimMetadataPort(node, this));
    }
  }

  /** With spare controllers the voter set is dynamic (KIP-853): each disk has a directory id. */
  private disksOf(nodeId: number): NodeDisks | null {
    if (this.config.spares.length === 0) return null;
    const seed = this.config.seed;
    const spare = this.config.spares.includes(nodeId);
    return { directoryId: (generation) => simDirectoryId(seed, nodeId, generation), joiner: (generation) => spare || generation > 0 };
  }

  private newDisk(): SimDisk {
    return new SimDisk({ tornWrites: this.config.tornWrites, ...(this.hooks.lyingFsync ? { lyingFsync: this.hooks.lyingFsync } : {}) });
  }

  /** A named random stream of this run's seed, for what acts on the cluster (clients, nemesis). */
  fork(label: string): SeededRandom {
    return this.root.fork(label);
  }

  // ---------------------------------------------------------------- time

  nowMs(): number {
    return this.clockMs;
  }

  /** Run `action` after `delayMs` of simulated time. */
  after(delayMs: number, action: () => void): void {
    this.queue.schedule(this.clockMs + delayMs, action);
  }

  /**
   * As `after`, for a delay that is mostly the same from one call to the next (a request's
   * timeout): such actions come in time order, and wait outside the queue's heap (see
   * EventQueue.scheduleInOrder). They run exactly when `after` would run them.
   */
  afterInOrder(delayMs: number, action: () => void): void {
    this.queue.scheduleInOrder(this.clockMs + delayMs, action);
  }

  /** The time of the next event, or Infinity. */
  peekTimeMs(): number {
    return this.queue.peekTimeMs();
  }

  /** Why the simulation stopped on its own (a violated invariant, an exception, a storm), or null. */
  get halted(): string | null {
    return this.haltReason;
  }

  /** Something resolved a promise since the last call (see the module comment). */
  takeSettled(): boolean {
    const settled = this.settled;
    this.settled = false;
    return settled;
  }

  /** Called by whoever resolves a promise from inside an event. */
  markSettled(): void {
    this.settled = true;
  }

  /**
   * Runs the next event; false when there is none or the simulation has halted. An exception
   * inside a node or the simulator halts it (the run failed) instead of escaping.
   */
  runNext(): boolean {
    if (this.haltReason !== null) return false;
    const event = this.queue.popEvent();
    if (event === undefined) return false;
    this.clockMs = this.queue.poppedAtMs;
    this.queueEvents += 1;
    try {
      this.countWork();
      this.dispatch(event);
    } catch (error) {
      this.crashText = describeError(error);
      this.haltReason = `the simulation stopped on an exception: ${this.crashText.split('\n')[0]}`;
    }
    // Reading the wall clock on every event would cost more than the event.
    if ((this.queueEvents & 0x3fff) === 0) this.reportProgress();
    return true;
  }

  /** Runs every event up to `endMs` (scripts, tests); the clock then reads `endMs`. */
  runUntil(endMs: number): void {
    while (this.haltReason === null && this.queue.peekTimeMs() <= endMs) this.runNext();
    if (this.haltReason === null) this.clockMs = Math.max(this.clockMs, endMs);
  }

  // ---------------------------------------------------------------- the cluster

  get nodeIds(): number[] {
    return [...this.nodes.keys()];
  }

  /** The current leader as the nodes see it: the running node that leads the highest epoch. */
  leader(): { nodeId: number; epoch: number } | null {
    let best: { nodeId: number; epoch: number } | null = null;
    for (const node of this.nodes.values()) {
      const core: ConsensusCore | null = node.status === 'running' ? node.liveCore : null;
      if (core === null) continue;
      const state = core.debugState();
      if (state.state === 'leader' && (best === null || state.epoch > best.epoch)) best = { nodeId: node.nodeId, epoch: state.epoch };
    }
    return best;
  }

  currentLeader(): number | null {
    return this.leader()?.nodeId ?? null;
  }

  /** Replaces the partition in force (HEALED heals it). */
  partition(grudge: Grudge): void {
    this.network.partition(grudge);
  }

  get currentGrudge(): Grudge {
    return this.network.currentGrudge;
  }

  setLossInto(nodes: readonly number[], probability: number): void {
    this.network.setLossInto(nodes, probability);
  }

  reconfigureNetwork(config: NetworkConfig): void {
    this.network.reconfigure(config);
  }

  crash(nodeId: number): void {
    this.node(nodeId).crash();
  }

  restart(nodeId: number): void {
    this.node(nodeId).restart(this.clockMs);
  }

  pause(nodeId: number): void {
    this.node(nodeId).pause();
  }

  resume(nodeId: number): void {
    this.node(nodeId).resume(this.clockMs);
  }

  stop(nodeId: number): void {
    this.node(nodeId).stop(this.clockMs);
  }

  /** The node's disk fails and is replaced by an empty one; it starts again as a new replica. Returns the old directory id. */
  replaceDisk(nodeId: number): string | null {
    const node = this.node(nodeId);
    const old = node.directoryId;
    node.replaceDisk(this.newDisk(), this.clockMs);
    return old;
  }

  /** The directory id of the disk `nodeId` runs on (null in a static quorum). */
  directoryOf(nodeId: number): string | null {
    return this.node(nodeId).directoryId;
  }

  /** DescribeQuorum through `nodeId`; `resolve` hears the answer. Returns false when it is down. */
  describeQuorumVia(nodeId: number, timeoutMs: number, resolve: (response: ClientResponse<'describeQuorum'>) => void): boolean {
    const requestId = this.newRequestId();
    this.awaitResponse(requestId, resolve as (response: ClientResponse) => void);
    const accepted = this.node(nodeId).describeQuorum(requestId, timeoutMs, this.clockMs);
    if (!accepted) this.waiting.delete(requestId);
    return accepted;
  }

  /** Controllers (voters and spares) that run now, ascending. */
  runningControllers(): number[] {
    return [...this.config.voters, ...this.config.spares].filter((id) => this.node(id).status === 'running').sort((a, b) => a - b);
  }

  /** A voter change through `nodeId`; `resolve` hears the answer (never when the node is down). Returns false when it is down. */
  changeVoters(nodeId: number, change: VoterChange, timeoutMs: number, resolve: (response: ClientResponse<'changeVoters'>) => void): boolean {
    const requestId = this.newRequestId();
    this.awaitResponse(requestId, resolve as (response: ClientResponse) => void);
    const accepted = this.node(nodeId).changeVoters(requestId, change, timeoutMs, this.clockMs);
    if (!accepted) this.waiting.delete(requestId);
    return accepted;
  }

  setClockOffset(nodeId: number, offsetMs: number): void {
    this.node(nodeId).setClockOffset(offsetMs, this.clockMs);
  }

  nodeStatus(nodeId: number): SimNode['status'] {
    return this.node(nodeId).status;
  }

  // ---------------------------------------------------------------- clients

  /**
   * A client's call to `nodeId` (see the module comment); `done` hears exactly once. The node
   * answers only while it runs; `serve` gets the node's MetadataPort (SimMetadataPort).
   */
  clientCall<R>(nodeId: number, timeoutMs: number, serve: (port: SimMetadataPort) => Promise<R>, done: (outcome: ClientCallOutcome<R>) => void): void {
    const call = new ClientCall(this.callHost, this.node(nodeId), this.ports.get(nodeId) as SimMetadataPort, serve, done);
    this.callHost.stepAfterClientDelay(call, CALL_ARRIVE);
    this.queue.scheduleInOrder(this.clockMs + timeoutMs, new SimEvent(SimEventKind.Call, 0, CALL_TIMED_OUT, call));
  }

  /** A request id unique in this simulation (ports and the liveness of responses depend on it). */
  newRequestId(): number {
    return this.nextRequestId++;
  }

  /** Hears the response to `requestId` (sim-metadata-port.ts). */
  awaitResponse(requestId: number, resolve: (response: ClientResponse) => void): void {
    this.waiting.set(requestId, resolve);
  }

  // ---------------------------------------------------------------- scripts

  /**
   * Scripted scenarios (golden transcripts): act on the cluster at `atMs`. Actions are recorded as
   * nemesis operations.
   */
  at(atMs: number, action: (controls: ScriptControls) => void): void {
    this.queue.schedule(atMs, () => action(this.scriptControls()));
  }

  /** Run a scripted scenario to `endMs`. */
  runScript(endMs: number): SimulationOutcome {
    this.runUntil(endMs);
    return {
      history: this.scriptRecorder.operations,
      events: this.events,
      violations: this.haltReason !== null ? [...this.checker.violations] : this.checker.finish([]),
      crash: this.crashText,
      simulatedMs: this.clockMs,
      stats: this.stats(),
    };
  }

  get violations(): readonly Violation[] {
    return this.checker.violations;
  }

  /**
   * The checker that judged every event as it happened (every rule but ARMED_RULES: LIVE_RULES).
   * The run's judge takes its verdicts instead of judging every event again; nothing else should
   * feed it.
   */
  get invariants(): InvariantChecker {
    return this.checker;
  }

  get crashDetail(): string | null {
    return this.crashText;
  }

  stats(): SimulationStats {
    return {
      ...this.network.counters,
      nodeEvents: this.events.length,
      queueEvents: this.queueEvents,
      spinningWakes: [...this.nodes.values()].reduce((sum, node) => sum + node.spinningWakes, 0),
    };
  }

  // ---------------------------------------------------------------- internals

  private node(nodeId: number): SimNode {
    const node = this.nodes.get(nodeId);
    if (node === undefined) throw new RangeError(`no node ${nodeId} in this simulation (nodes ${this.nodeIds.join(', ')})`);
    return node;
  }

  private dispatch(entry: QueueEntry): void {
    if (!(entry instanceof SimEvent)) {
      if (typeof entry === 'function') entry();
      else if (this.network.deliverable(entry.from, entry.to)) this.nodes.get(entry.to)?.receive(entry, this.clockMs);
      return;
    }
    const event = entry;
    switch (event.kind) {
      case SimEventKind.Wake:
        this.nodes.get(event.nodeId)?.wake(event.number, this.clockMs);
        return;
      case SimEventKind.Flush:
        this.nodes.get(event.nodeId)?.flush(event.number);
        return;
      case SimEventKind.Call:
        (event.payload as CallSteps).step(event.number);
        return;
    }
  }

  private countWork(): void {
    const second = Math.floor(this.clockMs / 1000);
    if (second !== this.workWindowSecond) {
      this.workWindowSecond = second;
      this.workWindowEvents = 0;
      this.workWindowMessages.clear();
    }
    this.workWindowEvents += 1;
    if (this.workWindowEvents <= QUEUE_EVENTS_PER_SIMULATED_SECOND_MAX) return;
    const top = [...this.workWindowMessages].sort((a, b) => b[1] - a[1]).slice(0, 3)
      .map(([kind, count]) => `${kind} ×${count}`).join(', ');
    throw new Error(`message storm: more than ${QUEUE_EVENTS_PER_SIMULATED_SECOND_MAX} queue events in simulated ` +
      `second ${second} (most sent: ${top})`);
  }

  private noteMessage(envelope: PeerEnvelope): void {
    const type = (envelope.message as { type?: unknown } | null)?.type;
    const key = `${envelope.from}->${envelope.to} ${typeof type === 'string' ? type : 'message'}`;
    this.workWindowMessages.set(key, (this.workWindowMessages.get(key) ?? 0) + 1);
  }

  private reportProgress(): void {
    const progress = this.hooks.progress;
    if (progress === undefined) return;
    const wallMs = performance.now();
    if (wallMs - this.lastProgressWallMs < progress.intervalMs) return;
    this.lastProgressWallMs = wallMs;
    progress.report(this.clockMs);
  }

  private nodeOutputs(): NodeOutputs {
    return {
      send: (envelope: PeerEnvelope) => {
        if (this.workWindowEvents > QUEUE_EVENTS_PER_SIMULATED_SECOND_MAX / 2) this.noteMessage(envelope);
        const network = this.network;
        const copies = network.drawDelivery(envelope.to);
        if (copies >= 1) this.queue.schedule(this.clockMs + network.firstDelayMs, envelope);
        if (copies === 2) this.queue.schedule(this.clockMs + network.secondDelayMs, envelope);
      },
      respond: (_nodeId: number, response: ClientResponse) => {
        const resolve = this.waiting.get(response.requestId);
        if (resolve === undefined) return;
        this.waiting.delete(response.requestId);
        this.settled = true;
        resolve(response);
      },
      record: (event: NodeEvent) => {
        this.events.push(event);
        if (this.checker.observe(event).length > 0 && this.haltReason === null) {
          const violation = this.checker.violations[0];
          this.haltReason = `an invariant was violated: ${violation?.rule ?? '?'}: ${violation?.message ?? ''}`;
        }
        this.hooks.onEvent?.(event);
      },
      wakeAt: (nodeId: number, atMs: number, generation: number) => {
        // Replaces the node's earlier wake, which its newer generation made a no-op anyway.
        const key = this.wakeKeys.get(nodeId)!;
        const event = this.wakeEvents[key]!;
        event.number = generation;
        this.queue.scheduleKeyed(key, atMs, event);
      },
      flushLater: (nodeId: number, incarnation: number) => {
        this.queue.schedule(this.clockMs + this.flushRandom.intBetween(1, 50), new SimEvent(SimEventKind.Flush, nodeId, incarnation, null));
      },
    };
  }

  private scriptControls(): ScriptControls {
    const record = (f: string, value: unknown): void => {
      this.scriptRecorder.nemesis(f, value, this.clockMs);
    };
    return {
      leader: () => this.currentLeader(),
      partition: (grudge) => {
        this.partition(grudge);
        record(grudge.size === 0 ? 'stop-partition' : 'start-partition', { grudge: describeGrudge(grudge) });
      },
      crash: (nodeId) => { this.crash(nodeId); record('kill', { node: nodeId }); },
      restart: (nodeId) => { this.restart(nodeId); record('restart', { node: nodeId }); },
      pause: (nodeId) => { this.pause(nodeId); record('pause', { node: nodeId }); },
      resume: (nodeId) => { this.resume(nodeId); record('resume', { node: nodeId }); },
    };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
