import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/sim/random.js';

describe('SeededRandom', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const draw = (seed: number) => { const random = SeededRandom.fromSeed(seed); return Array.from({ length: 8 }, () => random.nextUint32()); };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(2 ** 40)).not.toEqual(draw(0));
  });

  it('forks by label, independent of how much the parent drew', () => {
    const a = SeededRandom.fromSeed(7);
    const b = SeededRandom.fromSeed(7);
    b.nextUint32();
    b.nextUint32();
    expect(a.fork('node-1').nextUint32()).toBe(b.fork('node-1').nextUint32());
    expect(a.fork('node-1').nextUint32()).not.toBe(a.fork('node-2').nextUint32());
    expect(a.fork('node-1').fork('x').nextUint32()).not.toBe(a.fork('node-1').nextUint32());
  });

  it('draws floats in [0, 1) spread over the range, and integers within bounds', () => {
    const random = SeededRandom.fromSeed(12345);
    const buckets = new Array<number>(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const value = random.nextFloat();
      if (value < 0 || value >= 1) outOfRange += 1;
      else buckets[Math.floor(value * 10)] = (buckets[Math.floor(value * 10)] ?? 0) + 1;
    }
    expect(outOfRange).toBe(0);
    // Each bucket expects 10000 draws; 5 standard deviations is about 475.
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    const values = new Set(Array.from({ length: 1000 }, () => random.intBetween(3, 5)));
    expect([...values].sort()).toEqual([3, 4, 5]);
  });

  it('rejects bad seeds and bounds with a clear error', () => {
    expect(() => SeededRandom.fromSeed(-1)).toThrow('seed must be an integer');
    expect(() => SeededRandom.fromSeed(1.5)).toThrow('seed must be an integer');
    expect(() => SeededRandom.fromSeed(1).intBelow(0)).toThrow('intBelow needs an integer bound');
    expect(() => SeededRandom.fromSeed(1).pick([])).toThrow('pick from an empty list');
  });

  it('shuffles to a permutation', () => {
    const shuffled = SeededRandom.fromSeed(9).shuffled([1, 2, 3, 4, 5, 6]);
    expect([...shuffled].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
