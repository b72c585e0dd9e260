/**
 * Shared, frozen copies of short integer lists: the replica lists and ISRs of partition records.
 * A topic of 10,000 partitions on a few brokers has a handful of distinct lists, yet each of its
 * records carried two arrays of its own; decoded with push, each array took about 180 bytes, so a
 * decoded Partition record took 464 bytes, and the log of a node loading two million partitions
 * kept millions of them alive until a snapshot let the log prefix go (the V8 heap reached 450 MB
 * before a mark-compact left 14-100 MB). Records are never written to after they are made (batches
 * are frozen, and the fencing planner already shares its lists), so equal lists can be one array.
 */
import { packedKey } from './replica-lists.js';

/** Distinct lists kept at most; the cache starts again beyond it (any list is still right, only not shared). */
const SHARED_LISTS_MAX = 65_536;
const shared = new Map<number, readonly number[]>();

/** A frozen list equal to `list`, the same array for every equal list of up to 5 ids below 1024; else a frozen copy. */
export function sharedIntList(list: readonly number[]): readonly number[] {
  const key = packedKey(list);
  if (key === undefined) return Object.freeze([...list]);
  const known = shared.get(key);
  if (known !== undefined) return known;
  if (shared.size >= SHARED_LISTS_MAX) shared.clear();
  const frozen = Object.freeze([...list]);
  shared.set(key, frozen);
  return frozen;
}
