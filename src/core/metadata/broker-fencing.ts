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
 *
 * At two million partitions a fencing changes up to two million partitions, so it is planned in
 * slices (`FencingScan`): the active controller plans a bounded number of changes per turn of its
 * host against its latest image, and answers fetches and heartbeats between slices.
 */
import type { MetadataImage } from './image.js';
import { NO_LEADER, type PartitionChangeRecord } from './records.js';

/**
 * One pass over the partitions of the broker's topics:
 * - 'leaders': fencing, the partitions it leads only (their new leaders are what clients wait for);
 * - 'all': fencing, every partition it is a replica of (after 'leaders': the ISR-only changes);
 * - 'unfence': unfencing, every partition it is a replica of.
 */
export type FencingPass = 'leaders' | 'all' | 'unfence';

/** Brokers never elected leader, although unfenced: those being fenced by a fencing still under way. */
export type IsLeaving = (brokerId: number) => boolean;

const NOBODY_LEAVING: IsLeaving = () => false;

export function partitionChangesOnFence(image: MetadataImage, brokerId: number, isLeaving = NOBODY_LEAVING): PartitionChangeRecord[] {
  return allChanges(image, brokerId, ['all'], isLeaving);
}

export function partitionChangesOnUnfence(image: MetadataImage, brokerId: number, isLeaving = NOBODY_LEAVING): PartitionChangeRecord[] {
  return allChanges(image, brokerId, ['unfence'], isLeaving);
}

function allChanges(image: MetadataImage, brokerId: number, passes: FencingPass[], isLeaving: IsLeaving): PartitionChangeRecord[] {
  const scan = new FencingScan(brokerId, passes, image.topicNames());
  const changes: PartitionChangeRecord[] = [];
  while (!scan.done) for (const change of scan.next(image, Infinity, isLeaving)) changes.push(change);
  return changes;
}

/**
 * A fencing or unfencing planned a slice at a time. `next` gives the next changes (at most
 * `maxChanges`, never crossing from one pass into the next) from the image as it is then, which
 * must hold every change given before: a partition is judged by its state at its slice, so writes
 * planned between slices are taken into account. Topics are visited in the order of the names
 * taken at the start (topics created later are placed on brokers not leaving, see IsLeaving);
 * a topic deleted meanwhile is skipped.
 */
export class FencingScan {
  private pass = 0;
  private topic = 0;
  private partition = 0;

  constructor(
    readonly brokerId: number,
    private readonly passes: readonly FencingPass[],
    private readonly topicNames: readonly string[],
  ) {}

  get done(): boolean {
    return this.pass >= this.passes.length;
  }

  /** The pass under way ('done' after the last). */
  get currentPass(): FencingPass | 'done' {
    return this.passes[this.pass] ?? 'done';
  }

  next(image: MetadataImage, maxChanges: number, isLeaving: IsLeaving = NOBODY_LEAVING): PartitionChangeRecord[] {
    const changes: PartitionChangeRecord[] = [];
    if (this.done) return changes;
    const pass = this.passes[this.pass]!;
    const changeFor = pass === 'unfence' ? unfenceRule(image, this.brokerId, isLeaving) : fenceRule(image, this.brokerId, isLeaving);
    while (this.topic < this.topicNames.length) {
      const topic = image.topic(this.topicNames[this.topic]!);
      if (topic !== undefined) {
        const topicId = topic.topicId;
        this.partition = image.scanPartitionsWithReplica(topicId, this.brokerId, this.partition, (partitionId, replicas, isr, leader) => {
          if (changes.length >= maxChanges) return false;
          if (pass === 'leaders' && leader !== this.brokerId) return true;
          const change = changeFor(replicas, isr, leader);
          if (change !== null) changes.push({ type: 'PartitionChange', topicId, partitionId, isr: change.isr as number[] | null, leader: change.leader });
          return true;
        });
        if (this.partition < topic.partitionCount) return changes;
      }
      this.topic++;
      this.partition = 0;
    }
    this.pass++;
    this.topic = 0;
    return changes;
  }
}

interface Change {
  isr: readonly number[] | null;
  leader: number | null;
}

type ChangeRule = (replicas: readonly number[], isr: readonly number[], leader: number) => Change | null;

function fenceRule(image: MetadataImage, brokerId: number, isLeaving: IsLeaving): ChangeRule {
  const isServing = (id: number): boolean => id !== brokerId && !isLeaving(id) && image.broker(id)?.fenced === false;
  // Partitions share a few interned replica lists and ISRs: the change is worked out once per
  // (replicas, ISR, leader) and its ISR array shared by every record that makes it.
  return memoized((replicas, isr, leader) => {
    if (!isr.includes(brokerId)) return null;
    const remaining = isr.filter((id) => id !== brokerId);
    const newIsr = remaining.length === 0 ? null : Object.freeze(remaining);
    const newLeader = leader === brokerId ? electLeader(replicas, newIsr ?? isr, isServing) : null;
    return newIsr === null && newLeader === null ? null : { isr: newIsr, leader: newLeader };
  });
}

function unfenceRule(image: MetadataImage, brokerId: number, isLeaving: IsLeaving): ChangeRule {
  const isServing = (id: number): boolean => id === brokerId || (!isLeaving(id) && image.broker(id)?.fenced === false);
  return memoized((replicas, isr, leader) => {
    if (leader === NO_LEADER) {
      if (!isr.includes(brokerId)) return null;
      return { isr: null, leader: electLeader(replicas, isr, isServing) };
    }
    if (isr.includes(brokerId)) return null;
    // Keep the ISR in replica order, so equal histories give equal lists.
    return { isr: Object.freeze(replicas.filter((id) => id === brokerId || isr.includes(id))), leader: null };
  });
}

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
