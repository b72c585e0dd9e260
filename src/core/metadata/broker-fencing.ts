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
import { NO_LEADER, type PartitionChangeRecord } from './records.js';

export function partitionChangesOnFence(image: MetadataImage, brokerId: number): PartitionChangeRecord[] {
  const isServing = (id: number): boolean => id !== brokerId && image.broker(id)?.fenced === false;
  // Partitions share a few interned replica lists and ISRs: the change is worked out once per
  // (replicas, ISR, leader) and its ISR array shared by every record that makes it.
  const changeFor = memoized((replicas, isr, leader) => {
    if (!isr.includes(brokerId)) return null;
    const remaining = isr.filter((id) => id !== brokerId);
    const newIsr = remaining.length === 0 ? null : Object.freeze(remaining);
    const newLeader = leader === brokerId ? electLeader(replicas, newIsr ?? isr, isServing) : null;
    return newIsr === null && newLeader === null ? null : { isr: newIsr, leader: newLeader };
  });
  const changes: PartitionChangeRecord[] = [];
  image.forEachPartitionWithReplica(brokerId, (topicId, _name, partitionId, replicas, isr, leader) => {
    const change = changeFor(replicas, isr, leader);
    if (change !== null) changes.push({ type: 'PartitionChange', topicId, partitionId, isr: change.isr as number[] | null, leader: change.leader });
  });
  return changes;
}

export function partitionChangesOnUnfence(image: MetadataImage, brokerId: number): PartitionChangeRecord[] {
  const isServing = (id: number): boolean => id === brokerId || image.broker(id)?.fenced === false;
  const changeFor = memoized((replicas, isr, leader) => {
    if (leader === NO_LEADER) {
      if (!isr.includes(brokerId)) return null;
      return { isr: null, leader: electLeader(replicas, isr, isServing) };
    }
    if (isr.includes(brokerId)) return null;
    // Keep the ISR in replica order, so equal histories give equal lists.
    return { isr: Object.freeze(replicas.filter((id) => id === brokerId || isr.includes(id))), leader: null };
  });
  const changes: PartitionChangeRecord[] = [];
  image.forEachPartitionWithReplica(brokerId, (topicId, _name, partitionId, replicas, isr, leader) => {
    const change = changeFor(replicas, isr, leader);
    if (change !== null) changes.push({ type: 'PartitionChange', topicId, partitionId, isr: change.isr as number[] | null, leader: change.leader });
  });
  return changes;
}

interface Change {
  isr: readonly number[] | null;
  leader: number | null;
}

type ChangeRule = (replicas: readonly number[], isr: readonly number[], leader: number) => Change | null;

/** `rule`, remembered per (replicas, ISR, leader): the lists are interned, so their identity is their value. */
function memoized(rule: ChangeRule): ChangeRule {
  const byLists = new Map<readonly number[], Map<readonly number[], Map<number, Change | null>>>();
  return (replicas, isr, leader) => {
    let byIsr = byLists.get(replicas);
    if (byIsr === undefined) byLists.set(replicas, byIsr = new Map());
    let byLeader = byIsr.get(isr);
    if (byLeader === undefined) byIsr.set(isr, byLeader = new Map());
    let change = byLeader.get(leader);
    if (change === undefined) byLeader.set(leader, change = rule(replicas, isr, leader));
    return change;
  };
}

function electLeader(replicas: readonly number[], isr: readonly number[], isServing: (id: number) => boolean): number {
  for (const id of replicas) if (isr.includes(id) && isServing(id)) return id;
  return NO_LEADER;
}
