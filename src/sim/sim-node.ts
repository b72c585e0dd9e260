/**
 * The simulated host of one node: it drives the node's core exactly as host-interface.ts asks
 * (inputs, then while hasReady: persist, sync when told, send, answer, record, advance), owns the
 * node's simulated disk, and models the node's life: running, paused (it processes nothing;
 * inputs wait and timers fire late), crashed (kill -9: volatile state and unsynced writes gone;
 * a restart builds a new core from the disk) and stopped (a graceful stop: a leader resigns,
 * everything is synced, then the process exits).
 *
 * Each node has its own clock: the simulation's time plus an offset the nemesis moves (clock
 * faults). It is the clock the core runs on, a monotonic one as on every real host, so it follows
 * every step *forward* of the requested offset (timers due within the step fire at once, as on a
 * host resuming from suspend) and ignores steps back (a monotonic clock never goes back; the wall
 * clock, which Docker's libfaketime shifts, is not one the core reads). A strobe, flipping the
 * offset between +d and 0, is therefore a clock that leaps ahead by d every other period.
 * Events are stamped with the simulation's time, so the invariant checker orders them truly.
 *
 * With dynamic membership (KIP-853) a node runs on a disk with a directory id; its disk can be
 * replaced by an empty one (`replaceDisk`), after which it starts formatted to join later, as a
 * new replica the voter set does not know.
 */
import type { ClientRequest, ClientResponse, PeerEnvelope } from '../core/host-interface.js';
import type { VoterChange } from '../core/raft/voter-changes.js';
import type { NodeEvent } from '../history/node-event.js';
import type { ConsensusCore, CoreFactory } from './consensus-core.js';
import type { SimDisk } from './sim-disk.js';
import type { SeededRandom } from './random.js';

export type NodeStatus = 'running' | 'paused' | 'crashed' | 'stopped';

/** What a node's host hands back to the simulation. */
export interface NodeOutputs {
  send(envelope: PeerEnvelope, nowMs: number): void;
  respond(nodeId: number, response: ClientResponse, nowMs: number): void;
  record(event: NodeEvent): void;
  /** The core wants a tick at `atMs`; `generation` identifies this request (older ones are stale). */
  wakeAt(nodeId: number, atMs: number, generation: number): void;
  /** Unsynced writes exist: flush them in the background after a while, as an OS would. */
  flushLater(nodeId: number, incarnation: number): void;
}

type PendingInput =
  | { kind: 'message'; envelope: PeerEnvelope }
  | { kind: 'request'; request: ClientRequest }
  | { kind: 'describe-quorum'; requestId: number; timeoutMs: number | undefined }
  | { kind: 'voter-change'; requestId: number; change: VoterChange; timeoutMs: number | undefined }
  | { kind: 'call'; call: NodeCall };

/** A client's connection to a node (sim-client-call.ts). */
export interface NodeCall {
  /** The node takes the connection: at once, or when a paused node resumes. */
  start(): void;
  /** The node went down while the connection was open. */
  closeConnection(): void;
}

/** The disks of a node of a dynamic-membership cluster: disk number `generation` (0: the first). */
export interface NodeDisks {
  directoryId(generation: number): string;
  /** Whether disk `generation` was formatted to join later (not as an initial voter). */
  joiner(generation: number): boolean;
}

/**
 * The shortest wait of a real timer: Node's setTimeout(fn, 0) fires after at least 1 ms. A core
 * that asks again for a tick it has already had gets this wait, as it would on the real host.
 */
const TIMER_RESOLUTION_MS = 1;

export class SimNode {
  status: NodeStatus = 'running';
  /** Counts starts: a background flush scheduled in an earlier life must not touch this one. */
  incarnation = 0;
  private core: ConsensusCore;
  private readonly paused: PendingInput[] = [];
  private wakeGeneration = 0;
  private scheduledWakeMs = Infinity;
  private lastTickMs = -Infinity;
  /**
   * Ticks the core asked for at or before its previous tick: it was ticked and still wants a tick
   * then, so on a real host it would spin on a 0 ms timer. Not a safety problem, but a busy loop
   * worth reporting.
   */
  spinningWakes = 0;
  /** How far this node's clock is ahead of simulated time (only ever grows). */
  private clockOffsetMs = 0;
  /** The offset the nemesis last asked for: a step up from it moves the clock forward. */
  private requestedOffsetMs = 0;
  /** The last time the core was given: its clock never goes back. */
  private lastLocalMs = -Infinity;
  /** Client connections open on this node: each is closed (its client told) when the node goes down. */
  private readonly openCalls = new Set<NodeCall>();
  /** Which disk the node runs on (membership: a replaced disk is the next one). */
  private diskGeneration = 0;

  constructor(
    readonly nodeId: number,
    private readonly voters: readonly number[],
    private diskValue: SimDisk,
    private readonly makeCore: CoreFactory,
    private readonly random: SeededRandom,
    private readonly outputs: NodeOutputs,
    nowMs: number,
    private readonly disks: NodeDisks | null = null,
  ) {
    this.core = this.startCore(nowMs, false);
  }

  get disk(): SimDisk {
    return this.diskValue;
  }

