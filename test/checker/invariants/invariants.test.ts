import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../../src/history/node-event.js';
import { InvariantChecker } from '../../../src/checker/invariants/invariant-checker.js';
import { mergeByTime, parseNodeEvents } from '../../../src/checker/invariants/event-log-reader.js';
import type { Violation } from '../../../src/checker/invariants/violation.js';

const VOTERS = [1, 2, 3];

/** Events with a time that increases by 1 ms per event, so streams read like transcripts. */
function stream(...events: Omit<NodeEvent, 'timeNs'>[]): NodeEvent[] {
  return events.map((event, i) => ({ timeNs: (i + 1) * 1_000_000, ...event }));
}

function judge(events: NodeEvent[], acknowledged: Parameters<InvariantChecker['finish']>[0] = []): Violation[] {
  const checker = new InvariantChecker({ voters: VOTERS });
  for (const event of events) checker.observe(event);
  return checker.finish(acknowledged);
}

function rules(violations: Violation[]): string[] {
  return violations.map((violation) => violation.rule);
}

/** A healthy election and one committed record, used as the base of several cases. */
const healthy = stream(
  { node: 1, kind: 'epoch-changed', epoch: 1, state: 'candidate', votedFor: 1, leaderId: null },
  { node: 2, kind: 'vote-granted', epoch: 1, votedFor: 1 },
  { node: 1, kind: 'epoch-changed', epoch: 1, state: 'leader', leaderId: 1, votedFor: 1 },
  { node: 2, kind: 'epoch-changed', epoch: 1, state: 'follower', leaderId: 1, votedFor: 1 },
  { node: 1, kind: 'log-flushed', epoch: 1, offset: 1, recordEpoch: 1 },
  { node: 2, kind: 'log-flushed', epoch: 1, offset: 1, recordEpoch: 1 },
  { node: 1, kind: 'high-watermark', epoch: 1, highWatermark: 1 },
  { node: 1, kind: 'committed', epoch: 1, offset: 0, recordEpoch: 1, digest: 'aa' },
  { node: 2, kind: 'high-watermark', epoch: 1, highWatermark: 1 },
  { node: 2, kind: 'committed', epoch: 1, offset: 0, recordEpoch: 1, digest: 'aa' },
);

