/**
 * Interned replica lists. A cluster of n brokers with replication factor r has few distinct replica
 * and ISR lists (Kafka's striping yields about n·(n-1) of them), while it may hold a million
 * partitions; so partitions refer to a list by a small integer and every list is stored once,
 * frozen. The table only grows; ids are internal and never leave the image, so the order in which
 * lists were first seen changes nothing observable.
 */

export class ReplicaLists {
  private readonly lists: (readonly number[])[] = [];
  private readonly idsByKey = new Map<string, number>();

  /** The id of `list` (its order matters: the first replica is the preferred leader). */
  intern(list: readonly number[]): number {
    const key = list.join(',');
    const known = this.idsByKey.get(key);
    if (known !== undefined) return known;
    const id = this.lists.length;
    this.lists.push(Object.freeze([...list]));
    this.idsByKey.set(key, id);
    return id;
  }

  get(id: number): readonly number[] {
    const list = this.lists[id];
    if (list === undefined) throw new RangeError(`replica list ${id} is not interned`);
    return list;
  }

  get size(): number {
    return this.lists.length;
  }
}
