/**
 * The real host of a QuorumNode (the simulator's sim-node.ts is the other one). It owns one
 * timer, armed at the core's `nextWakeMs()`, and turns every input — a timer firing, an envelope
 * from a peer, a client's operation, a peer found unreachable — into the host interface's cycle:
 * feed the input, then while `hasReady()`: persist (fsync when told) BEFORE sending messages,
 * answering clients and recording events, then `advance()`.
 *
 * Group commit: inputs are queued and run one burst at a time (what arrived in one turn of the
 * event loop, up to BURST_INPUTS_MAX inputs or BURST_DURATION_MAX_MS). Every ready of the burst
 * is written without fsync, then ONE fsync covers them all, and only then does anything leave the node: events are
 * recorded, messages sent and clients answered, in the order the readies came. The core is
 * advanced past each ready before the fsync, but nothing it says can be seen outside the process
 * until the fsync returns, so to every other node and client this is the contract's order (a
 * crash before the fsync loses the writes and everything that depended on them alike).
 *
 * Since persisting is synchronous (see storage/segmented-log.ts), nothing can reach the core
 * between `ready()` and `advance()`.
 *
 * It is also the node's `MetadataPort`: the Kafka front submits operations here and gets a
 * promise settled by the matching ClientResponse.
 */
import type { ClientResponse, CoreEvent, PeerEnvelope, Ready } from '../core/host-interface.js';
import type { MetadataBatch } from '../core/metadata-log.js';
import type { MetadataImage, MetadataOperation } from '../core/metadata/index.js';
import { clientError } from '../core/client-response.js';
import { controllerIdForClients } from '../core/controller-for-clients.js';
import type { QuorumNode } from '../core/quorum-node.js';
import type { PeerEndpoints } from '../core/raft/raft-node.js';
import type { VoterChange } from '../core/raft/voter-changes.js';
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
  /**
   * Called with the peers the core knows (`QuorumNode.peerEndpoints`) at start and whenever they
   * change, after the burst's messages are handed to the sender (a dynamic quorum's transport
   * dials them).
   */
  onPeerEndpoints?(endpoints: PeerEndpoints): void;
}

/** setTimeout's largest delay; a wake further out is re-armed when this fires. */
const TIMER_DELAY_MAX_MS = 2_147_483_647;

type Input = (nowMs: number) => void;

/** Inputs run before one shared fsync at most, and for how long: bound how long the first waits. */
const BURST_INPUTS_MAX = 256;
const BURST_DURATION_MAX_MS = 10;

/** What a ready asks the host to do once its writes are durable. */
interface PendingOutput {
  ready: Ready<MetadataBatch>;
  /** The log end before the input that produced it (for Kafka-worded log lines). */
  epochStartOffset: number;
}

export class QuorumHost implements MetadataPort {
  readonly clusterId: string;
  readonly nodeId: number;
  private readonly core: QuorumNode;
  private sender: EnvelopeSender = { send: () => false };
  private readonly waiting = new Map<number, (response: ClientResponse) => void>();
  private readonly inputs: Input[] = [];
  private running = false;
  private scheduled = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private timerWakeMs = Infinity;
  private nextRequestId = 1;
  private logEndBeforeInput = 0;
  private readonly outputs: PendingOutput[] = [];
  private mustSync = false;
  private peerEndpointsSeen: PeerEndpoints | null = null;
  /** Callers of `controlledShutdown` waiting for it to be done. */
  private readonly shutdownWaiters = new Set<(done: boolean) => void>();

  constructor(private readonly options: QuorumHostOptions) {
    this.core = options.core;
    this.clusterId = options.core.config.clusterId;
    this.nodeId = options.core.config.nodeId;
  }

  /** Starts the cycle: what the core produced while being built (recovery events) is handled now. */
  start(sender: EnvelopeSender): void {
    this.sender = sender;
    this.notePeerEndpoints();
    this.enqueue(() => undefined);
  }

  receive(envelope: PeerEnvelope): void {
    this.enqueue((nowMs) => this.core.receive(envelope, nowMs));
  }

  peerUnreachable(peerId: number): void {
    this.enqueue((nowMs) => this.core.peerUnreachable(peerId, nowMs));
  }

  // The core answers a request id with its operation's kind of result: the casts below say so.
  submit<Op extends MetadataOperation>(operation: Op, options: SubmitOptions = {}): Promise<ClientResponse<Op['type']>> {
    const requestId = this.nextRequestId++;
    return this.await(requestId, (nowMs) => this.core.submit({
      requestId, operation, readConsistency: options.readConsistency, timeoutMs: options.timeoutMs,
    }, nowMs)) as Promise<ClientResponse<Op['type']>>;
  }

  describeQuorum(timeoutMs?: number): Promise<ClientResponse<'describeQuorum'>> {
    const requestId = this.nextRequestId++;
    return this.await(requestId, (nowMs) => this.core.describeQuorum(requestId, nowMs, timeoutMs)) as Promise<ClientResponse<'describeQuorum'>>;
  }

  changeVoters(change: VoterChange, timeoutMs?: number): Promise<ClientResponse<'changeVoters'>> {
    const requestId = this.nextRequestId++;
    return this.await(requestId, (nowMs) => this.core.changeVoters(requestId, change, nowMs, timeoutMs)) as Promise<ClientResponse<'changeVoters'>>;
  }

