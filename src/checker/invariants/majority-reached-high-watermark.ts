/**
 * MajorityReachedHighWatermark: when any node's high watermark reaches X, a majority of the voters
 * have durably flushed their log to at least X (Raft commits only what a majority stored).
 *
 * Each voter's durable log end is the latest `log-flushed` offset, lowered by `log-truncated`, and
 * raised by a `snapshot` (a snapshot is durable data covering everything below its end offset).
 * A restart keeps it: the durable log survives. Observers never count toward the majority.
 *
 * With dynamic membership (KIP-853) the majority is of a voter set in force: the one the node's log
 * holds at X - 1, or the latest one in the log of the leader of the highest epoch (a leader counts
 * a new voter set from the moment it writes it, before it commits), as Kafka's raft simulation
 * judges it.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';
import { voterIdsOf, type VoterSetTracker } from './voter-set-tracker.js';

export class MajorityReachedHighWatermarkRule implements EventRule {
  readonly rule = 'MajorityReachedHighWatermark' as const;
  readonly kinds: readonly NodeEventKind[] = ['log-flushed', 'log-truncated', 'snapshot', 'high-watermark'];
  private readonly voters: ReadonlySet<number>;
  private readonly majority: number;
  /** voter -> its durable log end offset and the event that set it. */
  private readonly flushedByVoter = new Map<number, { offset: number; event: NodeEvent }>();
  /** The highest high watermark already judged: judging a lower one again cannot fail anew. */
  private highestJudged = 0;

  constructor(voters: readonly number[], private readonly voterSets?: VoterSetTracker) {
    if (voters.length === 0) throw new RangeError('MajorityReachedHighWatermark needs at least one voter');
    this.voters = new Set(voters);
    this.majority = Math.floor(this.voters.size / 2) + 1;
  }

  observe(event: NodeEvent): Violation | null {
    this.track(event);
    if (event.kind !== 'high-watermark' || event.highWatermark === undefined) return null;
    const highWatermark = event.highWatermark;
    if (highWatermark <= this.highestJudged) return null;
    if (this.voterSets?.dynamic === true) return this.judgeDynamic(event, highWatermark);
    // Counted without building lists: this runs on every new high watermark; the lists are
    // built only for the message of a violation.
    let reachedCount = 0;
    for (const [node, flushed] of this.flushedByVoter) if (this.voters.has(node) && flushed.offset >= highWatermark) reachedCount++;
    if (reachedCount >= this.majority) {
      this.highestJudged = highWatermark;
      return null;
    }
    const reached = [...this.flushedByVoter.entries()].filter(([node, flushed]) => this.voters.has(node) && flushed.offset >= highWatermark);
    const flushed = [...this.voters].map((voter) => `${voter}:${this.flushedByVoter.get(voter)?.offset ?? 0}`);
    return {
      rule: this.rule,
      message: `node ${event.node} reached high watermark ${highWatermark}, but only ${reached.length} of ` +
        `${this.voters.size} voters had flushed that far (need ${this.majority}; flushed ends ${flushed.join(' ')})`,
      events: [...reached.map(([, entry]) => entry.event), event],
    };
  }

  /** A high watermark reached under changing voter sets: a majority of one of the sets in force. */
  private judgeDynamic(event: NodeEvent, highWatermark: number): Violation | null {
    const voterSets = this.voterSets!;
    const candidates: number[][] = [];
    const atOffset = voterSets.setAt(event.node, highWatermark);
    candidates.push(atOffset === undefined ? [...this.voters] : voterIdsOf(atOffset.voters));
    const leader = voterSets.currentLeader;
    const leaderEntries = leader === null ? [] : voterSets.entriesOf(leader);
    if (leaderEntries.length > 0) candidates.push(voterIdsOf(leaderEntries[leaderEntries.length - 1]!.voters));
    const reachedIn = (voters: number[]): number => voters.filter((voter) => (this.flushedByVoter.get(voter)?.offset ?? 0) >= highWatermark).length;
    if (candidates.some((voters) => reachedIn(voters) >= Math.floor(voters.length / 2) + 1)) {
      this.highestJudged = highWatermark;
      return null;
    }
    const described = candidates.map((voters) => `[${voters.map((voter) => `${voter}:${this.flushedByVoter.get(voter)?.offset ?? 0}`).join(' ')}]`);
    return {
      rule: this.rule,
      message: `node ${event.node} reached high watermark ${highWatermark}, but no voter set in force had a majority ` +
        `flushed that far (voters with their flushed ends: ${described.join(' or ')})`,
      events: [event],
    };
  }

  private track(event: NodeEvent): void {
    if (event.offset === undefined) return;
    const current = this.flushedByVoter.get(event.node);
    if (event.kind === 'log-flushed') {
      this.flushedByVoter.set(event.node, { offset: event.offset, event });
    } else if (event.kind === 'log-truncated' && current !== undefined && event.offset < current.offset) {
      this.flushedByVoter.set(event.node, { offset: event.offset, event });
    } else if (event.kind === 'snapshot' && (current === undefined || event.offset > current.offset)) {
      this.flushedByVoter.set(event.node, { offset: event.offset, event });
    }
  }
}
