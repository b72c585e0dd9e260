/**
 * One simulated run, start to end: a cluster of simulated nodes (each also a broker, as KRaft's
 * combined mode runs them), clients and a nemesis on one discrete-event loop (event-queue.ts) with a simulated clock, every random choice drawn
 * from the run's seed. The invariants are judged after every node event; the run stops at the
 * first violation.
 *
 * Phases, as TigerBeetle's VOPR runs them:
 *  1. Safety: clients work while the nemesis injects faults, for `safetyPhaseMs`.
 *  2. Liveness: every fault is healed (partitions, crashed and paused nodes, a lossy network), and
 *     a probe client must get a write committed within `livenessPhaseMsMax`, or the run fails.
 */
import type { ClientRequest, ClientResponse, PeerEnvelope } from '../core/host-interface.js';
import { describeGrudge, type Grudge } from '../faults/grudge.js';
import type { NodeEvent } from '../history/node-event.js';
import type { Operation } from '../history/operation.js';
import { InvariantChecker } from '../checker/invariants/invariant-checker.js';
import type { AcknowledgedWrite } from '../checker/invariants/acknowledged-writes.js';
import type { Violation } from '../checker/invariants/violation.js';
import type { ConsensusCore, CoreFactory } from './consensus-core.js';
import { EventQueue } from './event-queue.js';
import { HistoryRecorder } from './history-recorder.js';
import { Nemesis } from './nemesis.js';
import { SeededRandom } from './random.js';
import type { RequestChannel, RequestOutcome } from './request-channel.js';
import type { SimRunConfig } from './run-config.js';
import { SimClient } from './sim-client.js';
import { SimDisk, type DiskOptions } from './sim-disk.js';
import { SimNetwork, type NetworkCounters } from './sim-network.js';
import { SimNode, type NodeOutputs } from './sim-node.js';

/** Test hooks, to prove the checks can fail: a broken disk, a network that never heals. */
export interface SimulationHooks {
  lyingFsync?: DiskOptions['lyingFsync'];
  /** The partition the liveness phase keeps instead of healing (no quorum can form under it). */
  partitionDuringLiveness?: Grudge;
  /**
   * Called with the simulated time every `intervalMs` of wall time, for progress lines on long
   * runs. Wall time decides only when to report, never anything in the run.
   */
  progress?: { intervalMs: number; report(simulatedMs: number): void };
}

export interface LivenessOutcome {
  ok: boolean;
  /** Simulated ms from healing to the first committed write (when ok). */
  recoveryMs?: number;
  message: string;
}

export interface SimulationOutcome {
  history: Operation[];
  events: NodeEvent[];
  violations: Violation[];
  liveness: LivenessOutcome | null;
  /** An exception inside the core or the simulator (a broken assertion): the run failed. */
  crash: string | null;
  acknowledgedWrites: AcknowledgedWrite[];
  simulatedMs: number;
  stats: NetworkCounters & { nodeEvents: number; nemesisActions: number; queueEvents: number; spinningWakes: number };
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

/** The liveness probe keeps trying; give up on one attempt after this long. */
const PROBE_RETRY_MS = 200;

/**
 * What a queue entry does. The frequent ones (a message arriving, a node's timer, a background
 * flush) are plain records dispatched by kind rather than closures: a closure per message was a
 * large share of the simulator's allocation and call overhead.
 */
const enum SimEventKind {
  /** Run `payload`, a `() => void`. */
  Action,
  /** Deliver `payload`, a PeerEnvelope, if the partition in force allows it. */
  Deliver,
  /** Wake node `nodeId` for timer generation `number`. */
  Wake,
  /** Flush node `nodeId`'s disk for incarnation `number`. */
  Flush,
}

class SimEvent {
  constructor(
    readonly kind: SimEventKind,
    readonly nodeId: number,
    readonly number: number,
    readonly payload: unknown,
  ) {}
}

export class Simulation implements RequestChannel {
  private readonly queue = new EventQueue<SimEvent>();
  private clockMs = 0;
  private readonly root: SeededRandom;
  private readonly network: SimNetwork;
  /** When the OS gets round to writing unsynced pages. */
  private readonly flushRandom: SeededRandom;
  private readonly nodes = new Map<number, SimNode>();
  private readonly recorder = new HistoryRecorder();
  private readonly checker: InvariantChecker;
  private readonly events: NodeEvent[] = [];
  private readonly acknowledged: AcknowledgedWrite[] = [];
  private readonly waiting = new Map<number, { done: (outcome: RequestOutcome) => void }>();
  private readonly clients: SimClient[] = [];
  private readonly nemesis: Nemesis;
  private nextRequestId = 1;
  private halted = false;
  private liveness: LivenessOutcome | null = null;
  private queueEvents = 0;
  private lastProgressWallMs = performance.now();
  private workWindowSecond = 0;
  private workWindowEvents = 0;
  /**
   * Messages sent in the current simulated second by "from->to type", to name a storm. Counted
   * only once the second is past half its limit: a string key per message would slow every run.
   */
  private readonly workWindowMessages = new Map<string, number>();