  /** The directory id of the disk the node runs on; null in a static quorum. */
  get directoryId(): string | null {
    return this.disks?.directoryId(this.diskGeneration) ?? null;
  }

  /**
   * The disk fails and is replaced by `disk`, empty: the node is killed (if it ran) and starts at
   * once on the new disk, formatted to join later, with a new directory id.
   */
  replaceDisk(disk: SimDisk, nowMs: number): void {
    if (!this.isDown) this.crash();
    this.diskValue = disk;
    this.diskGeneration += 1;
    this.status = 'running';
    this.core = this.startCore(nowMs, false);
  }

  /** A voter change, answered through `respond` like a request. False when the node is down. */
  changeVoters(requestId: number, change: VoterChange, timeoutMs: number | undefined, nowMs: number): boolean {
    if (this.isDown) return false;
    if (this.status === 'paused') {
      this.paused.push({ kind: 'voter-change', requestId, change, timeoutMs });
      return true;
    }
    this.core.changeVoters(requestId, change, this.localMs(nowMs), timeoutMs);
    this.drain(nowMs);
    return true;
  }

  /** The core, for introspection; null while the node is down. */
  get liveCore(): ConsensusCore | null {
    return this.isDown ? null : this.core;
  }

  /** The core of the current (or last) incarnation, even while down. */
  get currentCore(): ConsensusCore {
    return this.core;
  }

  /** Crashed or stopped: no process, so connections to it are refused. */
  get isDown(): boolean {
    return this.status === 'crashed' || this.status === 'stopped';
  }

  receive(envelope: PeerEnvelope, nowMs: number): void {
    if (this.isDown) return;
    if (this.status === 'paused') {
      this.paused.push({ kind: 'message', envelope });
      return;
    }
    this.core.receive(envelope, this.localMs(nowMs));
    this.drain(nowMs);
  }

  /** A client request. Returns false when the node is down (the client sees connection refused). */
  submit(request: ClientRequest, nowMs: number): boolean {
    if (this.isDown) return false;
    if (this.status === 'paused') {
      this.paused.push({ kind: 'request', request });
      return true;
    }
    this.core.submit(request, this.localMs(nowMs));
    this.drain(nowMs);
    return true;
  }

  /** DescribeQuorum, answered through `respond` like a request. False when the node is down. */
  describeQuorum(requestId: number, timeoutMs: number | undefined, nowMs: number): boolean {
    if (this.isDown) return false;
    if (this.status === 'paused') {
      this.paused.push({ kind: 'describe-quorum', requestId, timeoutMs });
      return true;
    }
    this.core.describeQuorum(requestId, this.localMs(nowMs), timeoutMs);
    this.drain(nowMs);
    return true;
  }

  /**
   * A client connection arriving: `call.start` runs now, or when a paused node resumes. Returns
   * false (connection refused) when the node is down.
   */
  acceptCall(call: NodeCall): boolean {
    if (this.isDown) return false;
    if (this.status === 'paused') this.paused.push({ kind: 'call', call });
    else call.start();
    return true;
  }

  /** An open connection: its closeConnection runs if the node goes down before untrackCall. */
  trackCall(call: NodeCall): void {
    this.openCalls.add(call);
  }

  untrackCall(call: NodeCall): void {
    this.openCalls.delete(call);
  }

  wake(generation: number, nowMs: number): void {
    if (generation !== this.wakeGeneration) return;
    // The wake is spent even when a pause swallows it: kept as scheduled, a core asking for the
    // same moment after the resume got no wake at all and the node slept for good (seed 128072785).
    this.scheduledWakeMs = Infinity;
    if (this.status !== 'running') return;
    const localMs = this.localMs(nowMs);
    this.lastTickMs = localMs;
    this.core.tick(localMs);
    this.drain(nowMs, true);
  }

  /** Background flush (the OS writing dirty pages), only for the incarnation that wrote them. */
  flush(incarnation: number): void {
    if (!this.isDown && incarnation === this.incarnation) this.disk.sync();
  }

  crash(): void {
    if (this.isDown) return;
    this.status = 'crashed';
    this.goDown();
    this.disk.crash(this.random);
  }

  /**
   * A graceful stop: the process runs what it has, resigns if it leads (EndQuorumEpoch goes out),
   * syncs its disk and exits. A paused node is resumed first, as SIGTERM waits for SIGCONT.
   */
  stop(nowMs: number): void {
    if (this.isDown) return;
    if (this.status === 'paused') this.resume(nowMs);
    this.core.shutdown(this.localMs(nowMs));
    this.drain(nowMs);
    this.disk.sync();
    this.status = 'stopped';
    this.goDown();
  }

  /** Starts a crashed or stopped node from its disk. */
  restart(nowMs: number): void {
    if (!this.isDown) return;
    this.status = 'running';
    this.core = this.startCore(nowMs, true);
  }

  pause(): void {
    if (this.status === 'running') this.status = 'paused';
  }

