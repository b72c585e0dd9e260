/**
 * The partitions of one topic, stored by column in one Int32Array: per partition its leader,
 * leader epoch, partition epoch and the interned ids of its replica list and ISR. That is 20 bytes
 * a partition, where an object per partition would cost several times more; a million partitions
 * stay near 20-25 MB, and copying a topic (when the controller rebuilds its latest image) is one
 * typed-array copy.
 */
import type { ReplicaLists } from './replica-lists.js';

const LEADER = 0;
const LEADER_EPOCH = 1;
const PARTITION_EPOCH = 2;
const REPLICAS = 3;
const ISR = 4;
const STRIDE = 5;
/**
 * A new table has room for 3 partitions: 60 bytes, which V8 keeps inside its heap (typed arrays of
 * up to 64 bytes); a larger one is allocated outside it, which cost about 6x as much to allocate
 * (and is swept apart). Every node makes a table for each topic created (the active controller a
 * second, in its latest image), and with room for one a second partition grew the table outside
 * the heap at once: a simulated cluster's topics have 1 to 6 partitions.
 */
const NEW_TABLE_PARTITIONS = 3;

/** One partition as readers see it. The arrays are shared and frozen. */
export interface PartitionState {
  partitionId: number;
  replicas: readonly number[];
  isr: readonly number[];
  leader: number;
  leaderEpoch: number;
  partitionEpoch: number;
}

export class PartitionTable {
  private constructor(
    private cells: Int32Array,
    private partitionCount: number,
  ) {}

  static empty(capacity = NEW_TABLE_PARTITIONS): PartitionTable {
    return new PartitionTable(new Int32Array(Math.max(1, capacity) * STRIDE), 0);
  }

  get count(): number {
    return this.partitionCount;
  }

  copy(): PartitionTable {
    return new PartitionTable(this.cells.slice(0, Math.max(1, this.partitionCount) * STRIDE), this.partitionCount);
  }

  /** Appends partition `count` (partitions are created densely, in id order). */
  append(lists: ReplicaLists, state: Omit<PartitionState, 'partitionId'>): void {
    const needed = (this.partitionCount + 1) * STRIDE;
    if (needed > this.cells.length) {
      // Grow by a quarter: at most 25% slack per topic, at the price of a few more copies.
      const grown = new Int32Array(Math.max(needed, Math.ceil(this.cells.length * 1.25 / STRIDE) * STRIDE + 8 * STRIDE));
      grown.set(this.cells);
      this.cells = grown;
    }
    this.write(this.partitionCount, lists, state);
    this.partitionCount += 1;
  }

  /** Replaces partition `partitionId`, which must exist. */
  set(partitionId: number, lists: ReplicaLists, state: Omit<PartitionState, 'partitionId'>): void {
    this.write(partitionId, lists, state);
  }

  get(partitionId: number, lists: ReplicaLists): PartitionState {
    const base = partitionId * STRIDE;
    return {
      partitionId,
      replicas: lists.get(this.cells[base + REPLICAS] as number),
      isr: lists.get(this.cells[base + ISR] as number),
      leader: this.cells[base + LEADER] as number,
      leaderEpoch: this.cells[base + LEADER_EPOCH] as number,
      partitionEpoch: this.cells[base + PARTITION_EPOCH] as number,
    };
  }

  /** The leader of a partition, without building a PartitionState (for scans over all partitions). */
  leaderOf(partitionId: number): number {
    return this.cells[partitionId * STRIDE + LEADER] as number;
  }

  leaderEpochOf(partitionId: number): number {
    return this.cells[partitionId * STRIDE + LEADER_EPOCH] as number;
  }

  partitionEpochOf(partitionId: number): number {
    return this.cells[partitionId * STRIDE + PARTITION_EPOCH] as number;
  }

  /** A partition change in place: the ISR's interned id (undefined: unchanged), leader and epochs. */
  change(partitionId: number, isrId: number | undefined, leader: number, leaderEpoch: number, partitionEpoch: number): void {
    const base = partitionId * STRIDE;
    if (isrId !== undefined) this.cells[base + ISR] = isrId;
    this.cells[base + LEADER] = leader;
    this.cells[base + LEADER_EPOCH] = leaderEpoch;
    this.cells[base + PARTITION_EPOCH] = partitionEpoch;
  }

  /** The interned ISR id of a partition (scans compare ids, not lists). */
  isrIdOf(partitionId: number): number {
    return this.cells[partitionId * STRIDE + ISR] as number;
  }

  replicasIdOf(partitionId: number): number {
    return this.cells[partitionId * STRIDE + REPLICAS] as number;
  }

  /** Bytes held by the typed array (capacity included). */
  get byteLength(): number {
    return this.cells.byteLength;
  }

  private write(partitionId: number, lists: ReplicaLists, state: Omit<PartitionState, 'partitionId'>): void {
    const base = partitionId * STRIDE;
    this.cells[base + LEADER] = state.leader;
    this.cells[base + LEADER_EPOCH] = state.leaderEpoch;
    this.cells[base + PARTITION_EPOCH] = state.partitionEpoch;
    this.cells[base + REPLICAS] = lists.intern(state.replicas);
    this.cells[base + ISR] = lists.intern(state.isr);
  }
}