  constructor(readonly config: SimRunConfig, private readonly makeCore: CoreFactory, private readonly hooks: SimulationHooks = {}) {
    this.root = SeededRandom.fromSeed(config.seed);
    this.network = new SimNetwork(config.network, this.root.fork('network'));
    this.flushRandom = this.root.fork('disk-flush');
    this.checker = new InvariantChecker({ voters: config.voters });
    const allNodes = [...config.voters, ...config.observers];
    const outputs = this.nodeOutputs();
    for (const nodeId of allNodes) {
      const disk = new SimDisk({ tornWrites: config.tornWrites, ...(hooks.lyingFsync ? { lyingFsync: hooks.lyingFsync } : {}) });
      const node = new SimNode(nodeId, config.voters, disk, makeCore, this.root.fork(`node-${nodeId}`), outputs, 0);
      this.nodes.set(nodeId, node);
    }
    const clientRandom = this.root.fork('clients');
    const clientConfig = { thinkMsMax: config.clientThinkMsMax, requestTimeoutMs: config.clientRequestTimeoutMs };
    for (let process = 0; process < config.clients; process += 1) {
      this.clients.push(new SimClient(process, allNodes, config.workload, clientConfig, clientRandom.fork(`client-${process}`),
        this, this.recorder, (offset, epoch, index) => this.acknowledge(offset, epoch, index)));
    }
    this.nemesis = new Nemesis(config, this.root.fork('nemesis'), this, this.nemesisTargets(allNodes), this.recorder);
  }

  // ---------------------------------------------------------------- RequestChannel

  nowMs(): number {
    return this.clockMs;
  }

  after(delayMs: number, action: () => void): void {
    this.queue.schedule(this.clockMs + delayMs, new SimEvent(SimEventKind.Action, 0, 0, action));
  }

  request(nodeId: number, operation: unknown, timeoutMs: number, onDone: (outcome: RequestOutcome) => void): void {
    const requestId = this.nextRequestId;
    this.nextRequestId += 1;
    let answered = false;
    const done = (outcome: RequestOutcome): void => {
      if (answered) return;
      answered = true;
      this.waiting.delete(requestId);
      onDone(outcome);
    };
    this.waiting.set(requestId, { done });
    // The node answers with REQUEST_TIMED_OUT a little before the client gives up on it.
    const request: ClientRequest = { requestId, operation, timeoutMs: Math.max(1, timeoutMs - 500) };
    this.after(this.network.clientDelayMs(), () => {
      const node = this.nodes.get(nodeId);
      if (node === undefined || !node.submit(request, this.clockMs)) {
        this.after(this.network.clientDelayMs(), () => done({ kind: 'refused' }));
      }
    });
    this.after(timeoutMs, () => done({ kind: 'timeout' }));
  }

  // ---------------------------------------------------------------- the run

  run(): SimulationOutcome {
    let crash: string | null = null;
    try {
      this.nemesis.start();
      for (const client of this.clients) client.start();
      this.runUntil(this.config.safetyPhaseMs);
      if (!this.halted) this.livenessPhase();
    } catch (error) {
      crash = describeError(error);
    }
    return this.outcome(crash);
  }

