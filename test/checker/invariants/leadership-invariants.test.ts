/**
 * The invariants Kafka's RaftEventSimulationTest added last: LeaderNeverLoadSnapshot and, for
 * KIP-996's pre-vote, StableLeadership. Each is shown failing on a stream that breaks it and
 * passing on the same stream without the break.
 */
import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../../src/history/node-event.js';
import { InvariantChecker } from '../../../src/checker/invariants/invariant-checker.js';
import type { Violation } from '../../../src/checker/invariants/violation.js';

const VOTERS = [1, 2, 3];
type Event = Omit<NodeEvent, 'timeNs'>;

/** Events 1 ms apart; `settleAfter` arms StableLeadership after that many events (counting from 1). */
function judge(events: Event[], settleAfter?: number): Violation[] {
  const checker = new InvariantChecker({ voters: VOTERS });
  events.forEach((event, i) => {
    checker.observe({ timeNs: (i + 1) * 1_000_000, ...event });
    if (settleAfter === i + 1) checker.expectStableLeadership((i + 1) * 1_000_000 + 1);
  });
  return checker.finish([]);
}

const rules = (violations: Violation[]): string[] => violations.map((violation) => violation.rule);

/** Node 1 leads epoch 1, nodes 2 and 3 follow it. */
const elected: Event[] = [
  { node: 1, kind: 'epoch-changed', epoch: 1, state: 'candidate', votedFor: 1, leaderId: null },
  { node: 2, kind: 'vote-granted', epoch: 1, votedFor: 1 },
  { node: 1, kind: 'epoch-changed', epoch: 1, state: 'leader', leaderId: 1, votedFor: 1 },
  { node: 1, kind: 'became-leader', epoch: 1, leaderId: 1 },
  { node: 2, kind: 'epoch-changed', epoch: 1, state: 'follower', leaderId: 1, votedFor: 1 },
  { node: 3, kind: 'epoch-changed', epoch: 1, state: 'follower', leaderId: 1, votedFor: null },
];

describe('LeaderNeverLoadSnapshot', () => {
  it('a leader loading a snapshot is a violation', () => {
    const violations = judge([...elected, { node: 1, kind: 'snapshot-loaded', epoch: 1, offset: 40, recordEpoch: 1 }]);
    expect(rules(violations)).toEqual(['LeaderNeverLoadSnapshot']);
    expect(violations[0]?.message).toBe('node 1 loaded the snapshot ending at offset 40 while leading epoch 1');
  });

  it('a follower catching up, and a node loading its own snapshot at start-up after leading, are fine', () => {
    expect(judge([
      ...elected,
      { node: 2, kind: 'snapshot-loaded', epoch: 1, offset: 40, recordEpoch: 1 },
      { node: 1, kind: 'restarted', epoch: 1, highWatermark: 40 },
      { node: 1, kind: 'snapshot-loaded', epoch: 1, offset: 40, recordEpoch: 1 },
    ])).toEqual([]);
  });

  it('a node that stepped down may load a snapshot, and one that leads again may not', () => {
    const steppedDown: Event[] = [...elected, { node: 1, kind: 'epoch-changed', epoch: 2, state: 'follower', leaderId: 2, votedFor: null }];
    expect(judge([...steppedDown, { node: 1, kind: 'snapshot-loaded', epoch: 2, offset: 40, recordEpoch: 1 }])).toEqual([]);
    expect(rules(judge([
      ...steppedDown,
      { node: 1, kind: 'epoch-changed', epoch: 3, state: 'leader', leaderId: 1, votedFor: 1 },
      { node: 1, kind: 'snapshot-loaded', epoch: 3, offset: 40, recordEpoch: 1 },
    ]))).toEqual(['LeaderNeverLoadSnapshot']);
  });
});

describe('StableLeadership', () => {
  const needlessElection: Event[] = [
    { node: 3, kind: 'epoch-changed', epoch: 2, state: 'candidate', leaderId: null, votedFor: 3 },
    { node: 2, kind: 'epoch-changed', epoch: 2, state: 'unattached', leaderId: null, votedFor: null },
  ];

  it('an election after a majority settled on a leader in a settled network is a violation', () => {
    const violations = judge([...elected, ...needlessElection], elected.length);
    expect(rules(violations)).toEqual(['StableLeadership', 'StableLeadership']);
    expect(violations[0]?.message).toBe('node 3 entered epoch 2 (candidate) although node 1 led epoch 1 with a majority ' +
      'following it in a settled network');
  });

  it('the same election before the network settled is not judged', () => {
    expect(judge([...elected, ...needlessElection])).toEqual([]);
  });

  it('a leader that resigns in a settled network is a violation', () => {
    expect(rules(judge([...elected, { node: 1, kind: 'epoch-changed', epoch: 1, state: 'resigned', leaderId: null, votedFor: 1 }],
      elected.length))).toEqual(['StableLeadership']);
  });

  it('settles once a majority follows the newest leader, not before', () => {
    // Armed while only the candidate exists: the election that follows is what settles leadership.
    const violations = judge([...elected, ...needlessElection.slice(0, 1)], 1);
    expect(rules(violations)).toEqual(['StableLeadership']);
    // Armed with only the leader itself reporting: no majority yet, so its election is not needless.
    expect(judge([
      { node: 1, kind: 'epoch-changed', epoch: 1, state: 'leader', leaderId: 1, votedFor: 1 },
      { node: 2, kind: 'epoch-changed', epoch: 2, state: 'candidate', leaderId: null, votedFor: 2 },
      { node: 2, kind: 'epoch-changed', epoch: 2, state: 'leader', leaderId: 2, votedFor: 2 },
    ], 1)).toEqual([]);
  });

  it('a restarted voter rejoining in the settled epoch is fine', () => {
    expect(judge([
      ...elected,
      { node: 3, kind: 'restarted', epoch: 1, highWatermark: 0 },
      { node: 3, kind: 'epoch-changed', epoch: 1, state: 'follower', leaderId: 1, votedFor: null },
    ], elected.length)).toEqual([]);
  });
});
