/**
 * A deterministic in-process quorum of real QuorumNodes with a MetadataPort per node, for unit
 * tests of the Kafka request handlers. Adapted from test/support/tiny-cluster.ts: messages take
 * `latencyMs` of virtual time, persistence is instant, a test may cut links. A port call submits
 * to its node and runs virtual time until the node answers (or the request's deadline passes),
 * so handlers run against the real core with no mocks, and a test takes milliseconds.
 */
import type { VoterChange } from '../../../src/core/raft/voter-changes.js';
import type {
  ClientResponse, DurableState, LogEntry, PeerEnvelope,
} from '../../../src/core/host-interface.js';
import type { MetadataBatch } from '../../../src/core/metadata-log.js';
import type { MetadataImage, MetadataOperation } from '../../../src/core/metadata/index.js';
import { QuorumNode } from '../../../src/core/quorum-node.js';
import type { QuorumNodeConfigInput } from '../../../src/core/quorum-node-config.js';
import type { MetadataPort, SubmitOptions } from '../../../src/kafka/handlers/metadata-port.js';
import { seededRandom } from '../../support/tiny-cluster.js';

interface InFlight {
  atMs: number;
  seq: number;
  envelope: PeerEnvelope;
}

interface Disk {
  quorumState: DurableState<MetadataBatch>['quorumState'];
  snapshot: DurableState<MetadataBatch>['snapshot'];
  log: LogEntry<MetadataBatch>[];
}

export const CLUSTER_ID = 'handler-test-cluster';
/** Broker n advertises 127.0.0.1:(BROKER_PORT_BASE + n) on PLAINTEXT and 10.0.0.n:9092 on INTERNAL. */
export const BROKER_PORT_BASE = 19090;

export class PortCluster {
  nowMs = 0;
  readonly nodes = new Map<number, QuorumNode>();
  readonly cut = new Set<string>();
  private readonly disks = new Map<number, Disk>();
  private readonly responses = new Map<number, ClientResponse>();
  private inFlight: InFlight[] = [];
  private seq = 0;
  private nextRequestId = 1;

  constructor(
    readonly voters: number[],
    readonly observers: number[] = [],
    readonly overrides: Partial<QuorumNodeConfigInput> = {},
    readonly seed = 1,
    readonly latencyMs = 1,
  ) {
    for (const id of [...voters, ...observers]) {
      this.disks.set(id, { quorumState: null, snapshot: null, log: [] });
      this.nodes.set(id, new QuorumNode({
        config: {
          nodeId: id, voters, clusterId: CLUSTER_ID,
          brokerEndpoints: [
            { name: 'PLAINTEXT', host: '127.0.0.1', port: BROKER_PORT_BASE + id, securityProtocol: 'PLAINTEXT' },
            { name: 'INTERNAL', host: `10.0.0.${id}`, port: 9092, securityProtocol: 'PLAINTEXT' },
          ],
          ...overrides,
        },
        recovered: null, random: seededRandom(seed * 1000 + id), nowMs: this.nowMs,
      }));
    }
  }

  /** Runs until a leader is elected and every node is an unfenced broker in the leader's image. */
  settle(): void {
    const brokerCount = this.voters.length + this.observers.length;
    const settled = this.run(this.nowMs + 60_000, () => {
      const leader = this.leaderId();
      if (leader === null) return false;
      return [...this.nodes.values()].every((node) => node.committedImage.unfencedBrokerIds().length === brokerCount);
    });
    if (!settled) throw new Error(`the cluster did not settle within 60 s of virtual time (seed ${this.seed})`);
  }

  /**
   * Stops a node as kill -9 would. Messages to it are then refused, and the sender hears of it
   * through `peerUnreachable`, as the real host reports a refused connection.
   */
  crash(id: number): void {
    this.nodes.delete(id);
  }

  leaderId(): number | null {
    for (const [id, node] of this.nodes) if (node.debugState().state === 'leader') return id;
    return null;
  }

  /** Cuts (or heals) both directions between `a` and every other node. */
  isolate(a: number, isolated = true): void {
    for (const b of this.nodes.keys()) {
      if (b === a) continue;
      for (const link of [`${a}->${b}`, `${b}->${a}`]) {
        if (isolated) this.cut.add(link);
        else this.cut.delete(link);
      }
    }
  }

  port(nodeId: number): MetadataPort {
    const node = (): QuorumNode => this.nodes.get(nodeId)!;
    return {
      clusterId: CLUSTER_ID,
      nodeId,
      submit: async <Op extends MetadataOperation>(operation: Op, options?: SubmitOptions) => {
        const requestId = this.nextRequestId++;
        const timeoutMs = options?.timeoutMs ?? 30_000;
        const request = { requestId, operation, timeoutMs, ...(options?.readConsistency === undefined ? {} : { readConsistency: options.readConsistency }) };
        node().submit(request, this.nowMs);
        return this.await(nodeId, requestId, timeoutMs) as ClientResponse<Op['type']>;
      },
      describeQuorum: async (timeoutMs = 2000) => {
        const requestId = this.nextRequestId++;
        node().describeQuorum(requestId, this.nowMs, timeoutMs);
        return this.await(nodeId, requestId, timeoutMs) as ClientResponse<'describeQuorum'>;
      },
      changeVoters: async (change: VoterChange, timeoutMs = 5000) => {
        const requestId = this.nextRequestId++;
        node().changeVoters(requestId, change, this.nowMs, timeoutMs);
        return this.await(nodeId, requestId, timeoutMs) as ClientResponse<'changeVoters'>;
      },
      localImage: (): MetadataImage => node().committedImage,
      controllerIdForClients: () => node().debugState().leaderId ?? nodeId,
      hostNowMs: () => this.nowMs,
    };
  }

  /** Runs until `untilMs`, or until `stop` holds after an event. */
  run(untilMs: number, stop?: () => boolean): boolean {
    for (const id of this.nodes.keys()) this.drain(id);
    if (stop?.() === true) return true;
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
      if (nextMessage <= nextWake) {
        const { envelope } = this.inFlight.shift()!;
        const node = this.nodes.get(envelope.to);
        if (node !== undefined && !this.cut.has(`${envelope.from}->${envelope.to}`)) {
          node.receive(envelope, this.nowMs);
          this.drain(envelope.to);
        } else if (node === undefined && this.nodes.has(envelope.from)) {
          this.nodes.get(envelope.from)!.peerUnreachable(envelope.to, this.nowMs);
          this.drain(envelope.from);
        }
      } else {
        this.nodes.get(wakeNode)!.tick(this.nowMs);
        this.drain(wakeNode);
      }
      if (stop?.() === true) return true;
    }
  }

  private await(nodeId: number, requestId: number, timeoutMs: number): ClientResponse {
    this.drain(nodeId);
    // One extra millisecond past the deadline lets the node's own expiry answer first.
    this.run(this.nowMs + timeoutMs + 1, () => this.responses.has(requestId));
    const response = this.responses.get(requestId);
    if (response === undefined) throw new Error(`node ${nodeId} never answered request ${requestId} (seed ${this.seed})`);
    this.responses.delete(requestId);
    return response;
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
      for (const envelope of ready.messages) this.inFlight.push({ atMs: this.nowMs + this.latencyMs, seq: this.seq++, envelope });
      this.inFlight.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      for (const response of ready.responses) this.responses.set(response.requestId, response);
      node.advance();
    }
  }
}