  /**
   * Scripted scenarios (golden transcripts): act on the cluster at `atMs`. Actions are recorded as
   * nemesis operations like the nemesis's own.
   */
  at(atMs: number, action: (controls: ScriptControls) => void): void {
    this.queue.schedule(atMs, new SimEvent(SimEventKind.Action, 0, 0, () => action(this.scriptControls())));
  }

  /** Run a scripted scenario to `endMs`: no phases, no nemesis of its own. */
  runScript(endMs: number): SimulationOutcome {
    let crash: string | null = null;
    try {
      for (const client of this.clients) client.start();
      this.runUntil(endMs);
    } catch (error) {
      crash = describeError(error);
    }
    return this.outcome(crash);
  }

  private outcome(crash: string | null): SimulationOutcome {
    const violations = this.halted ? [...this.checker.violations] : this.checker.finish(this.acknowledged);
    return {
      history: this.recorder.operations,
      events: this.events,
      violations,
      liveness: this.liveness,
      crash,
      acknowledgedWrites: this.acknowledged,
      simulatedMs: this.clockMs,
      stats: {
        ...this.network.counters,
        nodeEvents: this.events.length,
        nemesisActions: this.nemesis.actions,
        queueEvents: this.queueEvents,
        spinningWakes: [...this.nodes.values()].reduce((sum, node) => sum + node.spinningWakes, 0),
      },
    };
  }

  /** The current leader as the nodes see it: the running node that leads the highest epoch. */
  currentLeader(): number | null {
    let best: { nodeId: number; epoch: number } | null = null;
    for (const node of this.nodes.values()) {
      const core: ConsensusCore | null = node.status === 'running' ? node.liveCore : null;
      if (core === null) continue;
      const state = core.debugState();
      if (state.state === 'leader' && (best === null || state.epoch > best.epoch)) best = { nodeId: node.nodeId, epoch: state.epoch };
    }
    return best?.nodeId ?? null;
  }

  private runUntil(endMs: number): void {
    while (!this.halted && this.queue.peekTimeMs() <= endMs) {
      const atMs = this.queue.peekTimeMs();
      const event = this.queue.popEvent();
      if (event === undefined) break;
      this.clockMs = atMs;
      this.queueEvents += 1;
      this.countWork();
      this.dispatch(event);
      // Reading the wall clock on every event would cost more than the event.
      if ((this.queueEvents & 0x3fff) === 0) this.reportProgress();
    }
    if (!this.halted) this.clockMs = Math.max(this.clockMs, endMs);
  }

