/**
 * The simulated host of one node: it drives the node's core exactly as host-interface.ts asks
 * (inputs, then while hasReady: persist, sync when told, send, answer, record, advance), owns the
 * node's simulated disk, and models the node's life: running, paused (it processes nothing;
 * inputs wait and timers fire late) and crashed (volatile state gone; a restart builds a new core
 * from the disk).
 */
import type { ClientRequest, ClientResponse, PeerEnvelope } from '../core/host-interface.js';
import type { NodeEvent } from '../history/node-event.js';
import type { ConsensusCore, CoreFactory } from './consensus-core.js';
import type { SimDisk } from './sim-disk.js';
import type { SeededRandom } from './random.js';

export type NodeStatus = 'running' | 'paused' | 'crashed';

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
  | { kind: 'request'; request: ClientRequest };

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

  constructor(
    readonly nodeId: number,
    private readonly voters: readonly number[],
    readonly disk: SimDisk,
    private readonly makeCore: CoreFactory,
    private readonly random: SeededRandom,
    private readonly outputs: NodeOutputs,
    nowMs: number,
  ) {
    this.core = this.startCore(nowMs, false);
  }

  /** The core, for introspection; null while crashed. */
  get liveCore(): ConsensusCore | null {
    return this.status === 'crashed' ? null : this.core;
  }

  receive(envelope: PeerEnvelope, nowMs: number): void {
    if (this.status === 'crashed') return;
    if (this.status === 'paused') {
      this.paused.push({ kind: 'message', envelope });
      return;
    }
    this.core.receive(envelope, nowMs);
    this.drain(nowMs);
  }

  /** A client request. Returns false when the node is down (the client sees connection refused). */
  submit(request: ClientRequest, nowMs: number): boolean {
    if (this.status === 'crashed') return false;
    if (this.status === 'paused') {
      this.paused.push({ kind: 'request', request });
      return true;
    }
    this.core.submit(request, nowMs);
    this.drain(nowMs);
    return true;
  }

  wake(generation: number, nowMs: number): void {
    if (this.status !== 'running' || generation !== this.wakeGeneration) return;
    this.scheduledWakeMs = Infinity;
    this.lastTickMs = nowMs;
    this.core.tick(nowMs);
    this.drain(nowMs, true);
  }

  /** Background flush (the OS writing dirty pages), only for the incarnation that wrote them. */
  flush(incarnation: number): void {
    if (this.status !== 'crashed' && incarnation === this.incarnation) this.disk.sync();
  }

  crash(): void {
    if (this.status === 'crashed') return;
    this.status = 'crashed';
    this.paused.length = 0;
    this.wakeGeneration += 1;
    this.scheduledWakeMs = Infinity;
    this.disk.crash(this.random);
  }

  restart(nowMs: number): void {
    if (this.status !== 'crashed') return;
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
    this.lastTickMs = nowMs;
    this.core.tick(nowMs);
    for (const input of this.paused.splice(0)) {
      if (input.kind === 'message') this.core.receive(input.envelope, nowMs);
      else this.core.submit(input.request, nowMs);
    }
    this.drain(nowMs);
  }

  private startCore(nowMs: number, restarted: boolean): ConsensusCore {
    this.incarnation += 1;
    const core = this.makeCore({
      nodeId: this.nodeId,
      voters: this.voters,
      recovered: restarted ? this.disk.recover() : null,
      random: this.random.fork(`incarnation-${this.incarnation}`),
      nowMs,
    });
    this.core = core;
    this.drain(nowMs);
    return core;
  }

  /** The host's duties, in host-interface.ts's order. */
  private drain(nowMs: number, afterTick = false): void {
    const timeNs = Math.round(nowMs * 1e6);
    while (this.core.hasReady()) {
      const ready = this.core.ready();
      this.disk.write(ready.persist);
      if (ready.mustSync) this.disk.sync();
      else if (this.disk.hasPendingWrites) this.outputs.flushLater(this.nodeId, this.incarnation);
      for (const event of ready.events) this.outputs.record({ timeNs, node: this.nodeId, ...event });
      for (const envelope of ready.messages) this.outputs.send(envelope, nowMs);
      for (const response of ready.responses) this.outputs.respond(this.nodeId, response, nowMs);
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
    let wakeMs = this.core.nextWakeMs();
    if (!Number.isFinite(wakeMs) || wakeMs === this.scheduledWakeMs) return;
    if (afterTick && wakeMs <= this.lastTickMs) {
      this.spinningWakes += 1;
      wakeMs = this.lastTickMs + TIMER_RESOLUTION_MS;
      if (wakeMs === this.scheduledWakeMs) return;
    }
    this.scheduledWakeMs = wakeMs;
    this.wakeGeneration += 1;
    this.outputs.wakeAt(this.nodeId, Math.max(wakeMs, nowMs), this.wakeGeneration);
  }
}
