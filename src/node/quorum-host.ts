/**
 * The real host of a QuorumNode (the simulator's sim-node.ts is the other one). It owns one
 * timer, armed at the core's `nextWakeMs()`, and turns every input — a timer firing, an envelope
 * from a peer, a client's operation, a peer found unreachable — into the host interface's cycle:
 * feed the input, then while `hasReady()`: persist (fsync when told) BEFORE sending messages,
 * answering clients and recording events, then `advance()`.
 *
 * Inputs are queued and run one at a time; since persisting is synchronous (see
 * storage/segmented-log.ts), nothing can reach the core between `ready()` and `advance()`.
 *
 * It is also the node's `MetadataPort`: the Kafka front submits operations here and gets a
 * promise settled by the matching ClientResponse.
 */
import type { ClientResponse, CoreEvent, PeerEnvelope } from '../core/host-interface.js';
import type { MetadataImage, MetadataOperation } from '../core/metadata/index.js';
import type { QuorumDescription } from '../core/quorum-description.js';
import type { QuorumNode } from '../core/quorum-node.js';
import type { MetadataPort, SubmitOptions } from '../kafka/handlers/metadata-port.js';
import type { EventLogFile } from './event-log-file.js';
import { kafkaLogLines } from './kafka-log-lines.js';
import type { MonotonicClock } from './monotonic-clock.js';
import type { NodeLogger } from './node-logger.js';
import type { MetadataStore } from './storage/metadata-store.js';

/** Where the host sends envelopes (the TCP transport, or a test's loopback). */
export interface EnvelopeSender {
  send(envelope: PeerEnvelope): boolean;
}

export interface QuorumHostOptions {
  core: QuorumNode;
  store: MetadataStore;
  clock: MonotonicClock;
  eventLog: EventLogFile;
  logger: NodeLogger;
  /** Called when the node cannot go on (a failed write or fsync): the process must stop. */
  onFatal(error: Error): void;
}

/** setTimeout's largest delay; a wake further out is re-armed when this fires. */
const TIMER_DELAY_MAX_MS = 2_147_483_647;

type Input = (nowMs: number) => void;

export class QuorumHost implements MetadataPort {
  readonly clusterId: string;
  readonly nodeId: number;
  private readonly core: QuorumNode;
  private sender: EnvelopeSender = { send: () => false };
  private readonly waiting = new Map<number, (response: ClientResponse) => void>();
  private readonly inputs: Input[] = [];
  private running = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private timerWakeMs = Infinity;
  private nextRequestId = 1;
  private logEndBeforeInput = 0;

  constructor(private readonly options: QuorumHostOptions) {
    this.core = options.core;
    this.clusterId = options.core.config.clusterId;
    this.nodeId = options.core.config.nodeId;
  }

  /** Starts the cycle: what the core produced while being built (recovery events) is handled now. */
  start(sender: EnvelopeSender): void {
    this.sender = sender;
    this.enqueue(() => undefined);
  }

  receive(envelope: PeerEnvelope): void {
    this.enqueue((nowMs) => this.core.receive(envelope, nowMs));
  }

  peerUnreachable(peerId: number): void {
    this.enqueue((nowMs) => this.core.peerUnreachable(peerId, nowMs));
  }

  submit(operation: MetadataOperation, options: SubmitOptions = {}): Promise<ClientResponse> {
    const requestId = this.nextRequestId++;
    return this.await(requestId, (nowMs) => this.core.submit({
      requestId, operation, readConsistency: options.readConsistency, timeoutMs: options.timeoutMs,
    }, nowMs));
  }

  describeQuorum(timeoutMs?: number): Promise<ClientResponse & { result?: QuorumDescription }> {
    const requestId = this.nextRequestId++;
    return this.await(requestId, (nowMs) => this.core.describeQuorum(requestId, nowMs, timeoutMs)) as Promise<ClientResponse & { result?: QuorumDescription }>;
  }

  localImage(): MetadataImage {
    return this.core.committedImage;
  }

  /** The leader when it is a live broker, else the lowest unfenced broker, else this node. */
  controllerIdForClients(): number {
    const live = this.core.committedImage.unfencedBrokerIds();
    const leaderId = this.core.debugState().leaderId;
    if (leaderId !== null && live.includes(leaderId)) return leaderId;
    return live[0] ?? this.nodeId;
  }

