/**
 * The simulator's seeded randomness: xoshiro128** (Blackman and Vigna), seeded through splitmix32.
 * It is small, fast, passes BigCrush, and works on 32-bit integers, which JavaScript does exactly.
 *
 * One run has one seed. Every consumer (each node, the network, the fault schedule, each client)
 * takes its own stream with `fork(label)`. A fork is derived from the parent's *seed key* and the
 * label, never from how many numbers the parent has drawn, so adding a draw in one stream does not
 * shift any other stream: runs stay comparable while the simulator changes.
 */
import type { RandomSource } from '../core/host-interface.js';

/** Seeds are integers in [0, 2^53): what a person types after --seed. */
export const SEED_MAX = Number.MAX_SAFE_INTEGER;

export class SeededRandom implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The two 32-bit words this stream was seeded from; forks hash these with their label. */
  private readonly keyHigh: number;
  private readonly keyLow: number;

  static fromSeed(seed: number): SeededRandom {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be an integer in [0, ${SEED_MAX}], got ${seed}`);
    }
    return new SeededRandom(Math.floor(seed / 2 ** 32) >>> 0, seed >>> 0);
  }

  private constructor(keyHigh: number, keyLow: number) {
    this.keyHigh = keyHigh;
    this.keyLow = keyLow;
    let state = (keyLow ^ Math.imul(keyHigh, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      return splitmix32Mix(state);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // xoshiro's state must not be all zero; splitmix32 makes that practically impossible, but a
    // generator that silently returns zeros forever would poison a whole run, so say it loudly.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new Error('xoshiro128** seeded with all zeros');
  }

  /** An independent stream for `label`, the same for the same parent seed and label. */
  fork(label: string): SeededRandom {
    let high = this.keyHigh;
    let low = this.keyLow;
    for (let i = 0; i < label.length; i += 1) {
      high = splitmix32Mix((high ^ label.charCodeAt(i)) + 0x632be5ab);
      low = splitmix32Mix((low ^ high) + 0x85157af5);
    }
    return new SeededRandom(splitmix32Mix(high ^ 0x5bd1e995), splitmix32Mix(low ^ label.length));
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /** An integer in [0, bound). */
  intBelow(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 2 ** 32) {
      throw new RangeError(`intBelow needs an integer bound in [1, 2^32], got ${bound}`);
    }
    return Math.floor(this.nextFloat() * bound);
  }

  /** An integer in [min, max], both inclusive. */
  intBetween(min: number, max: number): number {
    if (max < min) throw new RangeError(`intBetween: max ${max} is below min ${min}`);
    return min + this.intBelow(max - min + 1);
  }

  /** True with probability `probability`. */
  chance(probability: number): boolean {
    return this.nextFloat() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.intBelow(items.length)] as T;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = this.intBelow(i + 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}

function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

/** splitmix32's output mix: a bijection on 32-bit integers with good avalanche. */
function splitmix32Mix(input: number): number {
  let z = input >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
