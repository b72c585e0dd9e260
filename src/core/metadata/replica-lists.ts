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
  /** The same index for short lists of small ids, keyed by a number: no string per lookup. */
  private readonly idsByPackedKey = new Map<number, number>();

  /** The id of `list` (its order matters: the first replica is the preferred leader). */
  intern(list: readonly number[]): number {
    const packed = packedKey(list);
    if (packed !== undefined) {
      const known = this.idsByPackedKey.get(packed);
      if (known !== undefined) return known;
      const id = this.add(list);
      this.idsByPackedKey.set(packed, id);
      return id;
    }
    const key = list.join(',');
    const known = this.idsByKey.get(key);
    if (known !== undefined) return known;
    const id = this.add(list);
    this.idsByKey.set(key, id);
    return id;
  }

  private add(list: readonly number[]): number {
    const id = this.lists.length;
    this.lists.push(Object.freeze([...list]));
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

const PACKED_ID_LIMIT = 1024;
const PACKED_LENGTH_MAX = 5;

/**
 * A list of at most 5 integer ids in [0, 1024) as one number, digit i being id i + 1 in base 1025
 * (so [0] and [0, 0] differ); 1025^5 < 2^53, so the number is exact. Undefined for other lists,
 * which take the string key.
 */
export function packedKey(list: readonly number[]): number | undefined {
  if (list.length > PACKED_LENGTH_MAX) return undefined;
  let key = 0;
  let scale = 1;
  for (let i = 0; i < list.length; i++) {
    const id = list[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= PACKED_ID_LIMIT) return undefined;
    key += (id + 1) * scale;
    scale *= PACKED_ID_LIMIT + 1;
  }
  return key;
}