  /** State for tests and logs. */
  debugState(): ReturnType<QuorumNode['debugState']> {
    return this.core.debugState();
  }

  /**
   * Graceful shutdown: a leader resigns (EndQuorumEpoch goes out at once), then the host stops
   * taking inputs; clients still waiting get `unknown` (their write may yet commit).
   */
  shutdown(): void {
    if (this.stopped) return;
    this.enqueue((nowMs) => this.core.shutdown(nowMs));
  }

  /** Stops the timer and answers every waiting client; nothing reaches the core afterwards. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const [requestId, resolve] of this.waiting) resolve({ requestId, outcome: 'unknown', error: 'NODE_SHUTTING_DOWN' });
    this.waiting.clear();
  }

  private await(requestId: number, input: Input): Promise<ClientResponse> {
    if (this.stopped) return Promise.resolve({ requestId, outcome: 'failed', error: 'NODE_SHUTTING_DOWN' });
    return new Promise((resolve) => {
      this.waiting.set(requestId, resolve);
      this.enqueue(input);
    });
  }

  private enqueue(input: Input): void {
    if (this.stopped) return;
    this.inputs.push(input);
    if (!this.running) this.runInputs();
  }

  private runInputs(): void {
    this.running = true;
    try {
      for (let input = this.inputs.shift(); input !== undefined && !this.stopped; input = this.inputs.shift()) {
        // A leader's epoch starts where its log ended when it won: its first append is the
        // epoch-start batch, which the core has already made by the time the event is read.
        this.logEndBeforeInput = this.core.debugState().logEndOffset;
        input(this.options.clock.nowMs());
        this.drain();
      }
    } catch (error) {
      this.fail(error as Error);
      return;
    } finally {
      this.running = false;
    }
    this.armTimer();
  }

  /**
   * The host interface's steps 2 to 5.
   *
   * Event times: a ready after the first in this loop holds only what `advance()` produced, i.e.
   * consequences of the previous persist (`log-flushed`, a leader's new high watermark), so its
   * events carry the time that persist finished, which is before the previous ready's messages
   * left. Stamping them later would let another node's reaction (a leader's high watermark that
   * counted this flush) appear to come first in the merged event logs.
   */
  private drain(): void {
    let persistedAtNs: number | null = null;
    while (this.core.hasReady()) {
      const ready = this.core.ready();
      this.options.store.persist(ready.persist, ready.mustSync);
      const nowNs = this.options.clock.nowNs();
      this.record(ready.events, persistedAtNs ?? nowNs);
      persistedAtNs = nowNs;
      for (const envelope of ready.messages) this.sender.send(envelope);
      for (const response of ready.responses) this.answer(response);
      this.core.advance();
    }
  }

  private record(events: readonly CoreEvent[], timeNs: number): void {
    if (events.length === 0) return;
    this.options.eventLog.append(events, timeNs);
    const context = { nodeId: this.nodeId, epochStartOffset: this.logEndBeforeInput };
    for (const event of events) {
      for (const line of kafkaLogLines(event, context)) this.options.logger.info(line);
    }
  }

  private answer(response: ClientResponse): void {
    const resolve = this.waiting.get(response.requestId);
    if (resolve === undefined) return;
    this.waiting.delete(response.requestId);
    resolve(response);
  }

  private armTimer(): void {
    if (this.stopped) return;
    const wakeMs = this.core.nextWakeMs();
    if (wakeMs === this.timerWakeMs && this.timer !== null) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerWakeMs = wakeMs;
    if (!Number.isFinite(wakeMs)) return;
    const delayMs = Math.min(TIMER_DELAY_MAX_MS, Math.max(0, Math.ceil(wakeMs - this.options.clock.nowMs())));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerWakeMs = Infinity;
      this.enqueue((nowMs) => this.core.tick(nowMs));
    }, delayMs);
  }

  private fail(error: Error): void {
    this.options.logger.error(`Stopping: ${error.stack ?? error.message}`);
    this.stop();
    this.options.onFatal(error);
  }
}
