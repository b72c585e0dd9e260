import { expect } from 'vitest';
import { TinyCluster } from './tiny-cluster.js';

/** A 3-voter cluster with a leader its two followers follow (the first of them checked to). */
export function ledCluster(seed: number): { cluster: TinyCluster; leader: number; follower: number; other: number } {
  const cluster = new TinyCluster([1, 2, 3], [], {}, seed);
  expect(cluster.run(20_000, () => cluster.leaders().length === 1), 'a leader is elected').toBe(true);
  const leader = cluster.leaders()[0]!;
  const [follower, other] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
  cluster.run(cluster.nowMs + 500);
  expect(cluster.nodes.get(follower)!.debugState()).toMatchObject({ state: 'follower', leaderId: leader });
  return { cluster, leader, follower, other };
}
