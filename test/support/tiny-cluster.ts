/**
 * A minimal deterministic host for unit tests of the core: every message takes `latencyMs`,
 * nodes are driven at their wake times, persistence is instant and perfect, and a test may cut
 * links, crash and restart nodes by hand. The simulator (src/sim/) is the full host with faults;
 * this one keeps rule-by-rule tests short and readable.
 */
import type { ClientResponse, DurableState, LogEntry, PeerEnvelope, RandomSource, SnapshotCodec } from '../../src/core/host-interface.js';
import type { NodeEvent } from '../../src/history/node-event.js';
import type { MetadataBatch } from '../../src/core/metadata-log.js';
import { QuorumNode } from '../../src/core/quorum-node.js';
import type { QuorumNodeConfigInput } from '../../src/core/quorum-node-config.js';
import type { MetadataOperation } from '../../src/core/metadata/index.js';
import { mulberry32 } from './mulberry32.js';

/** The core's RandomSource over the tests' seeded generator. */
export function seededRandom(seed: number): RandomSource {
  return { nextFloat: mulberry32(seed) };
}

interface Disk {
  quorumState: DurableState<MetadataBatch>['quorumState'];
  snapshot: DurableState<MetadataBatch>['snapshot'];
  log: LogEntry<MetadataBatch>[];
}

interface InFlight {
  atMs: number;
  seq: number;
  envelope: PeerEnvelope;
}

export class TinyCluster {
  nowMs = 0;
  readonly nodes = new Map<number, QuorumNode>();
  readonly disks = new Map<number, Disk>();
  readonly events: NodeEvent[] = [];
  readonly responses = new Map<number, ClientResponse[]>();
  /** Links cut by the test: "from->to". */
  readonly cut = new Set<string>();
  /** Links whose messages wait (a slow link, a paused sender) until the test calls `release`. */
  readonly held = new Set<string>();
  private heldMessages: PeerEnvelope[] = [];
  readonly down = new Set<number>();
  private inFlight: InFlight[] = [];
  private seq = 0;
  /** A node's snapshot codec (default: the core's own, in memory); a test of a host's files sets it. */
  snapshotCodecOf: (id: number) => SnapshotCodec | undefined = () => undefined;
  /** What every message goes through on its way (a test of a wire codec encodes and decodes it here). */
  wire: (envelope: PeerEnvelope) => PeerEnvelope = (envelope) => envelope;
  private nextRequestId = 1;
  /**
   * Ticks after which the node asked to be woken at the moment it was just ticked at (or before):
   * on a real host a 0 ms timer, a spin. A node with more than one turn of appends queued may ask
   * so; tests say when that is allowed.
   */
  readonly zeroDelayWakes: { node: number; atMs: number }[] = [];

  constructor(
    readonly voters: number[],
    readonly observers: number[] = [],
    readonly overrides: Partial<QuorumNodeConfigInput> = {},
    readonly seed = 1,
    readonly latencyMs = 1,
    /** Settings of one node (its directory id, say), on top of `overrides`. */
    readonly nodeOverrides: (id: number) => Partial<QuorumNodeConfigInput> = () => ({}),
  ) {
    for (const id of [...voters, ...observers]) {
      this.disks.set(id, { quorumState: null, snapshot: null, log: [] });
      this.start(id, false);
    }
  }

  start(id: number, restarted: boolean): void {
    const disk = this.disks.get(id)!;
    const recovered: DurableState<MetadataBatch> | null = restarted
      // As every host does: the log after the snapshot (retention may keep some before it on disk).
      ? { quorumState: disk.quorumState, snapshot: disk.snapshot, log: disk.log.filter((e) => e.offset >= (disk.snapshot?.endOffset ?? 0)) }
      : null;
    this.down.delete(id);
    const snapshotCodec = this.snapshotCodecOf(id);
    this.nodes.set(id, new QuorumNode({
      config: { nodeId: id, voters: this.voters, clusterId: 'tiny', ...this.overrides, ...this.nodeOverrides(id) },
      recovered, random: seededRandom(this.seed * 1000 + id + (restarted ? 7919 * this.nowMs : 0)), nowMs: this.nowMs,
      ...(snapshotCodec === undefined ? {} : { snapshotCodec }),
    }));
    this.drain(id);
  }

  /** Starts a node that was not there before (a controller that joins later), on an empty disk. */
  addNode(id: number): void {
    this.disks.set(id, { quorumState: null, snapshot: null, log: [] });
    this.start(id, false);
  }

  /** The node's disk is replaced by an empty one (it must be started again, with a new directory id). */
  replaceDisk(id: number): void {
    this.crash(id);
    this.disks.set(id, { quorumState: null, snapshot: null, log: [] });
  }

