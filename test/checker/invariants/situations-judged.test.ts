/**
 * InvariantChecker.situationsJudged: how many of its situations each rule that a run may leave with
 * nothing to judge met. The run's judge says a rule with none was not judged (issue 8), so each
 * count must grow with its situation and with nothing else.
 */
import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../../src/history/node-event.js';
import { InvariantChecker } from '../../../src/checker/invariants/invariant-checker.js';

type Event = Omit<NodeEvent, 'timeNs'>;

function situations(events: Event[]): ReturnType<InvariantChecker['situationsJudged']> {
  const checker = new InvariantChecker({ voters: [1, 2, 3] });
  events.forEach((event, index) => checker.observe({ timeNs: (index + 1) * 1_000_000, ...event }));
  return checker.situationsJudged();
}

const leader: Event[] = [
  { node: 1, kind: 'epoch-changed', epoch: 1, state: 'leader', leaderId: 1, votedFor: 1 },
  { node: 1, kind: 'became-leader', epoch: 1, leaderId: 1 },
];

describe('situationsJudged', () => {
  it('a run with a leader and nothing else met no situation of any of them', () => {
    expect(situations(leader)).toEqual({ CheckQuorum: 0, StableLeadership: 0, AtMostOneUncommittedVoterSet: 0, SnapshotAtLogStart: 0, LeaderNeverLoadSnapshot: 0 });
  });

  it('counts snapshots reported, snapshots loaded, and voter changes uncommitted in the leader\'s log (each once)', () => {
    const counted = situations([
      ...leader,
      { node: 2, kind: 'snapshot', epoch: 1, offset: 10, logStartOffset: 10 },
      { node: 3, kind: 'snapshot', epoch: 1, offset: 10, logStartOffset: 10 },
      { node: 3, kind: 'snapshot-loaded', epoch: 1, offset: 10, recordEpoch: 1 },
      // Node 1 appends "add 4" at offset 12; it stays uncommitted over two more events, then commits.
      { node: 1, kind: 'voters-changed', epoch: 1, offset: 12, voters: ['1', '2', '3', '4'] },
      { node: 1, kind: 'high-watermark', epoch: 1, highWatermark: 11 },
      { node: 1, kind: 'high-watermark', epoch: 1, highWatermark: 13 },
    ]);
    expect(counted).toEqual({ CheckQuorum: 0, StableLeadership: 0, AtMostOneUncommittedVoterSet: 1, SnapshotAtLogStart: 2, LeaderNeverLoadSnapshot: 1 });
  });

  it('a checker judging only some rules counts only theirs', () => {
    const checker = new InvariantChecker({ voters: [1, 2, 3], rules: ['CheckQuorum', 'StableLeadership'] });
    expect(checker.situationsJudged()).toEqual({ CheckQuorum: 0, StableLeadership: 0 });
  });

  it('StableLeadership counts a leadership only once a majority follows it inside its armed window', () => {
    const follow = (node: number): Event => ({ node, kind: 'epoch-changed', epoch: 1, state: 'follower', leaderId: 1, votedFor: 1 });
    const armedFor = (events: Event[]): number | undefined => {
      const checker = new InvariantChecker({ voters: [1, 2, 3] });
      checker.expectStableLeadership(500_000);
      events.forEach((event, index) => checker.observe({ timeNs: (index + 1) * 1_000_000, ...event }));
      return checker.situationsJudged().StableLeadership;
    };
    // A leader nobody follows: no settled leadership, so nothing an election could interrupt.
    expect(armedFor(leader)).toBe(0);
    expect(armedFor([...leader, follow(2)])).toBe(1);
    // Settled, but never armed: the window is what makes it judged.
    expect(situations([...leader, follow(2)]).StableLeadership).toBe(0);
  });
});
