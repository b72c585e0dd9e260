/**
 * The partition changes that follow a broker's fencing or unfencing, so that leaders and ISRs only
 * name brokers that can serve.
 *
 * Fencing broker b, for every partition with b in its ISR: b leaves the ISR, except that the last
 * ISR member stays (as in Kafka, so the partition remembers who holds its data); if b led the
 * partition, leadership passes to the first replica, in replica order, that is in the new ISR and
 * unfenced, or to nobody (-1).
 *
 * Unfencing broker b, for every partition b is a replica of: a leaderless partition whose ISR
 * holds b elects b (clean election only: a broker outside the ISR is never elected); a partition
 * with a leader takes b back into its ISR at once. quorumd's brokers replicate no data, so a
 * returning replica is caught up the moment it is back; in Kafka the leader would add it once it
 * has fetched up to the high watermark.
 */
import type { MetadataImage } from './image.js';
import type { PartitionState } from './partition-table.js';
import { NO_LEADER, type PartitionChangeRecord } from './records.js';

export function partitionChangesOnFence(image: MetadataImage, brokerId: number): PartitionChangeRecord[] {
  const isServing = (id: number): boolean => id !== brokerId && image.broker(id)?.fenced === false;
  const changes: PartitionChangeRecord[] = [];
  for (const { topicId, partition } of image.partitionsWithReplica(brokerId)) {
    if (!partition.isr.includes(brokerId)) continue;
    const remaining = partition.isr.filter((id) => id !== brokerId);
    const isr = remaining.length === 0 ? null : remaining;
    const leader = partition.leader === brokerId ? electLeader(partition, isr ?? partition.isr, isServing) : null;
    if (isr === null && leader === null) continue;
    changes.push({ type: 'PartitionChange', topicId, partitionId: partition.partitionId, isr, leader });
  }
  return changes;
}

export function partitionChangesOnUnfence(image: MetadataImage, brokerId: number): PartitionChangeRecord[] {
  const isServing = (id: number): boolean => id === brokerId || image.broker(id)?.fenced === false;
  const changes: PartitionChangeRecord[] = [];
  for (const { topicId, partition } of image.partitionsWithReplica(brokerId)) {
    if (partition.leader === NO_LEADER) {
      if (!partition.isr.includes(brokerId)) continue;
      const leader = electLeader(partition, partition.isr, isServing);
      changes.push({ type: 'PartitionChange', topicId, partitionId: partition.partitionId, isr: null, leader });
    } else if (!partition.isr.includes(brokerId)) {
      // Keep the ISR in replica order, so equal histories give equal lists.
      const isr = partition.replicas.filter((id) => id === brokerId || partition.isr.includes(id));
      changes.push({ type: 'PartitionChange', topicId, partitionId: partition.partitionId, isr, leader: null });
    }
  }
  return changes;
}

function electLeader(partition: PartitionState, isr: readonly number[], isServing: (id: number) => boolean): number {
  for (const id of partition.replicas) if (isr.includes(id) && isServing(id)) return id;
  return NO_LEADER;
}
