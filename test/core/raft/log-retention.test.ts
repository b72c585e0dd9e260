/**
 * Log retention behind a snapshot (issue 12): a leader that keeps some log behind its newest
 * snapshot lets a follower a few entries behind catch up from the log, without fetching the
 * snapshot; the entries and size bounds each hold; and with none kept (the core's default) the
 * follower must fetch the snapshot, as before.
 */
import { describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../../src/core/host-interface.js';
import type { QuorumNodeConfigInput } from '../../../src/core/quorum-node-config.js';
import { QuorumNode } from '../../../src/core/quorum-node.js';
import { RaftLog } from '../../../src/core/raft/raft-log.js';
import { createTopicOk, settleLeader } from '../../support/settled-leader.js';
import { seededRandom, TinyCluster } from '../../support/tiny-cluster.js';

const TOPICS_WHILE_DOWN = 12;

/**
 * 3 voters taking a snapshot every 3 entries; one follower is down while the leader commits 12
 * one-partition topics (past several snapshots), then starts again and catches up.
 */
function followerBehind(settings: Partial<QuorumNodeConfigInput>) {
  const cluster = new TinyCluster([1, 2, 3], [], { snapshotIntervalEntries: 3, ...settings });
  const snapshotFetches: number[] = [];
  cluster.wire = (envelope: PeerEnvelope) => {
    if ((envelope.message as { type: string }).type === 'fetch-snapshot') snapshotFetches.push(envelope.from);
    return envelope;
  };
  const { leader, lagging } = settleLeader(cluster);
  cluster.crash(lagging);
  const behindFrom = cluster.disks.get(lagging)!.log.at(-1)!.offset + 1;
  for (let i = 0; i < TOPICS_WHILE_DOWN; i++) {
    createTopicOk(cluster, leader, `t${i}`, 1);
  }
  const leaderState = cluster.nodes.get(leader)!.debugState();
  const leaderSnapshotEnd = cluster.disks.get(leader)!.snapshot!.endOffset;
  cluster.start(lagging, true);
  const caughtUp = cluster.run(cluster.nowMs + 20_000,
    () => cluster.nodes.get(lagging)!.committedImage.topicNames().length === TOPICS_WHILE_DOWN);
  return { cluster, leader, lagging, behindFrom, leaderState, leaderSnapshotEnd, caughtUp, snapshotFetches };
}

describe('log retention behind a snapshot', () => {
  it('a follower a few entries behind catches up from the log kept behind the snapshot, fetching no snapshot', () => {
    const { cluster, lagging, behindFrom, leaderState, leaderSnapshotEnd, caughtUp, snapshotFetches } =
      followerBehind({ logRetentionEntries: 100, logRetentionSize: 1_000_000 });
    expect(caughtUp).toBe(true);
    // The leader snapshotted past where the follower stopped, but its log still starts before it.
    expect(leaderSnapshotEnd).toBeGreaterThan(behindFrom);
    expect(leaderState.logStartOffset).toBeLessThanOrEqual(behindFrom);
    expect(snapshotFetches.filter((from) => from === lagging)).toEqual([]);
    expect(cluster.events.filter((e) => e.node === lagging && e.kind === 'snapshot' && e.offset === leaderSnapshotEnd && e.logStartOffset === e.offset)).toEqual([]);
  });

  it('with no log kept behind the snapshot (the default) the same follower must fetch the snapshot', () => {
    const { lagging, behindFrom, leaderState, leaderSnapshotEnd, caughtUp, snapshotFetches } = followerBehind({});
    expect(caughtUp).toBe(true);
    expect(leaderState.logStartOffset).toBe(leaderSnapshotEnd);
    expect(leaderSnapshotEnd).toBeGreaterThan(behindFrom);
    expect(snapshotFetches.filter((from) => from === lagging).length).toBeGreaterThan(0);
  });

  it('keeps at most the entries bound behind the snapshot: a follower further behind fetches the snapshot', () => {
    const { cluster, leader, lagging, leaderState, leaderSnapshotEnd, caughtUp, snapshotFetches } =
      followerBehind({ logRetentionEntries: 4, logRetentionSize: 1_000_000 });
    expect(caughtUp).toBe(true);
    expect(leaderState.logStartOffset).toBe(leaderSnapshotEnd - 4);
    expect(snapshotFetches.filter((from) => from === lagging).length).toBeGreaterThan(0);
    // Every snapshot the leader took left exactly 4 entries behind it (once it had that many).
    const snapshots = cluster.events.filter((e) => e.node === leader && e.kind === 'snapshot');
    expect(snapshots.length).toBeGreaterThan(2);
    for (const event of snapshots.slice(2)) expect(event.offset! - event.logStartOffset!).toBe(4);
  });

  it('keeps at most the size bound (records) behind the snapshot', () => {
    // A one-partition topic is one entry of 2 records (the topic and its partition); the epoch's
    // first entry and broker registrations are entries too, of 1 record or more.
    const { cluster, leader } = followerBehind({ logRetentionEntries: 100, logRetentionSize: 5 });
    const node = cluster.nodes.get(leader)!;
    const snapshots = cluster.events.filter((e) => e.node === leader && e.kind === 'snapshot');
    expect(snapshots.length).toBeGreaterThan(2);
    const last = snapshots.at(-1)!;
    const kept = last.offset! - last.logStartOffset!;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(5);
    expect(node.debugState().logStartOffset).toBeLessThan(last.offset!);
  });
});

describe('RaftLog behind its snapshot', () => {
  function logOf(epochs: number[]): RaftLog<string> {
    const log = new RaftLog<string>();
    epochs.forEach((epoch, offset) => log.append({ offset, epoch, record: `r${offset}` }));
    return log;
  }

  it('a snapshot leaves the log in place until deleteBefore, which keeps the epochs of what remains', () => {
    const log = logOf([1, 1, 2, 2, 3, 3, 3]);
    log.snapshotTaken({ endOffset: 5, lastEpoch: 3 });
    expect(log.startOffset).toBe(0);
    expect(log.snapshotEndOffset).toBe(5);
    log.deleteBefore(3);
    expect(log.startOffset).toBe(3);
    expect(log.epochBefore(3)).toBe(2);
    expect(log.epochBefore(5)).toBe(3);
    // Epoch 2 ends at 4 (where epoch 3 starts); epoch 1 is older than anything held: the log start.
    expect(log.endOffsetForEpoch(2)).toEqual({ epoch: 2, endOffset: 4 });
    expect(log.endOffsetForEpoch(1)).toBeUndefined();
    log.deleteBefore(5);
    expect(log.startOffset).toBe(5);
    // Entry 4 (epoch 3) went too: epoch 2 now lies wholly below the log start.
    expect(log.endOffsetForEpoch(2)).toBeUndefined();
    expect(log.endOffsetForEpoch(3)).toEqual({ epoch: 3, endOffset: 7 });
  });

  it('never truncates below the snapshot, nor deletes past it', () => {
    const log = logOf([1, 1, 2, 2]);
    log.snapshotTaken({ endOffset: 3, lastEpoch: 2 });
    log.deleteBefore(1);
    expect(() => log.truncateTo(2)).toThrow(/below the snapshot end 3/);
    expect(() => log.deleteBefore(4)).toThrow(/past the snapshot end 3/);
    log.truncateTo(3);
    expect(log.endOffset).toBe(3);
    expect(log.lastEpoch).toBe(2);
  });
});

describe('a node restarted with the log kept behind its snapshot', () => {
  it('starts its log just after the first entry recovered (its epoch only), trimmed to its retention', () => {
    const cluster = new TinyCluster([1, 2, 3], [], { snapshotIntervalEntries: 3, logRetentionEntries: 1000, logRetentionSize: 1000 });
    expect(cluster.run(20_000, () => cluster.leaders().length === 1)).toBe(true);
    const leader = cluster.leaders()[0]!;
    for (let i = 0; i < 10; i++) {
      const id = cluster.submit(leader, { type: 'createTopic', name: `t${i}`, numPartitions: 1, replicationFactor: 1 });
      cluster.run(cluster.nowMs + 5_000, () => cluster.response(id) !== undefined);
    }
    const disk = cluster.disks.get(leader)!;
    const snapshot = disk.snapshot!;
    const first = disk.log[0]!;
    expect(first.offset).toBeLessThan(snapshot.endOffset - 3);
    const recovered = (settings: Partial<QuorumNodeConfigInput>) => new QuorumNode({
      config: { nodeId: leader, voters: [1, 2, 3], clusterId: 'tiny', snapshotIntervalEntries: 3, ...settings },
      recovered: { quorumState: disk.quorumState, snapshot, log: disk.log }, random: seededRandom(5), nowMs: cluster.nowMs,
    });
    const kept = recovered({ logRetentionEntries: 1000, logRetentionSize: 1000 }).raftNode.log;
    expect(kept.startOffset).toBe(first.offset + 1);
    expect(kept.snapshotEndOffset).toBe(snapshot.endOffset);
    expect(kept.endOffset).toBe(disk.log.at(-1)!.offset + 1);
    expect(kept.epochBefore(kept.startOffset)).toBe(first.epoch);
    expect(recovered({ logRetentionEntries: 2, logRetentionSize: 1000 }).raftNode.log.startOffset).toBe(snapshot.endOffset - 2);
    // Without retention the log starts at the snapshot's end, as a node that kept none.
    expect(recovered({}).raftNode.log.startOffset).toBe(snapshot.endOffset);
    // Log from before the snapshot alone (none after it) is loaded the same way.
    const behindOnly = RaftLog.recover(snapshot, disk.log.filter((entry) => entry.offset < snapshot.endOffset));
    expect([behindOnly.startOffset, behindOnly.endOffset]).toEqual([first.offset + 1, snapshot.endOffset]);
  });
});