describe('invariants', () => {
  it('accept a healthy election and commit', () => {
    expect(judge(healthy, [{ committedOffset: 0, committedEpoch: 1 }])).toEqual([]);
  });

  it('SingleLeader: two nodes leading one epoch', () => {
    const violations = judge(stream(
      { node: 1, kind: 'became-leader', epoch: 3 },
      { node: 2, kind: 'epoch-changed', epoch: 3, state: 'leader', leaderId: 2 },
    ));
    expect(rules(violations)).toEqual(['SingleLeader']);
    expect(violations[0]?.message).toContain('epoch 3 has two leaders');
    expect(violations[0]?.events.map((event) => event.node)).toEqual([1, 2]);
  });

  it('SingleLeader: a follower naming a different leader than the one that was elected', () => {
    expect(rules(judge(stream(
      { node: 1, kind: 'became-leader', epoch: 3 },
      { node: 3, kind: 'epoch-changed', epoch: 3, state: 'follower', leaderId: 2 },
    )))).toEqual(['SingleLeader']);
  });

  it('SingleLeader: the same leader in different epochs is fine', () => {
    expect(judge(stream(
      { node: 1, kind: 'became-leader', epoch: 3 },
      { node: 2, kind: 'became-leader', epoch: 4 },
      { node: 3, kind: 'epoch-changed', epoch: 4, state: 'follower', leaderId: 2 },
    ))).toEqual([]);
  });

  it('SingleVote: a node that forgot its vote in a restart and voted again', () => {
    const violations = judge(stream(
      { node: 3, kind: 'vote-granted', epoch: 5, votedFor: 1 },
      { node: 3, kind: 'restarted', epoch: 5 },
      { node: 3, kind: 'vote-granted', epoch: 5, votedFor: 2 },
    ));
    expect(rules(violations)).toEqual(['SingleVote']);
    expect(violations[0]?.message).toBe('node 3 voted for both node 1 and node 2 in epoch 5');
  });

  it('MonotonicEpoch: a restart that lost the durable epoch', () => {
    const violations = judge(stream(
      { node: 2, kind: 'epoch-changed', epoch: 7, state: 'follower', leaderId: 1 },
      { node: 2, kind: 'restarted', epoch: 6 },
    ));
    expect(rules(violations)).toEqual(['MonotonicEpoch']);
    expect(violations[0]?.message).toContain('across a restart');
  });

  it('MonotonicHighWatermark: going back is a violation, except at a restart', () => {
    expect(rules(judge(stream(
      { node: 2, kind: 'high-watermark', epoch: 1, highWatermark: 0 },
      { node: 2, kind: 'log-flushed', epoch: 1, offset: 5, recordEpoch: 1 },
      { node: 3, kind: 'log-flushed', epoch: 1, offset: 5, recordEpoch: 1 },
      { node: 2, kind: 'high-watermark', epoch: 1, highWatermark: 5 },
      { node: 2, kind: 'high-watermark', epoch: 1, highWatermark: 4 },
    )))).toEqual(['MonotonicHighWatermark']);
    expect(judge(stream(
      { node: 2, kind: 'log-flushed', epoch: 1, offset: 5, recordEpoch: 1 },
      { node: 3, kind: 'log-flushed', epoch: 1, offset: 5, recordEpoch: 1 },
      { node: 2, kind: 'high-watermark', epoch: 1, highWatermark: 5 },
      { node: 2, kind: 'restarted', epoch: 1 },
      { node: 2, kind: 'high-watermark', epoch: 1, highWatermark: 2 },
    ))).toEqual([]);
  });

  it('MajorityReachedHighWatermark: a high watermark only the leader had flushed', () => {
    const violations = judge(stream(
      { node: 1, kind: 'log-flushed', epoch: 1, offset: 3, recordEpoch: 1 },
      { node: 2, kind: 'log-flushed', epoch: 1, offset: 2, recordEpoch: 1 },
      { node: 1, kind: 'high-watermark', epoch: 1, highWatermark: 2 },
      { node: 1, kind: 'high-watermark', epoch: 1, highWatermark: 3 },
    ));
    expect(rules(violations)).toEqual(['MajorityReachedHighWatermark']);
    expect(violations[0]?.message).toContain('only 1 of 3 voters');
  });

  it('MajorityReachedHighWatermark: a truncated log no longer counts, and observers never count', () => {
    const checker = new InvariantChecker({ voters: [1, 2, 3] });
    const events = stream(
      { node: 1, kind: 'log-flushed', epoch: 1, offset: 4, recordEpoch: 1 },
      { node: 2, kind: 'log-flushed', epoch: 1, offset: 4, recordEpoch: 1 },
      { node: 2, kind: 'log-truncated', epoch: 2, offset: 2 },
      { node: 9, kind: 'log-flushed', epoch: 1, offset: 4, recordEpoch: 1 },
      { node: 1, kind: 'high-watermark', epoch: 2, highWatermark: 4 },
    );
    const violations = events.flatMap((event) => checker.observe(event));
    expect(rules(violations)).toEqual(['MajorityReachedHighWatermark']);
  });

  it('AtMostOneUncommittedVoterSet: a leader that writes a second voter change before the first commits', () => {
    const violations = judge(stream(
      { node: 1, kind: 'became-leader', epoch: 2 },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 1, voters: ['1@a', '2@b', '3@c'] },
      { node: 1, kind: 'log-flushed', epoch: 2, offset: 2, recordEpoch: 2 },
      { node: 2, kind: 'log-flushed', epoch: 2, offset: 2, recordEpoch: 2 },
      { node: 1, kind: 'high-watermark', epoch: 2, highWatermark: 2 },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 5, voters: ['1@a', '2@b', '3@c', '4@d'] },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 6, voters: ['1@a', '2@b', '3@c', '4@d', '5@e'] },
    ));
    expect(rules(violations)).toEqual(['AtMostOneUncommittedVoterSet']);
    expect(violations[0]?.message).toContain('two uncommitted voter sets above its high watermark 2');
  });

  it('AtMostOneUncommittedVoterSet: one change at a time, each committed before the next, is fine', () => {
    expect(rules(judge(stream(
      { node: 1, kind: 'became-leader', epoch: 2 },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 1, voters: ['1@a', '2@b', '3@c'] },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 1, voters: ['1@a', '2@b', '3@c'] },
      { node: 1, kind: 'log-flushed', epoch: 2, offset: 2, recordEpoch: 2 },
      { node: 2, kind: 'log-flushed', epoch: 2, offset: 2, recordEpoch: 2 },
      { node: 1, kind: 'high-watermark', epoch: 2, highWatermark: 2 },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 2, voters: ['1@a', '2@b', '3@c', '4@d'] },
      { node: 1, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 2, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 4, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 1, kind: 'high-watermark', epoch: 2, highWatermark: 3 },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 3, voters: ['1@a', '2@b', '4@d'] },
    )))).toEqual([]);
  });

  it('MajorityReachedHighWatermark: with voter sets in the log, a majority of the set in force counts', () => {
    const grown: Omit<NodeEvent, 'timeNs'>[] = [
      { node: 1, kind: 'became-leader', epoch: 2 },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 1, voters: ['1@a', '4@d', '5@e'] },
    ];
    // Nodes 2 and 3 are no longer voters: their flushed logs do not make a majority of {1, 4, 5}.
    expect(rules(judge(stream(...grown,
      { node: 1, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 2, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 3, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 1, kind: 'high-watermark', epoch: 2, highWatermark: 3 },
    )))).toEqual(['MajorityReachedHighWatermark']);
    expect(rules(judge(stream(...grown,
      { node: 1, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 5, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 1, kind: 'high-watermark', epoch: 2, highWatermark: 3 },
    )))).toEqual([]);
  });

  it('MajorityReachedHighWatermark: a follower whose log has no new voter set yet is judged by the leader\'s newest set too', () => {
    const grown: Omit<NodeEvent, 'timeNs'>[] = [
      { node: 1, kind: 'became-leader', epoch: 2 },
      { node: 1, kind: 'voters-changed', epoch: 2, offset: 1, voters: ['1', '4', '5'] },
      { node: 1, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
      { node: 4, kind: 'log-flushed', epoch: 2, offset: 3, recordEpoch: 2 },
    ];
    // Node 2's own log still holds the initial voters {1, 2, 3}, of which only node 1 flushed to 3;
    // of the leader's newest set {1, 4, 5}, nodes 1 and 4 did.
    expect(judge(stream(...grown, { node: 2, kind: 'high-watermark', epoch: 2, highWatermark: 3 }))).toEqual([]);
    const violations = judge(stream(...grown.slice(0, 3), { node: 2, kind: 'high-watermark', epoch: 2, highWatermark: 3 }));
    expect(violations.map((violation) => violation.message)).toEqual([
      'node 2 reached high watermark 3, but no voter set in force had a majority flushed that far ' +
      '(voters with their flushed ends: [1:3 2:0 3:0] or [1:3 4:0 5:0])',
    ]);
  });

  it('MajorityReachedHighWatermark: a replaced disk keeps its flushed end; the new disk counts only once a voter set names it', () => {
    const voters = ['1@a', '2@b', '3@c'];
    const started: Omit<NodeEvent, 'timeNs'>[] = [
      { node: 1, kind: 'replica-started', epoch: 0, directoryId: 'a' },
      { node: 2, kind: 'replica-started', epoch: 0, directoryId: 'b' },
      { node: 3, kind: 'replica-started', epoch: 0, directoryId: 'c' },
      ...[1, 2, 3].map((node) => ({ node, kind: 'voters-changed' as const, epoch: 1, offset: 1, voters })),
      { node: 2, kind: 'became-leader', epoch: 2 },
      { node: 1, kind: 'log-flushed', epoch: 2, offset: 25, recordEpoch: 1 },
      { node: 2, kind: 'log-flushed', epoch: 2, offset: 30, recordEpoch: 2 },
    ];
    // Sweep seed 965476439: 3@c flushed to 30 and fetched; its disk was replaced before the fetch
    // arrived, and the leader counted it (it names 3@c, the voter). The new disk's 0 is 3@d's.
    expect(judge(stream(...started,
      { node: 3, kind: 'log-flushed', epoch: 2, offset: 30, recordEpoch: 2 },
      { node: 3, kind: 'replica-started', epoch: 0, directoryId: 'd' },
      { node: 3, kind: 'log-flushed', epoch: 0, offset: 0, recordEpoch: 0 },
      { node: 2, kind: 'high-watermark', epoch: 2, highWatermark: 30 },
    ))).toEqual([]);
    // The other way round is a violation: the old disk never had 30, the new disk (no voter) has.
    const violations = judge(stream(...started,
      { node: 3, kind: 'log-flushed', epoch: 2, offset: 21, recordEpoch: 1 },
      { node: 3, kind: 'replica-started', epoch: 0, directoryId: 'd' },
      { node: 3, kind: 'log-flushed', epoch: 2, offset: 30, recordEpoch: 2 },
      { node: 2, kind: 'high-watermark', epoch: 2, highWatermark: 30 },
    ));
    expect(rules(violations)).toEqual(['MajorityReachedHighWatermark']);
    expect(violations[0]?.message).toContain('[1@a:25 2@b:30 3@c:21]');
  });

  it('a node back on a replaced disk (another directory id) is a new replica: its epoch and vote start afresh', () => {
    const before: Omit<NodeEvent, 'timeNs'>[] = [
      { node: 3, kind: 'replica-started', epoch: 0, directoryId: 'old' },
      { node: 3, kind: 'vote-granted', epoch: 5, votedFor: 1 },
      { node: 3, kind: 'epoch-changed', epoch: 5, state: 'unattached', leaderId: null, votedFor: 1 },
    ];
    const after: Omit<NodeEvent, 'timeNs'>[] = [
      { node: 3, kind: 'epoch-changed', epoch: 0, state: 'unattached', leaderId: null, votedFor: null },
      { node: 3, kind: 'epoch-changed', epoch: 5, state: 'unattached', leaderId: null, votedFor: 2 },
    ];
    expect(rules(judge(stream(...before, { node: 3, kind: 'replica-started', epoch: 0, directoryId: 'new' }, ...after)))).toEqual([]);
    expect(rules(judge(stream(...before, { node: 3, kind: 'replica-started', epoch: 0, directoryId: 'old' }, ...after))))
      .toEqual(['MonotonicEpoch', 'SingleVote']);
  });

  it('SnapshotAtLogStart: a log that starts after its snapshot ends', () => {
    expect(rules(judge(stream(
      { node: 1, kind: 'snapshot', epoch: 2, offset: 10, logStartOffset: 12 },
    )))).toEqual(['SnapshotAtLogStart']);
    expect(judge(stream({ node: 1, kind: 'snapshot', epoch: 2, offset: 10, logStartOffset: 10 }))).toEqual([]);
    // Retention keeps log behind a local snapshot: no gap, so no violation.
    expect(judge(stream({ node: 1, kind: 'snapshot', epoch: 2, offset: 10, logStartOffset: 7 }))).toEqual([]);
  });

  it('ConsistentCommittedData: two nodes committing different records at one offset', () => {
    const violations = judge(stream(
      { node: 1, kind: 'committed', epoch: 2, offset: 4, recordEpoch: 2, digest: 'aa' },
      { node: 2, kind: 'committed', epoch: 3, offset: 4, recordEpoch: 2, digest: 'bb' },
    ));
    expect(rules(violations)).toEqual(['ConsistentCommittedData']);
    expect(violations[0]?.message).toContain('offset 4');
  });

  it('NoAcknowledgedWriteLost: an acknowledged write overwritten by another epoch, or never committed', () => {
    const violations = judge(healthy, [
      { committedOffset: 0, committedEpoch: 2 },
      { committedOffset: 9, committedEpoch: 1 },
    ]);
    expect(rules(violations)).toEqual(['NoAcknowledgedWriteLost', 'NoAcknowledgedWriteLost']);
    expect(violations[0]?.message).toContain('was lost');
    expect(violations[1]?.message).toContain('never committed');
  });
});

