import { expect } from 'vitest';
import type { TinyCluster } from './tiny-cluster.js';

/**
 * Waits for a leader in a 3-voter TinyCluster, lets its followers settle for 500 ms, and names one
 * of them `lagging`: the follower the caller crashes or holds behind.
 */
export function settleLeader(cluster: TinyCluster): { leader: number; lagging: number } {
  expect(cluster.run(20_000, () => cluster.leaders().length === 1), 'a leader is elected').toBe(true);
  cluster.run(cluster.nowMs + 500);
  const leader = cluster.leaders()[0]!;
  return { leader, lagging: [1, 2, 3].find((id) => id !== leader)! };
}

/** Creates a one-replica topic on the leader and expects it answered ok within 5 s of simulated time. */
export function createTopicOk(cluster: TinyCluster, leader: number, name: string, numPartitions: number): void {
  const id = cluster.submit(leader, { type: 'createTopic', name, numPartitions, replicationFactor: 1 });
  cluster.run(cluster.nowMs + 5_000, () => cluster.response(id) !== undefined);
  expect(cluster.response(id)?.outcome, `create ${name}`).toBe('ok');
}