  crash(id: number): void {
    this.down.add(id);
    this.nodes.delete(id);
  }

  submit(nodeId: number, operation: MetadataOperation, readConsistency?: 'linearizable' | 'cached'): number {
    const requestId = this.nextRequestId++;
    const request = readConsistency === undefined ? { requestId, operation } : { requestId, operation, readConsistency };
    this.nodes.get(nodeId)!.submit(request, this.nowMs);
    this.drain(nodeId);
    return requestId;
  }

  /** Stops holding every link; what was held arrives, in the order it was sent, one latency from now. */
  release(): void {
    this.held.clear();
    for (const envelope of this.heldMessages.splice(0)) this.inFlight.push({ atMs: this.nowMs + this.latencyMs, seq: this.seq++, envelope });
    this.inFlight.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  }

  /** Calls `action` on a running node (deliver a hand-made message, ask DescribeQuorum), then drains it. */
  act(id: number, action: (node: QuorumNode) => void): void {
    action(this.nodes.get(id)!);
    this.drain(id);
  }

  /** A request id no test request has used yet (for calls the test makes through `act`). */
  newRequestId(): number {
    return this.nextRequestId++;
  }

  response(requestId: number): ClientResponse | undefined {
    for (const list of this.responses.values()) {
      const found = list.find((r) => r.requestId === requestId);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  leaders(): number[] {
    return [...this.nodes.entries()].filter(([, n]) => n.debugState().state === 'leader').map(([id]) => id);
  }

  /** Runs until `untilMs`, or until `stop` holds after an event. */
  run(untilMs: number, stop?: () => boolean): boolean {
    let stepsAtThisTime = 0;
    let lastTime = this.nowMs;
    while (true) {
      const nextMessage = this.inFlight.length > 0 ? this.inFlight[0]!.atMs : Infinity;
      let nextWake = Infinity;
      let wakeNode = -1;
      for (const [id, node] of this.nodes) {
        const wake = node.nextWakeMs();
        if (wake < nextWake) { nextWake = wake; wakeNode = id; }
      }
      const next = Math.min(nextMessage, nextWake);
      if (next > untilMs) { this.nowMs = untilMs; return false; }
      this.nowMs = Math.max(this.nowMs, next);
      stepsAtThisTime = this.nowMs === lastTime ? stepsAtThisTime + 1 : 0;
      lastTime = this.nowMs;
      if (stepsAtThisTime > 100_000) {
        const states = [...this.nodes].map(([id, n]) => `${id}:${JSON.stringify(n.debugState())} wake=${n.nextWakeMs()}`);
        throw new Error(`no progress at ${this.nowMs} ms: ${states.join(' ')}`);
      }
      if (nextMessage <= nextWake) {
        const { envelope } = this.inFlight.shift()!;
        const node = this.nodes.get(envelope.to);
        if (this.held.has(`${envelope.from}->${envelope.to}`)) {
          this.heldMessages.push(envelope);
        } else if (node !== undefined && !this.cut.has(`${envelope.from}->${envelope.to}`)) {
          node.receive(envelope, this.nowMs);
          this.drain(envelope.to);
        }
      } else {
        const node = this.nodes.get(wakeNode)!;
        node.tick(this.nowMs);
        this.drain(wakeNode);
        if (node.nextWakeMs() <= this.nowMs) this.zeroDelayWakes.push({ node: wakeNode, atMs: this.nowMs });
      }
      if (stop !== undefined && stop()) return true;
    }
  }

  private drain(id: number): void {
    const node = this.nodes.get(id);
    if (node === undefined) return;
    const disk = this.disks.get(id)!;
    while (node.hasReady()) {
      const ready = node.ready();
      const p = ready.persist;
      if (p.quorumState !== undefined) disk.quorumState = p.quorumState;
      if (p.truncateToOffset !== undefined) disk.log = disk.log.filter((e) => e.offset < p.truncateToOffset!);
      if (p.snapshot !== undefined) disk.snapshot = p.snapshot;
      if (p.append !== undefined) disk.log.push(...p.append);
      if (p.deleteBeforeOffset !== undefined) disk.log = disk.log.filter((e) => e.offset >= p.deleteBeforeOffset!);
      for (const envelope of ready.messages) {
        this.inFlight.push({ atMs: this.nowMs + this.latencyMs, seq: this.seq++, envelope: this.wire(envelope) });
      }
      this.inFlight.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      for (const response of ready.responses) {
        const list = this.responses.get(id) ?? [];
        list.push(response);
        this.responses.set(id, list);
      }
      for (const event of ready.events) this.events.push({ timeNs: Math.round(this.nowMs * 1e6), node: id, ...event });
      node.advance();
    }
  }
}