describe('event log files', () => {
  it('parse JSON lines and name the line of bad input', () => {
    const text = healthy.map((event) => JSON.stringify(event)).join('\n') + '\n';
    expect(parseNodeEvents(text, 'n1.jsonl')).toEqual(healthy);
    expect(() => parseNodeEvents('{"timeNs":1,"node":1,"epoch":1,"kind":"bogus"}', 'n1.jsonl'))
      .toThrow("n1.jsonl:1: unknown event kind \"bogus\"");
    expect(() => parseNodeEvents('\n{"timeNs":"x"}', 'n2.jsonl')).toThrow("n2.jsonl:2: field 'timeNs'");
    expect(() => parseNodeEvents('{oops', 'n3.jsonl')).toThrow('n3.jsonl:1: not JSON');
  });

  it('merge per-node streams by time, keeping each stream in order on ties', () => {
    const a: NodeEvent[] = [{ timeNs: 1, node: 1, kind: 'restarted', epoch: 0 }, { timeNs: 5, node: 1, kind: 'restarted', epoch: 1 }];
    const b: NodeEvent[] = [{ timeNs: 1, node: 2, kind: 'restarted', epoch: 0 }, { timeNs: 3, node: 2, kind: 'restarted', epoch: 2 }];
    expect(mergeByTime([a, b]).map((event) => [event.node, event.timeNs])).toEqual([[1, 1], [2, 1], [2, 3], [1, 5]]);
  });
});

describe('checkEventLogs over files', () => {
  it('judges per-node log files merged by time', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { checkEventLogs } = await import('../../../src/checker/invariants/event-log-reader.js');
    const directory = await mkdtemp(join(tmpdir(), 'event-logs-'));
    const write = async (name: string, events: NodeEvent[]): Promise<string> => {
      const path = join(directory, name);
      await writeFile(path, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
      return path;
    };
    const byNode = (node: number): NodeEvent[] => healthy.filter((event) => event.node === node);
    const paths = [await write('n1.jsonl', byNode(1)), await write('n2.jsonl', byNode(2))];
    expect(await checkEventLogs(paths, VOTERS, [{ committedOffset: 0, committedEpoch: 1 }])).toEqual([]);
    // A third node that claims leadership of epoch 1 too.
    paths.push(await write('n3.jsonl', [{ timeNs: 9_000_000, node: 3, kind: 'became-leader', epoch: 1 }]));
    expect((await checkEventLogs(paths, VOTERS)).map((violation) => violation.rule)).toEqual(['SingleLeader']);
  });
});
