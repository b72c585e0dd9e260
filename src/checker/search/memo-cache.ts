/**
 * Lowe's memoization for the WGL search: the set of configurations (linearized set, model state)
 * already explored. Reaching one again cannot lead anywhere new, so the search prunes it.
 *
 * Compact sets. A configuration's linearized set is stored as three parts, so that an entry costs
 * O(concurrency), not O(history): the required calls (known outcome) are all linearized below a
 * frontier word, so only the words from the frontier to the last linearized required call are
 * kept; the optional calls (unknown outcome) linearized are kept as a small bitset over their own
 * dense indices. On a 20,000-call part this is a few words per entry instead of 625.
 *
 * Dominance (`dominance: true`): an entry also matches a configuration that linearized a
 * superset of its optional calls, with the same required calls and state. The entry dominates it
 * (the extra optional calls could simply have been left out), so if the entry failed, so does it.
 * The set hash must then leave optional calls out. Otherwise sets must be equal.
 *
 * Layout: a power-of-two bucket table of chain heads; per entry a chain link, the set's two
 * Zobrist words, the state's hash and an offset into a pool of set words, all in typed arrays;
 * only the states themselves are JS objects. A hit needs both set words, the state hash, the set
 * and `model.equal` to agree, so hash collisions cost time, never correctness.
 */
import type { Model } from '../model.js';

// Small to start: most parts are decided in a few hundred states, and growth doubles.
const INITIAL_CAPACITY = 1 << 6;
export const NO_CULPRIT = -1;
/** Returned by `addIfAbsent` when the configuration is new but the cache may not grow. */
export const CACHE_FULL = Number.MIN_SAFE_INTEGER;
/** Rough size of a state object and its array slot; the heap check catches larger states. */
const STATE_BYTES_ESTIMATE = 64;
/** Per entry: chain, set low/high, state hash, culprit, pool offset. */
const ENTRY_BYTES = 6 * 4;

/** The search's linearized set, as the cache reads it (see the module comment). */
export interface SetView {
  /** All calls, one bit each. */
  readonly set: Uint32Array;
  /** A bit per optional call, over all calls; all zero when there are none. */
  readonly optionalMask: Uint32Array;
  /** Every required call in a word below this one is linearized. */
  fromWord: number;
  /** No required call in this word or above is linearized (exclusive end). */
  toWord: number;
  /** The optional calls linearized, over their dense indices. */
  readonly optionalSet: Uint32Array;
}

export class MemoCache<S> {
  private capacity = INITIAL_CAPACITY;
  private bucketMask = INITIAL_CAPACITY * 2 - 1;
  /** Chain head per bucket, as entry index + 1 (0: empty). */
  private buckets = new Int32Array(INITIAL_CAPACITY * 2);
  private chainNext = new Int32Array(INITIAL_CAPACITY);
  private setLow = new Int32Array(INITIAL_CAPACITY);
  private setHigh = new Int32Array(INITIAL_CAPACITY);
  private stateHash = new Int32Array(INITIAL_CAPACITY);
  private culprits = new Int32Array(INITIAL_CAPACITY);
  private offsets = new Int32Array(INITIAL_CAPACITY);
  /** Per entry: fromWord, toWord, the required words between, then the optional words. */
  private pool = new Uint32Array(INITIAL_CAPACITY * 8);
  private poolUsed = 0;
  private readonly states: S[] = [];
  private count = 0;

  constructor(
    private readonly model: Model<S>,
    private readonly dominance: boolean,
    /** The cache never grows past this: `addIfAbsent` answers CACHE_FULL instead. */
    private readonly bytesMax = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.count;
  }

  /** What the cache holds, estimated in bytes, for the memory budget. */
  get bytesEstimate(): number {
    return this.capacity * ENTRY_BYTES + this.pool.byteLength + this.buckets.byteLength + this.count * STATE_BYTES_ESTIMATE;
  }

  /**
   * Adds (set, state) unless a matching configuration is present. Returns the new entry's index
   * (>= 0) when it was added, i.e. when the configuration is new and worth exploring; otherwise
   * -1 - (the index of the matching entry), or CACHE_FULL when it is new but would not fit.
   */
  addIfAbsent(setLow: number, setHigh: number, view: SetView, state: S, hash: number): number {
    const bucket = bucketOf(setLow, hash, this.bucketMask);
    for (let e = this.buckets[bucket]! - 1; e >= 0; e = this.chainNext[e]! - 1) {
      if (this.setHigh[e] !== setHigh || this.stateHash[e] !== hash) continue;
      if (!this.matches(this.offsets[e]!, view)) continue;
      if (this.model.equal(this.states[e]!, state)) return -1 - e;
    }
    const words = 2 + (view.toWord - view.fromWord) + view.optionalSet.length;
    if (this.count === this.capacity || this.poolUsed + words > this.pool.length) {
      if (this.bytesEstimate * 2 > this.bytesMax) return CACHE_FULL;
      if (this.count === this.capacity) this.grow();
      if (this.poolUsed + words > this.pool.length) this.growPool(words);
    }
    const e = this.count++;
    const chainBucket = bucketOf(setLow, hash, this.bucketMask);
    this.chainNext[e] = this.buckets[chainBucket]!;
    this.buckets[chainBucket] = e + 1;
    this.setLow[e] = setLow;
    this.setHigh[e] = setHigh;
    this.stateHash[e] = hash;
    this.culprits[e] = NO_CULPRIT;
    this.offsets[e] = this.poolUsed;
    this.write(view);
    this.states.push(state);
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

  private matches(offset: number, view: SetView): boolean {
    const pool = this.pool;
    const from = view.fromWord;
    const to = view.toWord;
    if (pool[offset] !== from || pool[offset + 1] !== to) return false;
    const { set, optionalMask, optionalSet } = view;
    let at = offset + 2;
    for (let w = from; w < to; w++, at++) {
      if (pool[at] !== (set[w]! & ~optionalMask[w]!) >>> 0) return false;
    }
    if (this.dominance) {
      for (let w = 0; w < optionalSet.length; w++, at++) {
        if ((pool[at]! & ~optionalSet[w]!) !== 0) return false;
      }
    } else {
      for (let w = 0; w < optionalSet.length; w++, at++) {
        if (pool[at] !== optionalSet[w]) return false;
      }
    }
    return true;
  }

  private write(view: SetView): void {
    const pool = this.pool;
    const { set, optionalMask, optionalSet, fromWord, toWord } = view;
    let at = this.poolUsed;
    pool[at++] = fromWord;
    pool[at++] = toWord;
    for (let w = fromWord; w < toWord; w++) pool[at++] = set[w]! & ~optionalMask[w]!;
    for (let w = 0; w < optionalSet.length; w++) pool[at++] = optionalSet[w]!;
    this.poolUsed = at;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.chainNext = resize(this.chainNext, capacity);
    this.setLow = resize(this.setLow, capacity);
    this.setHigh = resize(this.setHigh, capacity);
    this.stateHash = resize(this.stateHash, capacity);
    this.culprits = resize(this.culprits, capacity);
    this.offsets = resize(this.offsets, capacity);
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

  private growPool(atLeast: number): void {
    const pool = new Uint32Array(Math.max(this.pool.length * 2, this.poolUsed + atLeast));
    pool.set(this.pool.subarray(0, this.poolUsed));
    this.pool = pool;
  }
}

function bucketOf(setLow: number, stateHash: number, mask: number): number {
  return (setLow ^ Math.imul(stateHash, 0x9e3779b1)) & mask;
}

function resize(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}