  /** The clock the core is driven with (monotonic ms): DescribeQuorum shifts its times onto Date.now(). */
  hostNowMs(): number {
    return this.options.clock.nowMs();
  }

  localImage(): MetadataImage {
    return this.core.committedImage;
  }

  /** The controller id clients are told (controller-for-clients.ts). */
  controllerIdForClients(): number {
    return controllerIdForClients(this.core.committedImage, this.core.leaderId, this.nodeId);
  }

  /** Whether the host has stopped (a fatal error, or `stop`): nothing reaches the core any more. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** State for tests and logs. */
  debugState(): ReturnType<QuorumNode['debugState']> {
    return this.core.debugState();
  }

  /**
   * Controlled shutdown of the broker role (QuorumNode.beginControlledShutdown): true once the
   * controller has moved this broker's partition leaders away and fenced it (and this node has
   * applied that), false if that did not happen within `timeoutMs` (or the host has stopped).
   */
  controlledShutdown(timeoutMs: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (done: boolean): void => {
        clearTimeout(timer);
        this.shutdownWaiters.delete(finish);
        resolve(done);
      };
      this.shutdownWaiters.add(finish);
      this.enqueue((nowMs) => this.core.beginControlledShutdown(nowMs));
    });
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
    for (const [requestId, resolve] of this.waiting) resolve({ requestId, outcome: 'unknown', error: clientError('NODE_SHUTTING_DOWN', 'the node stopped before answering') });
    this.waiting.clear();
    for (const finish of [...this.shutdownWaiters]) finish(false);
  }

  private await(requestId: number, input: Input): Promise<ClientResponse> {
    if (this.stopped) return Promise.resolve({ requestId, outcome: 'failed', error: clientError('NODE_SHUTTING_DOWN', 'the node is stopping') });
    return new Promise((resolve) => {
      this.waiting.set(requestId, resolve);
      this.enqueue(input);
    });
  }

  private enqueue(input: Input): void {
    if (this.stopped) return;
    this.inputs.push(input);
    // Run on the next turn of the event loop, so every input that arrives in this one (envelopes
    // from all peers, client requests) shares the burst's single fsync.
    if (!this.running && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.runInputs();
      });
    }
  }

  private runInputs(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      while (this.inputs.length > 0 && !this.stopped) {
        const burstStartMs = this.options.clock.nowMs();
        let taken = 0;
        // A burst ends when the queue is empty, or early when it is long or slow, so messages
        // already due are not held back behind a heavy input (a big snapshot) for long.
        for (let input = this.inputs.shift(); input !== undefined && !this.stopped; input = this.inputs.shift()) {
          // A leader's epoch starts where its log ended when it won: its first append is the
          // epoch-start batch, which the core has already made by the time the event is read.
          this.logEndBeforeInput = this.core.debugState().logEndOffset;
          input(this.options.clock.nowMs());
          this.drain();
          if (++taken >= BURST_INPUTS_MAX || this.options.clock.nowMs() - burstStartMs >= BURST_DURATION_MAX_MS) break;
        }
        this.flushOutputs();
        this.notePeerEndpoints();
        if (this.shutdownWaiters.size > 0 && this.core.controlledShutdownDone) {
          for (const finish of [...this.shutdownWaiters]) finish(true);
        }
      }
    } catch (error) {
      this.fail(error as Error);
      return;
    } finally {
      this.running = false;
    }
    this.armTimer();
  }

  /** The host interface's steps 2, 3 and 5 for one input; step 4 waits for `flushOutputs`. */
  private drain(): void {
    while (this.core.hasReady()) {
      const ready = this.core.ready();
      this.options.store.persist(ready.persist, false);
      if (ready.mustSync) this.mustSync = true;
      if (ready.messages.length > 0 || ready.responses.length > 0 || ready.events.length > 0) {
        this.outputs.push({ ready, epochStartOffset: this.logEndBeforeInput });
      }
      this.core.advance();
    }
  }

  /**
   * Step 4 for the whole burst, after one fsync. Every event of the burst carries the time that
   * fsync finished: all of them are consequences of inputs that arrived before it, and all of
   * them are recorded before any message of the burst leaves, so another node's reaction to a
   * message can never appear to come first in the merged event logs.
   */
  private flushOutputs(): void {
    if (this.mustSync) this.options.store.sync();
    this.mustSync = false;
    const outputs = this.outputs.splice(0);
    if (outputs.length === 0) return;
    const nowNs = this.options.clock.nowNs();
    // One write(2) of the event log for the whole burst.
    const events = outputs.length === 1 ? outputs[0]!.ready.events : outputs.flatMap((output) => output.ready.events);
    if (events.length > 0) this.options.eventLog.append(events, nowNs);
    for (const output of outputs) this.logLines(output.ready.events, output.epochStartOffset);
    for (const output of outputs) {
      for (const envelope of output.ready.messages) this.sender.send(envelope);
      for (const response of output.ready.responses) this.answer(response);
    }
  }

  /** Tells `onPeerEndpoints` of a change; the core hands out the same object while nothing changed. */
  private notePeerEndpoints(): void {
    const report = this.options.onPeerEndpoints;
    if (report === undefined) return;
    const endpoints = this.core.peerEndpoints();
    if (endpoints === this.peerEndpointsSeen) return;
    this.peerEndpointsSeen = endpoints;
    report(endpoints);
  }

  private logLines(events: readonly CoreEvent[], epochStartOffset: number): void {
    const context = { nodeId: this.nodeId, epochStartOffset };
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
