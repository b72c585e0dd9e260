/**
 * The invariants added so that bug switches are caught quickly (issue 8): LeaderCommitsOwnEpoch
 * (Raft figure 8), CheckQuorum (a superseded leader resigns in time) and AppliedBeforeAcknowledged
 * (a node answers a write only once it applied it). Each fails on a stream that breaks it and holds
 * on the same stream without the break.
 */
import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../../src/history/node-event.js';
import type { Operation } from '../../../src/history/operation.js';
import { InvariantChecker } from '../../../src/checker/invariants/invariant-checker.js';
import type { AcknowledgedWrite } from '../../../src/checker/invariants/acknowledged-writes.js';
import type { Violation } from '../../../src/checker/invariants/violation.js';

const VOTERS = [1, 2, 3];
type Event = Omit<NodeEvent, 'timeNs'> & { atMs: number };

/** The violations of the rule under test (the streams are cut short, so other rules need not hold on them). */
function judge(rule: string, events: Event[], options: { checkQuorumBoundMs?: number; acknowledged?: AcknowledgedWrite[] } = {}): Violation[] {
  const checker = new InvariantChecker({ voters: VOTERS });
  if (options.checkQuorumBoundMs !== undefined) checker.expectCheckQuorum(options.checkQuorumBoundMs * 1e6);
  for (const { atMs, ...event } of events) checker.observe({ timeNs: atMs * 1e6, ...event });
  return checker.finish(options.acknowledged ?? []).filter((violation) => violation.rule === rule);
}

const rules = (violations: Violation[]): string[] => violations.map((violation) => violation.rule);

function leads(node: number, epoch: number, atMs: number): Event[] {
  return [
    { atMs, node, kind: 'epoch-changed', epoch, state: 'leader', leaderId: node, votedFor: node },
    { atMs, node, kind: 'became-leader', epoch, leaderId: node },
  ];
}

describe('LeaderCommitsOwnEpoch', () => {
  /** Node 2 leads epoch 2 with records 0-1 of epoch 1 uncommitted, its epoch-start record at offset 2. */
  const newLeader: Event[] = [...leads(2, 2, 10)];

  it('a leader whose high watermark first ends on an older epoch\'s record breaks it', () => {
    const violations = judge('LeaderCommitsOwnEpoch', [
      ...newLeader,
      { atMs: 20, node: 2, kind: 'high-watermark', epoch: 2, highWatermark: 2 },
      { atMs: 20, node: 2, kind: 'committed', epoch: 2, offset: 0, recordEpoch: 1, digest: 'a' },
      { atMs: 20, node: 2, kind: 'committed', epoch: 2, offset: 1, recordEpoch: 1, digest: 'b' },
    ]);
    expect(rules(violations)).toEqual(['LeaderCommitsOwnEpoch']);
    expect(violations[0]!.message).toBe('node 2, leading epoch 2, moved its high watermark to 2 over a record of epoch 1 before any record of its own epoch was committed');
  });

  it('committing the older records together with its own epoch-start record is right; so is a follower committing old records', () => {
    expect(judge('LeaderCommitsOwnEpoch', [
      ...newLeader,
      { atMs: 20, node: 2, kind: 'high-watermark', epoch: 2, highWatermark: 3 },
      { atMs: 20, node: 2, kind: 'committed', epoch: 2, offset: 0, recordEpoch: 1, digest: 'a' },
      { atMs: 20, node: 2, kind: 'committed', epoch: 2, offset: 1, recordEpoch: 1, digest: 'b' },
      { atMs: 20, node: 2, kind: 'committed', epoch: 2, offset: 2, recordEpoch: 2, digest: 'c' },
      { atMs: 21, node: 3, kind: 'high-watermark', epoch: 2, highWatermark: 2 },
      { atMs: 21, node: 3, kind: 'committed', epoch: 2, offset: 0, recordEpoch: 1, digest: 'a' },
      { atMs: 21, node: 3, kind: 'committed', epoch: 2, offset: 1, recordEpoch: 1, digest: 'b' },
    ])).toEqual([]);
  });
});

