/**
 * Per-key failure memo for the search's backjumping (wgl.ts): the sub-histories of single keys
 * already known to fail from a given point, whatever the other keys hold.
 *
 * A key's situation is identified by (a) the set of its calls linearized so far and (b) the
 * ordered sequence of those of them that changed the state. (b) determines the key's state: a
 * call that left the state equal contributes nothing to it. So reads linearized in a different
 * order, which are most of the orders a search tries, map to the same entry.
 *
 * Entries match exactly: fingerprints first, then every member and the whole state-changing
 * sequence, so a fingerprint collision costs time, never a wrong verdict.
 */
import type { ZobristKeys } from './zobrist.js';

/** Where one key stands: its linearized calls and the state-changing ones among them, in order. */
export class KeySituations {
  /** Per key: linearized call ids, in push order (pops are LIFO, so a stack per key). */
  readonly members: Int32Array[];
  readonly memberCount: Int32Array;
  /** Per key: the state-changing call ids in linearization order. */
  readonly changes: Int32Array[];
  readonly changeCount: Int32Array;
  /** Zobrist XOR of the members (order-free). */
  readonly setLow: Int32Array;
  readonly setHigh: Int32Array;
  /** Order-dependent fingerprint of the changes. */
  readonly changeLow: Int32Array;
  readonly changeHigh: Int32Array;
  private readonly stackChangeLow: Int32Array;
  private readonly stackChangeHigh: Int32Array;
  private readonly stackChanged: Uint8Array;

  constructor(keyIds: Int32Array, callCount: number, private readonly keys: ZobristKeys) {
    const keyCount = keyIds.reduce((max, key) => Math.max(max, key + 1), 0);
    const callsPerKey = new Int32Array(keyCount);
    for (const key of keyIds) callsPerKey[key]!++;
    this.members = Array.from(callsPerKey, (count) => new Int32Array(count));
    this.changes = Array.from(callsPerKey, (count) => new Int32Array(count));
    this.memberCount = new Int32Array(keyCount);
    this.changeCount = new Int32Array(keyCount);
    this.setLow = new Int32Array(keyCount);
    this.setHigh = new Int32Array(keyCount);
    this.changeLow = new Int32Array(keyCount);
    this.changeHigh = new Int32Array(keyCount);
    this.stackChangeLow = new Int32Array(callCount);
    this.stackChangeHigh = new Int32Array(callCount);
    this.stackChanged = new Uint8Array(callCount);
  }

  push(key: number, id: number, changed: boolean, depth: number): void {
    this.members[key]![this.memberCount[key]!++] = id;
    this.setLow[key]! ^= this.keys.low[id]!;
    this.setHigh[key]! ^= this.keys.high[id]!;
    this.stackChanged[depth] = changed ? 1 : 0;
    if (!changed) return;
    this.stackChangeLow[depth] = this.changeLow[key]!;
    this.stackChangeHigh[depth] = this.changeHigh[key]!;
    this.changes[key]![this.changeCount[key]!++] = id;
    this.changeLow[key] = extendLow(this.changeLow[key]!, this.keys.low[id]!);
    this.changeHigh[key] = extendHigh(this.changeHigh[key]!, this.keys.high[id]!);
  }

  pop(key: number, id: number, depth: number): void {
    this.memberCount[key]!--;
    this.setLow[key]! ^= this.keys.low[id]!;
    this.setHigh[key]! ^= this.keys.high[id]!;
    if (this.stackChanged[depth] === 0) return;
    this.changeCount[key]!--;
    this.changeLow[key] = this.stackChangeLow[depth]!;
    this.changeHigh[key] = this.stackChangeHigh[depth]!;
  }
}

const INITIAL_BUCKETS = 1 << 6;

export class KeyFailureMemo {
  private buckets = new Int32Array(INITIAL_BUCKETS);
  private readonly chainNext: number[] = [];
  /** Per entry: key, set fingerprint (2), change fingerprint (2), offsets and lengths. */
  private readonly entryKey: number[] = [];
  private readonly entrySetLow: number[] = [];
  private readonly entrySetHigh: number[] = [];
  private readonly entryChangeLow: number[] = [];
  private readonly entryChangeHigh: number[] = [];
  private readonly entryOffset: number[] = [];
  private readonly entryMembers: number[] = [];
  private readonly entryChanges: number[] = [];
  /** Members then changes of each entry, back to back. */
  private pool = new Int32Array(1 << 8);
  private poolUsed = 0;

