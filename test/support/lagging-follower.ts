import { expect } from 'vitest';
import { TinyCluster } from './tiny-cluster.js';

/**
 * A 3-node cluster taking a snapshot every 3 entries, with one follower crashed while the leader
 * commits 12 topics past several snapshots: started again, that follower can only catch up from
 * the leader's snapshot. The cluster is left with the follower down.
 */
export function clusterWithFollowerBehindSnapshot(): { cluster: TinyCluster; leader: number; lagging: number } {
  const cluster = new TinyCluster([1, 2, 3], [], { snapshotIntervalEntries: 3 });
  expect(cluster.run(20_000, () => cluster.leaders().length === 1)).toBe(true);
  const leader = cluster.leaders()[0]!;
  const lagging = [1, 2, 3].find((id) => id !== leader)!;
  cluster.run(cluster.nowMs + 500);
  cluster.crash(lagging);
  for (let i = 0; i < 12; i++) {
    const id = cluster.submit(leader, { type: 'createTopic', name: `t${i}`, numPartitions: 1, replicationFactor: 1 });
    cluster.run(cluster.nowMs + 5_000, () => cluster.response(id) !== undefined);
  }
  return { cluster, leader, lagging };
}
