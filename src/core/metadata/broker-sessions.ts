/**
 * Broker liveness on the active controller. A broker's session lasts `sessionTimeoutMs` from its
 * last heartbeat; the controller fences an unfenced broker whose session expired. Sessions are the
 * controller's volatile state, not metadata: like Kafka's heartbeat manager they are not in the
 * log, and a newly elected controller starts every broker's session afresh (`resetAll`) rather than
 * fencing brokers for heartbeats it never had the chance to receive.
 *
 * Time comes in as `nowMs` from the host; nothing here reads a clock.
 */
import type { MetadataImage } from './image.js';
import type { FenceBrokerOperation } from './operations.js';

export class BrokerSessions {
  private readonly lastHeartbeatMsByBroker = new Map<number, number>();

  constructor(readonly sessionTimeoutMs: number) {
    if (!Number.isInteger(sessionTimeoutMs) || sessionTimeoutMs < 1) {
      throw new RangeError(`sessionTimeoutMs must be a positive integer, got ${sessionTimeoutMs}`);
    }
  }

  /** A heartbeat or registration from the broker arrived at `nowMs`. */
  touch(brokerId: number, nowMs: number): void {
    this.lastHeartbeatMsByBroker.set(brokerId, nowMs);
  }

  /** Every registered broker's session starts at `nowMs` (the controller just became active). */
  resetAll(image: MetadataImage, nowMs: number): void {
    this.lastHeartbeatMsByBroker.clear();
    for (const broker of image.brokers()) this.lastHeartbeatMsByBroker.set(broker.brokerId, nowMs);
  }

  hasLiveSession(brokerId: number, nowMs: number): boolean {
    const last = this.lastHeartbeatMsByBroker.get(brokerId);
    return last !== undefined && nowMs - last < this.sessionTimeoutMs;
  }

  /** Unfenced brokers whose session expired at `nowMs`, by id: each should be fenced. */
  expiredBrokers(image: MetadataImage, nowMs: number): number[] {
    return image.unfencedBrokerIds().filter((id) => !this.hasLiveSession(id, nowMs));
  }
}

/** The fence operations the controller should plan at `nowMs`, in broker id order. */
export function planSessionExpiries(image: MetadataImage, sessions: BrokerSessions, nowMs: number): FenceBrokerOperation[] {
  return sessions.expiredBrokers(image, nowMs).map((brokerId) => ({ type: 'fenceBroker', brokerId }));
}