describe('CheckQuorum', () => {
  /** Node 1 leads epoch 1; at 5 s node 2 is elected for epoch 2; node 1 goes on appending. */
  const superseded = (lastLeaderEventMs: number): Event[] => [
    ...leads(1, 1, 0),
    ...leads(2, 2, 5_000),
    { atMs: lastLeaderEventMs, node: 1, kind: 'log-flushed', epoch: 1, offset: 12, recordEpoch: 1 },
  ];

  it('a leader still leading its old epoch past the bound after a later leader was elected breaks it', () => {
    const violations = judge('CheckQuorum', superseded(8_000), { checkQuorumBoundMs: 2_000 });
    expect(rules(violations)).toEqual(['CheckQuorum']);
    expect(violations[0]!.message).toBe('node 1 still led epoch 1 3.0 s after node 2 was elected leader of epoch 2 (check-quorum bound 2.0 s)');
  });

  it('within the bound, after stepping down, or unarmed (nodes on their own clocks), it judges nothing wrong', () => {
    expect(judge('CheckQuorum', superseded(6_500), { checkQuorumBoundMs: 2_000 })).toEqual([]);
    expect(judge('CheckQuorum', [
      ...leads(1, 1, 0), ...leads(2, 2, 5_000),
      { atMs: 6_000, node: 1, kind: 'epoch-changed', epoch: 1, state: 'resigned', leaderId: 1, votedFor: 1 },
      { atMs: 8_000, node: 1, kind: 'log-flushed', epoch: 1, offset: 12, recordEpoch: 1 },
    ], { checkQuorumBoundMs: 2_000 })).toEqual([]);
    expect(judge('CheckQuorum', superseded(8_000))).toEqual([]);
  });

  it('a stale leader that emits nothing as leader but steps down past the bound (at the heal) breaks it too', () => {
    const quietUntil = (stepDownMs: number): Event[] => [
      ...leads(1, 1, 0), ...leads(2, 2, 5_000),
      { atMs: stepDownMs, node: 1, kind: 'epoch-changed', epoch: 2, state: 'follower', leaderId: 2, votedFor: null },
    ];
    const violations = judge('CheckQuorum', quietUntil(9_000), { checkQuorumBoundMs: 2_000 });
    expect(rules(violations)).toEqual(['CheckQuorum']);
    expect(violations[0]!.message).toBe('node 1 led epoch 1 until 4.0 s after node 2 was elected leader of epoch 2 (check-quorum bound 2.0 s)');
    expect(judge('CheckQuorum', quietUntil(6_000), { checkQuorumBoundMs: 2_000 })).toEqual([]);
  });

  it('a leader paused past the election is judged from when it resumed', () => {
    const paused = (lastLeaderEventMs: number): Event[] => [
      ...leads(1, 1, 0), ...leads(2, 2, 5_000),
      { atMs: lastLeaderEventMs, node: 1, kind: 'log-flushed', epoch: 1, offset: 12, recordEpoch: 1 },
    ];
    const judgePaused = (events: Event[]): Violation[] => {
      const checker = new InvariantChecker({ voters: VOTERS });
      // Node 1 stopped from 4 s to 9 s; node 3's pause is not node 1's.
      checker.expectCheckQuorum(2_000 * 1e6, [{ node: 1, fromNs: 4_000 * 1e6, toNs: 9_000 * 1e6 }, { node: 3, fromNs: 9_000 * 1e6, toNs: 20_000 * 1e6 }]);
      for (const { atMs, ...event } of events) checker.observe({ timeNs: atMs * 1e6, ...event });
      return checker.finish([]).filter((violation) => violation.rule === 'CheckQuorum');
    };
    // 4.5 s after the election but 0.5 s after it resumed: it could not have resigned sooner.
    expect(judgePaused(paused(9_500))).toEqual([]);
    expect(rules(judge('CheckQuorum', paused(9_500), { checkQuorumBoundMs: 2_000 })), 'without the pause it is stale').toEqual(['CheckQuorum']);
    const stale = judgePaused(paused(11_500));
    expect(rules(stale)).toEqual(['CheckQuorum']);
    expect(stale[0]!.message).toBe('node 1 still led epoch 1 6.5 s after node 2 was elected leader of epoch 2 and 2.5 s after it resumed from a pause (check-quorum bound 2.0 s)');
  });

  it('counts the leaderships it judged: superseded while held and seen again, not a leader killed and restarted', () => {
    const judged = (events: Event[]): number | undefined => {
      const checker = new InvariantChecker({ voters: VOTERS });
      checker.expectCheckQuorum(2_000 * 1e6);
      for (const { atMs, ...event } of events) checker.observe({ timeNs: atMs * 1e6, ...event });
      return checker.situationsJudged().CheckQuorum;
    };
    expect(judged(superseded(6_500))).toBe(1);
    expect(judged([...leads(1, 1, 0), ...leads(2, 2, 5_000), { atMs: 5_500, node: 1, kind: 'restarted', epoch: 1, highWatermark: 3 }])).toBe(0);
    // Under kraft.version 1 a restarted node says which disk it runs on first: that is the new process too, no act of the old leader.
    const killedLeader: Event[] = [
      ...leads(1, 1, 0), ...leads(2, 2, 5_000),
      { atMs: 11_000, node: 1, kind: 'replica-started', epoch: 1, directoryId: 'disk-a' },
      { atMs: 11_000, node: 1, kind: 'restarted', epoch: 1, highWatermark: 3 },
      { atMs: 11_000, node: 1, kind: 'epoch-changed', epoch: 1, state: 'resigned', leaderId: null, votedFor: 1 },
    ];
    expect(judge('CheckQuorum', killedLeader, { checkQuorumBoundMs: 2_000 })).toEqual([]);
    expect(judged(killedLeader)).toBe(0);
    // Never superseded: nothing to judge.
    expect(judged([...leads(1, 1, 0), { atMs: 8_000, node: 1, kind: 'log-flushed', epoch: 1, offset: 12, recordEpoch: 1 }])).toBe(0);
  });
});

