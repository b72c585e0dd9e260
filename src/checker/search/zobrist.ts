/**
 * Zobrist keys for the linearized set: every call id gets two random 32-bit words, and the hash
 * of a set is the XOR of its members' words. Adding or removing a call is one XOR, so the search
 * hashes its bitset in O(1) per step instead of O(calls / 32). Two independent words give a
 * 64-bit fingerprint: the first picks the cache bucket, the second rejects almost every
 * collision before the bitsets are compared word by word.
 *
 * The words come from a fixed-seed generator so that runs are reproducible.
 */

export interface ZobristKeys {
  /** Bucket word per call id. */
  readonly low: Int32Array;
  /** Check word per call id. */
  readonly high: Int32Array;
}

const ZOBRIST_SEED = 0x5eed_c0de;

/**
 * Keys for `callCount` calls. Calls set in `leftOut` (a bitset) get zero words, so the hash of a
 * set ignores them: the memo cache uses this to find configurations that differ only in calls
 * with unknown outcomes.
 */
export function makeZobristKeys(callCount: number, leftOut: Uint32Array | null = null, seed = ZOBRIST_SEED): ZobristKeys {
  const next = mulberry32(seed);
  const low = new Int32Array(callCount);
  const high = new Int32Array(callCount);
  for (let id = 0; id < callCount; id++) {
    low[id] = next();
    high[id] = next();
    if (leftOut !== null && (leftOut[id >>> 5]! & (1 << (id & 31))) !== 0) {
      low[id] = 0;
      high[id] = 0;
    }
  }
  return { low, high };
}

/** A small, fast 32-bit generator; quality is ample for hashing keys. */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) | 0;
  };
}