  /** The process continues: late timers fire first, then the inputs that waited, in order. */
  resume(nowMs: number): void {
    if (this.status !== 'paused') return;
    this.status = 'running';
    const localMs = this.localMs(nowMs);
    this.lastTickMs = localMs;
    this.core.tick(localMs);
    for (const input of this.paused.splice(0)) {
      if (input.kind === 'message') this.core.receive(input.envelope, localMs);
      else if (input.kind === 'request') this.core.submit(input.request, localMs);
      else if (input.kind === 'describe-quorum') this.core.describeQuorum(input.requestId, localMs, input.timeoutMs);
      else if (input.kind === 'voter-change') this.core.changeVoters(input.requestId, input.change, localMs, input.timeoutMs);
      else input.call.start();
    }
    this.drain(nowMs);
  }

  /**
   * The nemesis asks for a clock offset from simulated time. A step up from the last request moves
   * the node's clock forward by the step, and the core is ticked at once on its new clock (timers
   * the step made due fire now); a step down is ignored (see the module comment).
   */
  setClockOffset(offsetMs: number, nowMs: number): void {
    if (!Number.isFinite(offsetMs)) throw new RangeError(`clock offset must be a finite number of ms, got ${offsetMs}`);
    const stepMs = offsetMs - this.requestedOffsetMs;
    this.requestedOffsetMs = offsetMs;
    if (stepMs <= 0) return;
    this.clockOffsetMs += stepMs;
    if (this.status !== 'running') return;
    this.scheduledWakeMs = Infinity;
    this.wakeGeneration += 1;
    const localMs = this.localMs(nowMs);
    this.lastTickMs = localMs;
    this.core.tick(localMs);
    this.drain(nowMs, true);
  }

  get clockOffset(): number {
    return this.clockOffsetMs;
  }

  /** The node's own clock at simulated time `nowMs`: offset, and never earlier than before. */
  private localMs(nowMs: number): number {
    const localMs = nowMs + this.clockOffsetMs;
    if (localMs > this.lastLocalMs) this.lastLocalMs = localMs;
    return this.lastLocalMs;
  }

  private goDown(): void {
    this.paused.length = 0;
    this.wakeGeneration += 1;
    this.scheduledWakeMs = Infinity;
    const open = [...this.openCalls];
    this.openCalls.clear();
    for (const call of open) call.closeConnection();
  }

  private startCore(nowMs: number, restarted: boolean): ConsensusCore {
    this.incarnation += 1;
    const core = this.makeCore({
      nodeId: this.nodeId,
      voters: this.voters,
      recovered: restarted ? this.disk.recover() : null,
      random: this.random.fork(`incarnation-${this.incarnation}`),
      nowMs: this.localMs(nowMs),
      ...(this.disks === null ? {} : {
        disk: { directoryId: this.disks.directoryId(this.diskGeneration), joiner: this.disks.joiner(this.diskGeneration) },
      }),
    });
    this.core = core;
    this.drain(nowMs);
    return core;
  }

  /** The host's duties, in host-interface.ts's order. */
  private drain(nowMs: number, afterTick = false): void {
    const timeNs = Math.round(nowMs * 1e6);
    const { outputs, nodeId } = this;
    // Indexed loops: this runs after every input, and until V8 optimizes it (most of a short run)
    // each for-of allocates an iterator and a result object per element.
    while (this.core.hasReady()) {
      const ready = this.core.ready();
      this.disk.write(ready.persist);
      if (ready.mustSync) this.disk.sync();
      else if (this.disk.hasPendingWrites) outputs.flushLater(nodeId, this.incarnation);
      const { events, messages, responses } = ready;
      // Stamped in place: the core hands its events over with `ready` and keeps none of them, and a
      // copy per event (even Object.assign's) was 3% of the simulator's CPU. The stamp's two keys
      // come last on the object; files and digests write them first (nodeEventJson).
      for (let i = 0; i < events.length; i++) {
        const event = events[i] as NodeEvent;
        event.timeNs = timeNs;
        event.node = nodeId;
        outputs.record(event);
      }
      for (let i = 0; i < messages.length; i++) outputs.send(messages[i]!, nowMs);
      for (let i = 0; i < responses.length; i++) outputs.respond(nodeId, responses[i]!, nowMs);
      this.core.advance();
    }
    this.scheduleWake(nowMs, afterTick);
  }

  /**
   * A wake due now after a message or request is normal (a new deadline that is already due). A
   * wake at or before the tick that was just given is the core spinning: it gets the timer
   * resolution, as on a real host, and is counted.
   */
  private scheduleWake(nowMs: number, afterTick: boolean): void {
    // In the node's own clock; converted to simulated time when scheduled.
    let wakeMs = this.core.nextWakeMs();
    if (!Number.isFinite(wakeMs) || wakeMs === this.scheduledWakeMs) return;
    if (afterTick && wakeMs <= this.lastTickMs) {
      this.spinningWakes += 1;
      wakeMs = this.lastTickMs + TIMER_RESOLUTION_MS;
      if (wakeMs === this.scheduledWakeMs) return;
    }
    this.scheduledWakeMs = wakeMs;
    this.wakeGeneration += 1;
    this.outputs.wakeAt(this.nodeId, Math.max(wakeMs - this.clockOffsetMs, nowMs), this.wakeGeneration);
  }
}