  get size(): number {
    return this.entryKey.length;
  }

  get bytesEstimate(): number {
    return this.pool.byteLength + this.buckets.byteLength + this.size * 9 * 8;
  }

  /**
   * Whether `key` is known to fail where it stands in `at`. `linearized` is the search's bitset
   * of linearized calls, used to compare members exactly.
   */
  has(at: KeySituations, key: number, linearized: Uint32Array): boolean {
    const setLow = at.setLow[key]!;
    const changeLow = at.changeLow[key]!;
    for (let e = this.buckets[this.bucketOf(key, setLow, changeLow)]! - 1; e >= 0; e = this.chainNext[e]! - 1) {
      if (this.entryKey[e] !== key || this.entrySetLow[e] !== setLow || this.entryChangeLow[e] !== changeLow) continue;
      if (this.entrySetHigh[e] !== at.setHigh[key] || this.entryChangeHigh[e] !== at.changeHigh[key]) continue;
      if (this.matches(e, at, key, linearized)) return true;
    }
    return false;
  }

  add(at: KeySituations, key: number, linearized: Uint32Array): void {
    if (this.has(at, key, linearized)) return;
    const members = at.memberCount[key]!;
    const changes = at.changeCount[key]!;
    if (this.size >= this.buckets.length >> 1) this.growBuckets();
    if (this.poolUsed + members + changes > this.pool.length) this.growPool(members + changes);
    const e = this.size;
    this.entryKey.push(key);
    this.entrySetLow.push(at.setLow[key]!);
    this.entrySetHigh.push(at.setHigh[key]!);
    this.entryChangeLow.push(at.changeLow[key]!);
    this.entryChangeHigh.push(at.changeHigh[key]!);
    this.entryOffset.push(this.poolUsed);
    this.entryMembers.push(members);
    this.entryChanges.push(changes);
    this.pool.set(at.members[key]!.subarray(0, members), this.poolUsed);
    this.pool.set(at.changes[key]!.subarray(0, changes), this.poolUsed + members);
    this.poolUsed += members + changes;
    const bucket = this.bucketOf(key, at.setLow[key]!, at.changeLow[key]!);
    this.chainNext.push(this.buckets[bucket]!);
    this.buckets[bucket] = e + 1;
  }

  private matches(e: number, at: KeySituations, key: number, linearized: Uint32Array): boolean {
    const members = this.entryMembers[e]!;
    const changes = this.entryChanges[e]!;
    if (members !== at.memberCount[key] || changes !== at.changeCount[key]) return false;
    const offset = this.entryOffset[e]!;
    for (let i = 0; i < members; i++) {
      const id = this.pool[offset + i]!;
      if ((linearized[id >>> 5]! & (1 << (id & 31))) === 0) return false;
    }
    const sequence = at.changes[key]!;
    for (let i = 0; i < changes; i++) {
      if (this.pool[offset + members + i] !== sequence[i]) return false;
    }
    return true;
  }

  private bucketOf(key: number, setLow: number, changeLow: number): number {
    return (setLow ^ Math.imul(changeLow, 0x85ebca77) ^ Math.imul(key + 1, 0x9e3779b1)) & (this.buckets.length - 1);
  }

  private growBuckets(): void {
    this.buckets = new Int32Array(this.buckets.length * 2);
    for (let e = 0; e < this.size; e++) {
      const bucket = this.bucketOf(this.entryKey[e]!, this.entrySetLow[e]!, this.entryChangeLow[e]!);
      this.chainNext[e] = this.buckets[bucket]!;
      this.buckets[bucket] = e + 1;
    }
  }

  private growPool(atLeast: number): void {
    const pool = new Int32Array(Math.max(this.pool.length * 2, this.poolUsed + atLeast));
    pool.set(this.pool.subarray(0, this.poolUsed));
    this.pool = pool;
  }
}

function extendLow(fingerprint: number, word: number): number {
  return Math.imul(((fingerprint << 5) | (fingerprint >>> 27)) ^ word, 0x9e3779b1) | 0;
}

function extendHigh(fingerprint: number, word: number): number {
  return Math.imul(((fingerprint << 7) | (fingerprint >>> 25)) ^ word, 0x85ebca77) | 0;
}
