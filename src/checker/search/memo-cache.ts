/**
 * Lowe's memoization for the WGL search: the set of configurations (linearized set, model state)
 * already explored. Reaching one again cannot lead anywhere new, so the search prunes it.
 *
 * Layout, chosen for speed and a small heap: a power-of-two bucket table of chain heads, and per
 * entry a chain link, the set's second Zobrist word, the state's hash and a copy of the bitset, all
 * in typed arrays; only the states themselves are JS objects. A hit needs the 64-bit set hash, the
 * state hash, the bitset words and `model.equal` to agree, so hash collisions cost time, never
 * correctness.
 */
import type { Model } from '../model.js';

const INITIAL_CAPACITY = 1 << 10;
export const NO_CULPRIT = -1;
/** Returned by `addIfAbsent` when the configuration is new but the cache may not grow. */
export const CACHE_FULL = Number.MIN_SAFE_INTEGER;
/** Rough size of a state object and its array slot; the heap check catches larger states. */
const STATE_BYTES_ESTIMATE = 64;

export class MemoCache<S> {
  private readonly wordsPerSet: number;
  private capacity = INITIAL_CAPACITY;
  private bucketMask = INITIAL_CAPACITY * 2 - 1;
  /** Chain head per bucket, as entry index + 1 (0: empty). */
  private buckets = new Int32Array(INITIAL_CAPACITY * 2);
  private chainNext = new Int32Array(INITIAL_CAPACITY);
  private setLow = new Int32Array(INITIAL_CAPACITY);
  private setHigh = new Int32Array(INITIAL_CAPACITY);
  private stateHash = new Int32Array(INITIAL_CAPACITY);
  private culprits = new Int32Array(INITIAL_CAPACITY);
  private bits: Uint32Array;
  private readonly states: S[] = [];
  private count = 0;
  /** Set once a configuration could not be added for want of memory. */
  full = false;

  /**
   * @param optionalMask With a mask (a bit per call whose outcome is unknown), an entry also
   *   matches a configuration that has linearized a superset of its optional calls: the entry's
   *   configuration dominates it (same state, same required calls done, and the extra optional
   *   calls could simply have been left out), so if the entry failed, so does it. The set hash
   *   must then leave optional calls out. Without a mask, sets must be equal.
   */
  constructor(
    private readonly model: Model<S>,
    callCount: number,
    private readonly optionalMask: Uint32Array | null = null,
    /** The cache never grows past this (see `full`). */
    private readonly bytesMax = Number.POSITIVE_INFINITY,
  ) {
    this.wordsPerSet = Math.max(1, Math.ceil(callCount / 32));
    this.bits = new Uint32Array(INITIAL_CAPACITY * this.wordsPerSet);
  }

  get size(): number {
    return this.count;
  }

  /** What the cache holds, estimated in bytes, for the memory budget. */
  get bytesEstimate(): number {
    // Typed arrays are allocated for the capacity, and growing briefly holds old and new.
    return this.capacity * (this.wordsPerSet * 4 + 20) + this.count * STATE_BYTES_ESTIMATE + this.buckets.byteLength;
  }

  /**
   * Adds (set, state) unless an equal configuration is present. Returns the new entry's index
   * (>= 0) when it was added, i.e. when the configuration is new and worth exploring; otherwise
   * -1 - (the index of the equal entry), or CACHE_FULL when it is new but would not fit.
   */
  addIfAbsent(setLow: number, setHigh: number, set: Uint32Array, state: S, hash: number): number {
    const bucket = bucketOf(setLow, hash, this.bucketMask);
    const words = this.wordsPerSet;
    for (let e = this.buckets[bucket]! - 1; e >= 0; e = this.chainNext[e]! - 1) {
      if (this.setHigh[e] !== setHigh || this.stateHash[e] !== hash) continue;
      if (this.optionalMask === null ? !sameWords(this.bits, e * words, set, words)
        : !dominates(this.bits, e * words, set, words, this.optionalMask)) continue;
      if (this.model.equal(this.states[e]!, state)) return -1 - e;
    }
    if (this.count === this.capacity) {
      if (this.grownBytes() > this.bytesMax) {
        this.full = true;
        return CACHE_FULL;
      }
      this.grow();
    }
    const e = this.count++;
    const rebucket = bucketOf(setLow, hash, this.bucketMask);
    this.chainNext[e] = this.buckets[rebucket]!;
    this.buckets[rebucket] = e + 1;
    this.setLow[e] = setLow;
    this.setHigh[e] = setHigh;
    this.stateHash[e] = hash;
    this.bits.set(set, e * words);
    this.states.push(state);
    this.culprits[e] = NO_CULPRIT;
    return e;
  }

  /**
   * The key whose sub-history made this configuration fail (see wgl.ts, backjumping), or
   * NO_CULPRIT when unknown or when the search does not track keys.
   */
  culprit(entry: number): number {
    return this.culprits[entry]!;
  }

  setCulprit(entry: number, key: number): void {
    this.culprits[entry] = key;
  }

  /** What growing would hold at its peak: the old arrays and the new ones, twice as large. */
  private grownBytes(): number {
    return this.capacity * 3 * (this.wordsPerSet * 4 + 20) + this.buckets.byteLength * 3 + this.count * STATE_BYTES_ESTIMATE;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.chainNext = resize(this.chainNext, capacity);
    this.setLow = resize(this.setLow, capacity);
    this.setHigh = resize(this.setHigh, capacity);
    this.stateHash = resize(this.stateHash, capacity);
    this.culprits = resize(this.culprits, capacity);
    const bits = new Uint32Array(capacity * this.wordsPerSet);
    bits.set(this.bits);
    this.bits = bits;
    this.capacity = capacity;
    // Twice as many buckets as entries keeps chains short.
    this.buckets = new Int32Array(capacity * 2);
    this.bucketMask = capacity * 2 - 1;
    for (let e = 0; e < this.count; e++) {
      const bucket = bucketOf(this.setLow[e]!, this.stateHash[e]!, this.bucketMask);
      this.chainNext[e] = this.buckets[bucket]!;
      this.buckets[bucket] = e + 1;
    }
  }
}

function bucketOf(setLow: number, stateHash: number, mask: number): number {
  return (setLow ^ Math.imul(stateHash, 0x9e3779b1)) & mask;
}

/** The stored set equals `set` on required calls and is a subset of it on optional ones. */
function dominates(pool: Uint32Array, offset: number, set: Uint32Array, words: number, optional: Uint32Array): boolean {
  for (let w = 0; w < words; w++) {
    const stored = pool[offset + w]!;
    const current = set[w]!;
    if ((stored & ~current) !== 0 || ((current & ~stored) & ~optional[w]!) !== 0) return false;
  }
  return true;
}

function sameWords(pool: Uint32Array, offset: number, set: Uint32Array, words: number): boolean {
  for (let w = 0; w < words; w++) {
    if (pool[offset + w] !== set[w]) return false;
  }
  return true;
}

function resize(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}
