import { describe, expect, it } from 'vitest';
import { TinyCluster } from '../../support/tiny-cluster.js';

describe('elections', () => {
  it('a fresh 3-voter cluster elects exactly one leader', () => {
    const cluster = new TinyCluster([1, 2, 3]);
    expect(cluster.run(10_000, () => cluster.leaders().length === 1)).toBe(true);
    cluster.run(cluster.nowMs + 5000);
    expect(cluster.leaders()).toHaveLength(1);
    const leader = cluster.leaders()[0]!;
    for (const [id, node] of cluster.nodes) {
      expect(node.debugState().leaderId, `node ${id}`).toBe(leader);
    }
  });

  it('a committed createTopic is answered and visible on every node', () => {
    const cluster = new TinyCluster([1, 2, 3]);
    cluster.run(10_000, () => cluster.leaders().length === 1);
    const follower = [1, 2, 3].find((id) => id !== cluster.leaders()[0])!;
    cluster.run(cluster.nowMs + 3000);
    const requestId = cluster.submit(follower, { type: 'createTopic', name: 'orders', numPartitions: 3, replicationFactor: 1 });
    cluster.run(cluster.nowMs + 5000, () => cluster.response(requestId) !== undefined);
    const response = cluster.response(requestId);
    expect(response?.outcome, JSON.stringify(response)).toBe('ok');
    const read = cluster.submit(follower, { type: 'describeTopic', name: 'orders' });
    cluster.run(cluster.nowMs + 5000, () => cluster.response(read) !== undefined);
    expect(cluster.response(read)).toMatchObject({ outcome: 'ok', result: { ok: true, reply: { name: 'orders' } } });
  });
});
