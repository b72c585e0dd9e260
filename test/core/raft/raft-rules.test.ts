/**
 * Tests named after the rules of KRaft and the Raft paper they check, each on a small cluster in
 * the tiny deterministic host.
 */
import { okResult } from '../../support/client-answers.js';
import { describe, expect, it } from 'vitest';
import { TinyCluster } from '../../support/tiny-cluster.js';
import { RaftConfigError } from '../../../src/core/raft/raft-config.js';
import { QuorumNode } from '../../../src/core/quorum-node.js';
import { seededRandom } from '../../support/tiny-cluster.js';

function electedCluster(voters = [1, 2, 3], observers: number[] = [], overrides = {}): { cluster: TinyCluster; leader: number } {
  const cluster = new TinyCluster(voters, observers, overrides);
  const elected = cluster.run(20_000, () => cluster.leaders().length === 1);
  expect(elected, 'a leader is elected').toBe(true);
  cluster.run(cluster.nowMs + 500);
  return { cluster, leader: cluster.leaders()[0]! };
}

function isolate(cluster: TinyCluster, node: number): void {
  for (const other of cluster.nodes.keys()) {
    if (other === node) continue;
    cluster.cut.add(`${node}->${other}`);
    cluster.cut.add(`${other}->${node}`);
  }
}

function heal(cluster: TinyCluster): void {
  cluster.cut.clear();
}

function createTopic(cluster: TinyCluster, via: number, name: string): number {
  return cluster.submit(via, { type: 'createTopic', name, numPartitions: 1, replicationFactor: 1 });
}

function await_(cluster: TinyCluster, requestId: number, forMs = 10_000) {
  cluster.run(cluster.nowMs + forMs, () => cluster.response(requestId) !== undefined);
  return cluster.response(requestId);
}

