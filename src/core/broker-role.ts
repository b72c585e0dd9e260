/**
 * The broker role, as a KRaft broker plays it: register with the active controller under a fresh
 * incarnation id, then heartbeat every `broker.heartbeat.interval.ms` to keep its session. One
 * request is in flight at a time. A controller that no longer knows the registration (stale
 * epoch, not registered) makes the broker register again; any other failure is retried soon,
 * with jitter, so brokers do not all come back at once after a failover.
 */
import type { ClientAnswer } from './client-response.js';
import type { RandomSource } from './host-interface.js';
import type { BrokerEndpoint, MetadataWriteOperation, RegisterBrokerReply, WriteResult } from './metadata/index.js';

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

  constructor(
    private readonly config: BrokerRoleConfig,
    private readonly incarnationId: string,
    private readonly random: RandomSource,
  ) {}

  /** The registration or heartbeat due now, if any; it is in flight from then on. */
  dueRequest(nowMs: number): MetadataWriteOperation | undefined {
    if (this.requestInFlight || nowMs < this.nextRequestMs) return undefined;
    this.requestInFlight = true;
    return this.brokerEpoch === null
      ? { type: 'registerBroker', brokerId: this.config.nodeId, incarnationId: this.incarnationId, endpoints: this.config.brokerEndpoints }
      : { type: 'brokerHeartbeat', brokerId: this.config.nodeId, brokerEpoch: this.brokerEpoch };
  }

  /** How long a registration or heartbeat may take before it is given up. */
  get requestTimeoutMs(): number {
    return this.config.brokerHeartbeatIntervalMs * 2;
  }

  wakeMs(): number {
    return this.requestInFlight ? Infinity : this.nextRequestMs;
  }

  /** The answer to the request `dueRequest` gave. */
  onAnswer(operation: MetadataWriteOperation, answer: ClientAnswer, nowMs: number): void {
    if (operation.type !== 'registerBroker' && operation.type !== 'brokerHeartbeat') return;
    this.requestInFlight = false;
    const result = answer.outcome === 'ok' ? answer.result as WriteResult : undefined;
    if (result !== undefined && result.ok) {
      if (operation.type === 'registerBroker') this.brokerEpoch = (result.reply as RegisterBrokerReply).brokerEpoch;
      // Registered: the first heartbeat goes at once, and unfences the broker.
      this.nextRequestMs = operation.type === 'registerBroker' ? nowMs : nowMs + this.config.brokerHeartbeatIntervalMs;
      return;
    }
    if (result !== undefined && !result.ok && (result.error === 'STALE_BROKER_EPOCH' || result.error === 'BROKER_ID_NOT_REGISTERED')) {
      this.brokerEpoch = null;
    }
    this.nextRequestMs = nowMs + this.random.nextFloat() * Math.min(this.config.brokerHeartbeatIntervalMs, BROKER_RETRY_MS_MAX);
  }
}
