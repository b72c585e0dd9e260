/**
 * AtMostOneUncommittedVoterSet (KIP-853, as Kafka's raft simulation checks it): in the log of the
 * leader of the highest epoch, every position from the high watermark to the log end sees either
 * the committed voter set or one and the same new one. A leader that wrote a second voter change
 * before the first committed could move the quorum by two voters at once, and two majorities that
 * share no voter could then elect two leaders.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';
import type { VoterSetTracker } from './voter-set-tracker.js';

export class AtMostOneUncommittedVoterSetRule implements EventRule {
  readonly rule = 'AtMostOneUncommittedVoterSet' as const;
  readonly kinds: readonly NodeEventKind[] = ['voters-changed', 'high-watermark', 'became-leader'];
  /**
   * The voter changes seen uncommitted in a leader's log (offset and set): only while one is can a
   * second break the rule, so a run without a voter change leaves it nothing to judge.
   */
  private readonly uncommittedSeen = new Set<string>();

  constructor(private readonly voterSets: VoterSetTracker) {}

  observe(event: NodeEvent): Violation | null {
    if (event.kind !== 'voters-changed' && event.kind !== 'high-watermark' && event.kind !== 'became-leader') return null;
    const leader = this.voterSets.currentLeader;
    if (leader === null || event.node !== leader) return null;
    // What is committed: the leader's high watermark, or any node's if higher (a restarted
    // leader's own starts again from its snapshot until it commits in its epoch).
    const highWatermark = Math.max(this.voterSets.highWatermarkOf(leader), this.voterSets.committedOffset);
    const committed = this.voterSets.setAt(leader, highWatermark);
    let uncommitted: { key: string; event: NodeEvent } | null = null;
    for (const entry of this.voterSets.entriesOf(leader)) {
      if (entry.offset < highWatermark) continue;
      if (uncommitted === null) {
        const unchanged = committed === undefined ? this.voterSets.isInitial(entry.voters) : entry.key === committed.key;
        if (!unchanged) {
          uncommitted = entry;
          this.uncommittedSeen.add(`${entry.offset}:${entry.key}`);
        }
        continue;
      }
      if (entry.key === uncommitted.key) continue;
      return {
        rule: this.rule,
        message: `leader ${leader}'s log holds two uncommitted voter sets above its high watermark ${highWatermark}: ` +
          `[${uncommitted.key}] and [${entry.key}] (committed: [${committed?.key ?? 'the initial voters'}])`,
        events: [uncommitted.event, entry.event],
      };
    }
    return null;
  }

  /** How many voter changes it saw uncommitted in a leader's log. */
  get judged(): number {
    return this.uncommittedSeen.size;
  }
}