describe('Raft and KRaft rules', () => {
  // At most one leader per epoch: election-safety.test.ts, under crashes that make split votes likely.

  it('a node grants at most one vote per epoch, also across a restart', () => {
    const { cluster } = electedCluster([1, 2, 3, 4, 5]);
    const votes = new Map<string, number>();
    for (let round = 0; round < 5; round++) {
      const leader = cluster.leaders()[0];
      if (leader !== undefined) cluster.crash(leader);
      cluster.run(cluster.nowMs + 4000);
      if (leader !== undefined) cluster.start(leader, true);
      cluster.run(cluster.nowMs + 4000);
    }
    for (const event of cluster.events) {
      if (event.kind !== 'vote-granted') continue;
      const key = `${event.node}@${event.epoch}`;
      const previous = votes.get(key);
      if (previous !== undefined) expect(event.votedFor, key).toBe(previous);
      votes.set(key, event.votedFor!);
    }
    expect(votes.size).toBeGreaterThan(0);
  });

  it('a leader that hears no fetch from a majority within 1.5 × fetch timeout resigns (check-quorum)', () => {
    const { cluster, leader } = electedCluster();
    const cutAt = cluster.nowMs;
    isolate(cluster, leader);
    cluster.run(cutAt + 10_000, () => cluster.nodes.get(leader)!.debugState().state !== 'leader');
    expect(cluster.nodes.get(leader)!.debugState().state).toBe('resigned');
    // The last fetch may have arrived up to fetchMaxWaitMs (500 ms) before the cut: fetches are held.
    expect(cluster.nowMs - cutAt).toBeGreaterThanOrEqual(3000 - 500);
    expect(cluster.nowMs - cutAt).toBeLessThanOrEqual(3000 + 100);
  });

  it('pre-vote: a voter cut off from the leader does not raise the epoch of the healthy majority', () => {
    const { cluster, leader } = electedCluster();
    const lonely = [1, 2, 3].find((id) => id !== leader)!;
    const epochBefore = cluster.nodes.get(leader)!.debugState().epoch;
    isolate(cluster, lonely);
    cluster.run(cluster.nowMs + 20_000);
    expect(cluster.nodes.get(lonely)!.debugState().epoch).toBe(epochBefore);
    heal(cluster);
    cluster.run(cluster.nowMs + 5000);
    expect(cluster.nodes.get(leader)!.debugState()).toMatchObject({ state: 'leader', epoch: epochBefore });
    expect(cluster.nodes.get(lonely)!.debugState()).toMatchObject({ state: 'follower', leaderId: leader });
  });

  it('a follower truncates an uncommitted divergent tail to the new leader\'s log', () => {
    const { cluster, leader } = electedCluster();
    // The old leader appends writes no follower sees, then loses leadership.
    isolate(cluster, leader);
    for (let i = 0; i < 3; i++) createTopic(cluster, leader, `lost-${i}`);
    cluster.run(cluster.nowMs + 200);
    const oldEnd = cluster.nodes.get(leader)!.debugState().logEndOffset;
    cluster.run(cluster.nowMs + 10_000, () => cluster.leaders().some((id) => id !== leader));
    const newLeader = cluster.leaders().find((id) => id !== leader)!;
    const kept = createTopic(cluster, newLeader, 'kept');
    expect(await_(cluster, kept)?.outcome).toBe('ok');
    heal(cluster);
    cluster.run(cluster.nowMs + 5000);
    expect(cluster.events.some((e) => e.node === leader && e.kind === 'log-truncated')).toBe(true);
    const digests = new Map<number, string>();
    for (const event of cluster.events) {
      if (event.kind !== 'committed') continue;
      const known = digests.get(event.offset!);
      if (known !== undefined) expect(event.digest, `offset ${event.offset}`).toBe(known);
      digests.set(event.offset!, event.digest!);
    }
    const names = cluster.nodes.get(leader)!.committedImage.topicNames();
    expect(names).toContain('kept');
    expect(names.some((n) => n.startsWith('lost-'))).toBe(false);
    expect(oldEnd).toBeGreaterThan(0);
  });

  it('the high watermark moves only once a record of the leader\'s own epoch is on a majority', () => {
    const { cluster } = electedCluster();
    for (const event of cluster.events) {
      if (event.kind !== 'high-watermark') continue;
      const leaderStart = cluster.events.find((e) => e.kind === 'became-leader' && e.epoch === event.epoch);
      expect(leaderStart, `hw event in epoch ${event.epoch} has a leader`).toBeDefined();
    }
  });

  it('a follower behind the leader\'s log start installs the leader\'s snapshot', () => {
    const { cluster, leader } = electedCluster([1, 2, 3], [], { snapshotIntervalEntries: 5 });
    const behind = [1, 2, 3].find((id) => id !== leader)!;
    cluster.crash(behind);
    for (let i = 0; i < 12; i++) expect(await_(cluster, createTopic(cluster, leader, `t${i}`))?.outcome).toBe('ok');
    expect(cluster.nodes.get(leader)!.debugState().logStartOffset).toBeGreaterThan(0);
    cluster.start(behind, true);
    cluster.run(cluster.nowMs + 5000);
    expect(cluster.events.some((e) => e.node === behind && e.kind === 'snapshot')).toBe(true);
    expect(cluster.nodes.get(behind)!.committedImage.topicNames()).toHaveLength(12);
  });

  it('an observer replicates the log but never votes or stands', () => {
    const { cluster } = electedCluster([1, 2, 3], [9]);
    const write = createTopic(cluster, 9, 'via-observer');
    expect(await_(cluster, write)?.outcome).toBe('ok');
    expect(cluster.nodes.get(9)!.committedImage.topicNames()).toContain('via-observer');
    for (const leader of cluster.leaders()) cluster.crash(leader);
    cluster.run(cluster.nowMs + 10_000);
    expect(cluster.events.some((e) => e.node === 9 && (e.kind === 'vote-granted' || e.state === 'candidate' || e.state === 'prospective'))).toBe(false);
  });

  it('a write appended by a leader that is deposed before commit is answered unknown, never ok', () => {
    const { cluster, leader } = electedCluster();
    isolate(cluster, leader);
    const write = createTopic(cluster, leader, 'maybe');
    const response = await_(cluster, write, 20_000);
    expect(response?.outcome).toBe('unknown');
  });

  it('a linearizable read on a follower sees a write acknowledged before it began', () => {
    const { cluster, leader } = electedCluster();
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    expect(await_(cluster, createTopic(cluster, leader, 'seen'))?.outcome).toBe('ok');
    const read = cluster.submit(follower, { type: 'listTopics' });
    expect(await_(cluster, read)).toMatchObject({ outcome: 'ok', result: { reply: { topics: ['seen'] } } });
  });

  it('a refusal that depends on an uncommitted write waits for that write to commit', () => {
    const { cluster, leader } = electedCluster();
    isolate(cluster, leader);
    createTopic(cluster, leader, 'dup');
    const second = createTopic(cluster, leader, 'dup');
    cluster.run(cluster.nowMs + 1000);
    expect(cluster.response(second)).toBeUndefined();
    const answer = await_(cluster, second, 20_000);
    expect(answer?.outcome).not.toBe('ok');
  });

  it('brokers register, and a broker silent past its session timeout is fenced', () => {
    const { cluster } = electedCluster([1, 2, 3], [7], { brokerSessionTimeoutMs: 3000, brokerHeartbeatIntervalMs: 500 });
    cluster.run(cluster.nowMs + 3000);
    const read = cluster.submit(1, { type: 'describeCluster' });
    const before = okResult(await_(cluster, read)) as unknown as { reply: { brokers: { brokerId: number }[] } };
    expect(before.reply.brokers.map((b) => b.brokerId)).toEqual([1, 2, 3, 7]);
    cluster.crash(7);
    cluster.run(cluster.nowMs + 6000);
    expect(cluster.events.some((e) => e.kind === 'broker-fenced' && e.brokerId === 7)).toBe(true);
    const after = okResult(await_(cluster, cluster.submit(1, { type: 'describeCluster' }))) as unknown as { reply: { brokers: { brokerId: number }[]; fencedBrokerIds: number[] } };
    expect(after.reply.fencedBrokerIds).toEqual([7]);
  });

  it('a malformed client operation is refused with a message naming the field', () => {
    const { cluster } = electedCluster();
    const id = cluster.submit(1, { type: 'createTopic', name: 'x', numPartitions: 'many' } as never);
    expect(cluster.response(id)).toMatchObject({ outcome: 'failed', error: { code: 'INVALID_REQUEST', message: expect.stringContaining('createTopic.numPartitions') } });
  });

  it('a bad setting fails at start-up naming the setting', () => {
    const make = (config: object) => () => new QuorumNode({ config: { nodeId: 1, voters: [1], clusterId: 'c', ...config }, recovered: null, random: seededRandom(1), nowMs: 0 });
    expect(make({ electionTimeoutMs: 0 })).toThrow(RaftConfigError);
    expect(make({ electionTimeoutMs: 0 })).toThrow(/electionTimeoutMs/);
    expect(make({ voters: [2, 3], processRoles: ['controller'] })).toThrow(/controller.quorum.voters/);
    expect(make({ voters: [1, 1] })).toThrow(/names a voter twice/);
  });
});

describe('DescribeQuorum', () => {
  it('any node answers with the leader\'s view: leader, epoch, high watermark, voters and observers', () => {
    const { cluster, leader } = electedCluster([1, 2, 3], [9]);
    cluster.run(cluster.nowMs + 2000);
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    const node = cluster.nodes.get(follower)!;
    node.describeQuorum(424242, cluster.nowMs);
    cluster.run(cluster.nowMs + 1000, () => cluster.response(424242) !== undefined);
    const answer = cluster.response(424242);
    expect(answer?.outcome).toBe('ok');
    const description = okResult(answer) as unknown as { leaderId: number; leaderEpoch: number; highWatermark: number; voters: { nodeId: number; logEndOffset: number }[]; observers: { nodeId: number }[] };
    expect(description.leaderId).toBe(leader);
    expect(description.voters.map((v) => v.nodeId)).toEqual([1, 2, 3]);
    expect(description.observers.map((o) => o.nodeId)).toEqual([9]);
    expect(description.highWatermark).toBe(cluster.nodes.get(leader)!.debugState().highWatermark);
  });
});
