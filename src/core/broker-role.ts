/**
 * The broker role, as a KRaft broker plays it: register with the active controller under a fresh
 * incarnation id, then heartbeat every `broker.heartbeat.interval.ms` to keep its session. One
 * request is in flight at a time. A controller that no longer knows the registration (stale
 * epoch, not registered) makes the broker register again; any other failure is retried soon,
 * with jitter, so brokers do not all come back at once after a failover.
 *
 * Controlled shutdown, as a KRaft broker does on SIGTERM: the broker's heartbeats ask to be fenced
 * (KRaft's WantShutDown), the controller moves the leadership of every partition the broker leads
 * to another ISR member, takes it out of ISRs and fences it, all committed; once this node has
 * applied that, the shutdown is done and the broker heartbeats no more (a heartbeat would unfence
 * it again), so the process may exit.
 */
import type { ClientAnswer } from './client-response.js';
import type { RandomSource } from './host-interface.js';
import type { BrokerEndpoint, BrokerHeartbeatReply, MetadataWriteOperation, RegisterBrokerReply, WriteResult } from './metadata/index.js';

/** A failed registration or heartbeat is tried again within this long (or the heartbeat interval, if shorter). */
const BROKER_RETRY_MS_MAX = 500;

export interface BrokerRoleConfig {
  nodeId: number;
  brokerEndpoints: BrokerEndpoint[];
  brokerHeartbeatIntervalMs: number;
}

export class BrokerRole {
  private brokerEpoch: number | null = null;
  private requestInFlight = false;
  private nextRequestMs = 0;
  private shutdown: 'running' | 'requested' | 'done' = 'running';

  constructor(
    private readonly config: BrokerRoleConfig,
    private readonly incarnationId: string,
    private readonly random: RandomSource,
  ) {}

  /** Starts a controlled shutdown (see the module comment); `controlledShutdownDone` says when it is over. */
  beginControlledShutdown(nowMs: number): void {
    if (this.shutdown !== 'running') return;
    // A broker that never registered leads nothing and is fenced already.
    this.shutdown = this.brokerEpoch === null ? 'done' : 'requested';
    if (!this.requestInFlight) this.nextRequestMs = nowMs;
  }

  get controlledShutdownDone(): boolean {
    return this.shutdown === 'done';
  }

  /** The registration or heartbeat due now, if any; it is in flight from then on. */
  dueRequest(nowMs: number): MetadataWriteOperation | undefined {
    if (this.shutdown === 'done' || this.requestInFlight || nowMs < this.nextRequestMs) return undefined;
    this.requestInFlight = true;
    if (this.brokerEpoch === null) {
      return { type: 'registerBroker', brokerId: this.config.nodeId, incarnationId: this.incarnationId, endpoints: this.config.brokerEndpoints };
    }
    const heartbeat: MetadataWriteOperation = { type: 'brokerHeartbeat', brokerId: this.config.nodeId, brokerEpoch: this.brokerEpoch };
    if (this.shutdown === 'requested') heartbeat.wantFence = true;
    return heartbeat;
  }

  /** How long a registration or heartbeat may take before it is given up. */
  get requestTimeoutMs(): number {
    return this.config.brokerHeartbeatIntervalMs * 2;
  }

  wakeMs(): number {
    return this.requestInFlight || this.shutdown === 'done' ? Infinity : this.nextRequestMs;
  }

  /** The answer to the request `dueRequest` gave. */
  onAnswer(operation: MetadataWriteOperation, answer: ClientAnswer, nowMs: number): void {
    if (operation.type !== 'registerBroker' && operation.type !== 'brokerHeartbeat') return;
    this.requestInFlight = false;
    const result = answer.outcome === 'ok' ? answer.result as WriteResult : undefined;
    if (result !== undefined && result.ok) {
      if (operation.type === 'registerBroker') this.brokerEpoch = (result.reply as RegisterBrokerReply).brokerEpoch;
      if (this.shutdown === 'requested' && operation.type === 'brokerHeartbeat' && operation.wantFence === true &&
        (result.reply as BrokerHeartbeatReply).isFenced) {
        this.shutdown = 'done';
        return;
      }
      // Registered: the first heartbeat goes at once, and unfences the broker. Shutting down: the
      // heartbeat that asks for it goes at once.
      const now = operation.type === 'registerBroker' || this.shutdown === 'requested';
      this.nextRequestMs = now ? nowMs : nowMs + this.config.brokerHeartbeatIntervalMs;
      return;
    }
    if (result !== undefined && !result.ok && (result.error === 'STALE_BROKER_EPOCH' || result.error === 'BROKER_ID_NOT_REGISTERED')) {
      this.brokerEpoch = null;
      // Another incarnation holds the registration, or none does: nothing of this one to move.
      if (this.shutdown === 'requested') this.shutdown = 'done';
    }
    this.nextRequestMs = nowMs + this.random.nextFloat() * Math.min(this.config.brokerHeartbeatIntervalMs, BROKER_RETRY_MS_MAX);
  }
}
