/**
 * Where a new partition's replicas go: Kafka's rack-unaware striping over the unfenced brokers.
 * Partition p's first replica is broker (start + p) mod n; the others follow at a shift that grows
 * by one each time p wraps around the broker list, so leaders and followers both spread evenly.
 * Kafka picks `start` and the initial shift at random; the core has no randomness, so both are
 * derived from the topic name (a hash), which spreads topics as well and is the same on every node.
 */
import { Fnv1a64 } from './fnv1a64.js';

/** The replica lists of partitions firstPartitionId.. firstPartitionId+count-1. */
export function assignReplicas(
  topicName: string,
  brokerIds: readonly number[],
  firstPartitionId: number,
  count: number,
  replicationFactor: number,
): number[][] {
  const n = brokerIds.length;
  if (replicationFactor < 1 || replicationFactor > n) {
    throw new RangeError(`replication factor ${replicationFactor} cannot be placed on ${n} brokers`);
  }
  const sorted = [...brokerIds].sort((a, b) => a - b);
  const seed = new Fnv1a64().updateString(topicName).low32();
  const start = seed % n;
  const initialShift = Math.floor(seed / n) % n;
  const assignments: number[][] = [];
  for (let p = firstPartitionId; p < firstPartitionId + count; p++) {
    const shift = initialShift + Math.floor(p / n);
    const first = (start + p) % n;
    const replicas = [sorted[first] as number];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(sorted[followerIndex(first, shift, j, n)] as number);
    }
    assignments.push(replicas);
  }
  return assignments;
}

/** The j-th follower of a partition led by index `first`: never `first` itself, all distinct. */
function followerIndex(first: number, shift: number, j: number, n: number): number {
  return (first + 1 + ((shift + j) % (n - 1))) % n;
}