  private dispatch(event: SimEvent): void {
    switch (event.kind) {
      case SimEventKind.Action:
        (event.payload as () => void)();
        return;
      case SimEventKind.Deliver: {
        const envelope = event.payload as PeerEnvelope;
        if (this.network.deliverable(envelope.from, envelope.to)) this.nodes.get(envelope.to)?.receive(envelope, this.clockMs);
        return;
      }
      case SimEventKind.Wake:
        this.nodes.get(event.nodeId)?.wake(event.number, this.clockMs);
        return;
      case SimEventKind.Flush:
        this.nodes.get(event.nodeId)?.flush(event.number);
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

  private livenessPhase(): void {
    this.nemesis.stop();
    this.network.reconfigure(this.config.healedNetwork);
    this.network.partition(this.hooks.partitionDuringLiveness ?? new Map());
    for (const node of this.nodes.values()) {
      if (node.status === 'crashed') node.restart(this.clockMs);
      if (node.status === 'paused') node.resume(this.clockMs);
    }
    const healedAtMs = this.clockMs;
    const deadlineMs = healedAtMs + this.config.livenessPhaseMsMax;
    const probe = new SimClient(this.config.clients, [...this.config.voters, ...this.config.observers], this.config.workload,
      { thinkMsMax: 0, requestTimeoutMs: 2_000 }, this.root.fork('liveness-probe'), this, this.recorder,
      (offset, epoch, index) => this.acknowledge(offset, epoch, index));
    let attempt = 0;
    let lastAnswer = 'no answer yet';
    const tryWrite = (): void => {
      if (this.liveness !== null) return;
      attempt += 1;
      probe.invoke({ f: 'create-topic', value: { name: `liveness-${attempt}`, partitions: 1 } }, (type, value, error) => {
        lastAnswer = `${type} ${error ?? JSON.stringify(value)}`;
        if (type === 'ok' && (value as { created?: unknown }).created === true) {
          this.liveness = { ok: true, recoveryMs: this.clockMs - healedAtMs, message: `a write committed ${this.clockMs - healedAtMs} ms after healing` };
          return;
        }
        this.after(PROBE_RETRY_MS, tryWrite);
      });
    };
    tryWrite();
    while (!this.halted && this.liveness === null && this.queue.peekTimeMs() <= deadlineMs) this.runUntil(this.queue.peekTimeMs());
    for (const client of this.clients) client.stop();
    if (this.liveness === null && !this.halted) {
      this.liveness = {
        ok: false,
        message: `no write committed within ${this.config.livenessPhaseMsMax} ms of healing every fault ` +
          `(leader: ${this.currentLeader() ?? 'none'}; ${attempt} attempts, the last answered: ${lastAnswer})`,
      };
    }
  }

  private acknowledge(committedOffset: number, committedEpoch: number, operationIndex: number): void {
    const operation = this.recorder.operations[operationIndex];
    this.acknowledged.push({ committedOffset, committedEpoch, ...(operation === undefined ? {} : { operation }) });
  }

  private nodeOutputs(): NodeOutputs {
    return {
      send: (envelope: PeerEnvelope) => {
        if (this.workWindowEvents > QUEUE_EVENTS_PER_SIMULATED_SECOND_MAX / 2) this.noteMessage(envelope);
        const delaysMs = this.network.deliveryDelaysMs();
        for (let copy = 0; copy < delaysMs.length; copy++) {
          this.queue.schedule(this.clockMs + delaysMs[copy]!, new SimEvent(SimEventKind.Deliver, envelope.to, 0, envelope));
        }
      },
      respond: (_nodeId: number, response: ClientResponse) => {
        const waiter = this.waiting.get(response.requestId);
        if (waiter === undefined) return;
        this.after(this.network.clientDelayMs(), () => waiter.done({ kind: 'response', response }));
      },
      record: (event: NodeEvent) => {
        this.events.push(event);
        if (this.checker.observe(event).length > 0) this.halted = true;
      },
      wakeAt: (nodeId: number, atMs: number, generation: number) => {
        this.queue.schedule(atMs, new SimEvent(SimEventKind.Wake, nodeId, generation, null));
      },
      flushLater: (nodeId: number, incarnation: number) => {
        this.queue.schedule(this.clockMs + this.flushRandom.intBetween(1, 50), new SimEvent(SimEventKind.Flush, nodeId, incarnation, null));
      },
    };
  }

  private scriptControls(): ScriptControls {
    const targets = this.nemesisTargets([...this.config.voters, ...this.config.observers]);
    const record = (f: string, value: unknown): void => {
      this.recorder.nemesis(f, value, this.clockMs);
    };
    return {
      leader: () => this.currentLeader(),
      partition: (grudge) => {
        targets.partition(grudge);
        record(grudge.size === 0 ? 'stop-partition' : 'start-partition', { grudge: describeGrudge(grudge) });
      },
      crash: (nodeId) => { targets.crash(nodeId); record('kill', { node: nodeId }); },
      restart: (nodeId) => { targets.restart(nodeId); record('restart', { node: nodeId }); },
      pause: (nodeId) => { targets.pause(nodeId); record('pause', { node: nodeId }); },
      resume: (nodeId) => { targets.resume(nodeId); record('resume', { node: nodeId }); },
    };
  }

  private nemesisTargets(allNodes: number[]): ConstructorParameters<typeof Nemesis>[3] {
    return {
      nodes: allNodes,
      currentLeader: () => this.currentLeader(),
      partition: (grudge: Grudge) => this.network.partition(grudge),
      crash: (nodeId: number) => this.nodes.get(nodeId)?.crash(),
      restart: (nodeId: number) => this.nodes.get(nodeId)?.restart(this.clockMs),
      pause: (nodeId: number) => this.nodes.get(nodeId)?.pause(),
      resume: (nodeId: number) => this.nodes.get(nodeId)?.resume(this.clockMs),
    };
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