describe('AppliedBeforeAcknowledged', () => {
  const applied: Event[] = [
    { atMs: 10, node: 2, kind: 'high-watermark', epoch: 1, highWatermark: 6 },
    { atMs: 10, node: 2, kind: 'committed', epoch: 1, offset: 5, recordEpoch: 1, digest: 'x' },
    { atMs: 10, node: 1, kind: 'committed', epoch: 1, offset: 5, recordEpoch: 1, digest: 'x' },
  ];
  const ackedBy = (node: number, atMs: number): AcknowledgedWrite => ({
    committedOffset: 5, committedEpoch: 1,
    operation: { index: 3, type: 'ok', process: 0, f: 'create-topic', value: { created: true }, timeNs: atMs * 1e6, node } as Operation,
  });

  it('a write a node acknowledged before it applied it breaks it, naming the node and the gap', () => {
    const violations = judge('AppliedBeforeAcknowledged', applied, { acknowledged: [ackedBy(2, 4)] });
    expect(rules(violations)).toEqual(['AppliedBeforeAcknowledged']);
    expect(violations[0]!.message).toBe('node 2 acknowledged a write at offset 5 (epoch 1) 6.0 ms before it applied it');
  });

  it('a node that never applied what it acknowledged breaks it; an answer after applying does not', () => {
    const other: Event[] = [...applied, { atMs: 1, node: 3, kind: 'epoch-changed', epoch: 1, state: 'follower', leaderId: 1, votedFor: null }];
    expect(rules(judge('AppliedBeforeAcknowledged', other, { acknowledged: [ackedBy(3, 40)] }))).toEqual(['AppliedBeforeAcknowledged']);
    expect(judge('AppliedBeforeAcknowledged', applied, { acknowledged: [ackedBy(2, 12), ackedBy(1, 10)] })).toEqual([]);
  });
});
