/**
 * StableLeadership (Kafka's RaftEventSimulationTest, for KIP-996's pre-vote): once the network
 * has settled (every fault healed, or a partition that leaves the leader a majority held fixed)
 * and a majority of voters follow one leader in the newest epoch, nobody starts another election
 * and that leader keeps leading. An election then is needless: it interrupts a working quorum,
 * and pre-vote plus check-quorum exist to prevent it.
 *
 * The rule is armed by `expectFrom(timeNs)`. Whoever arms it leaves the cluster time to notice
 * the settled network first: a follower that lost its leader just before the heal still times out
 * (up to a fetch timeout later) and may rightly start an election. The simulator arms it one fetch
 * timeout plus one election timeout after it heals every fault; a scenario when its partition is
 * in place. Before that moment the rule only tracks each voter's latest state.
 */
import type { NodeEvent } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

interface VoterState {
  epoch: number;
  leaderId: number | null;
  leads: boolean;
  event: NodeEvent;
}

export class StableLeadershipRule implements EventRule {
  readonly rule = 'StableLeadership' as const;
  private readonly voters: ReadonlySet<number>;
  private readonly majority: number;
  private readonly latest = new Map<number, VoterState>();
  private newestEpoch = 0;
  private armedAtNs = Infinity;
  /** Whether the state at the arming moment was looked at (it may have settled already). */
  private lookedAtArming = false;
  /** The leader a settled majority follows, and the event that made it so. */
  private established: { epoch: number; leaderId: number; event: NodeEvent } | null = null;
  /** Leaderships seen settled while armed: with none, the rule had nothing that could be interrupted. */
  private settledWhileArmed = 0;

  constructor(voters: readonly number[]) {
    this.voters = new Set(voters);
    this.majority = Math.floor(this.voters.size / 2) + 1;
  }

  /** From `timeNs` on the network stays as it is: leadership, once settled, must not change. */
  expectFrom(timeNs: number): void {
    this.armedAtNs = timeNs;
    this.lookedAtArming = false;
    this.established = null;
  }

  observe(event: NodeEvent): Violation | null {
    if (!this.voters.has(event.node)) return null;
    if (event.timeNs < this.armedAtNs) {
      this.track(event);
      return null;
    }
    if (!this.lookedAtArming) {
      // A leader may have settled before the arming moment; otherwise the first event that settles one sets it.
      this.lookedAtArming = true;
      this.establish();
    }
    const violation = this.established !== null ? this.judge(event, this.established) : null;
    this.track(event);
    if (this.established === null && event.kind === 'epoch-changed') this.establish();
    return violation;
  }

  /** Takes the leader a majority settled on, if any, as the one to judge, and counts it. */
  private establish(): void {
    this.established = this.settledLeader();
    if (this.established !== null) this.settledWhileArmed++;
  }

  /**
   * How many leaderships it judged: each a leader a majority settled on once armed. A run whose
   * window never saw one (no leader, or none a majority followed) judged nothing: not valid.
   */
  get judged(): number {
    // Armed with no event since: leadership as it stood then is what the window held (nothing moved).
    if (this.armedAtNs !== Infinity && !this.lookedAtArming) return this.settledLeader() === null ? 0 : 1;
    return this.settledWhileArmed;
  }

  private judge(event: NodeEvent, established: { epoch: number; leaderId: number; event: NodeEvent }): Violation | null {
    if (event.kind !== 'epoch-changed' && event.kind !== 'vote-granted' && event.kind !== 'became-leader') return null;
    if (event.epoch > established.epoch) {
      return this.violation(`node ${event.node} entered epoch ${event.epoch} (${event.state ?? event.kind}) although node ` +
        `${established.leaderId} led epoch ${established.epoch} with a majority following it in a settled network`, established.event, event);
    }
    if (event.node === established.leaderId && event.kind === 'epoch-changed' && event.state !== 'leader') {
      return this.violation(`node ${event.node} stopped leading epoch ${established.epoch} (now ${event.state ?? '?'}) ` +
        'although a majority followed it in a settled network', established.event, event);
    }
    return null;
  }

  private track(event: NodeEvent): void {
    this.newestEpoch = Math.max(this.newestEpoch, event.epoch);
    if (event.kind === 'restarted') {
      this.latest.delete(event.node);
    } else if (event.kind === 'epoch-changed') {
      this.latest.set(event.node, { epoch: event.epoch, leaderId: event.leaderId ?? null, leads: event.state === 'leader', event });
    }
  }

  /**
   * A leader of the newest epoch that a majority of voters (itself included) report following, if
   * any, with the latest event among that majority (the moment it settled).
   */
  private settledLeader(): { epoch: number; leaderId: number; event: NodeEvent } | null {
    for (const [nodeId, state] of this.latest) {
      if (!state.leads || state.epoch !== this.newestEpoch) continue;
      let following = 0;
      let settledBy = state.event;
      for (const other of this.latest.values()) {
        if (other.epoch !== state.epoch || other.leaderId !== nodeId) continue;
        following++;
        if (other.event.timeNs > settledBy.timeNs) settledBy = other.event;
      }
      if (following >= this.majority) return { epoch: state.epoch, leaderId: nodeId, event: settledBy };
    }
    return null;
  }

  private violation(message: string, settled: NodeEvent, event: NodeEvent): Violation {
    return { rule: this.rule, message, events: [settled, event] };
  }
}
