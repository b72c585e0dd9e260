import { describe, expect, it } from 'vitest';
import {
  completeGrudge, describeGrudge, drops, grudgeFromDescription, grudgeFromLinks, HEALED, isHealed, validateGrudge,
} from '../../src/faults/grudge.js';

describe('Grudge', () => {
  it('round-trips through its JSON description', () => {
    const grudge = completeGrudge([[1, 2], [3]]);
    const description = describeGrudge(grudge);
    expect(description).toEqual({ 1: [3], 2: [3], 3: [1, 2] });
    expect(describeGrudge(grudgeFromDescription(JSON.parse(JSON.stringify(description)) as Record<string, number[]>))).toEqual(description);
    expect(() => grudgeFromDescription({ x: [1] })).toThrow("'x' is not a node id");
    expect(() => grudgeFromDescription({ 1: ['2' as unknown as number] })).toThrow('node 1 must list node ids');
  });

  it('links: each node hears exactly its linked peers', () => {
    const grudge = grudgeFromLinks([1, 2, 3], [[1, 2], [2, 3]]);
    expect(drops(grudge, 1, 3)).toBe(true);
    expect(drops(grudge, 3, 1)).toBe(true);
    expect(drops(grudge, 1, 2)).toBe(false);
    expect(drops(grudge, 2, 1)).toBe(false);
  });

  it('validation names a node that is not in the cluster, or one that ignores itself', () => {
    expect(() => validateGrudge(completeGrudge([[1], [2, 9]]), [1, 2, 3])).toThrow('ignores node 9, which is not one of 1,2,3');
    expect(() => validateGrudge(new Map([[1, new Set([1])]]), [1, 2, 3])).toThrow('node 1 cannot ignore itself');
    expect(() => validateGrudge(new Map([[8, new Set([1])]]), [1, 2, 3])).toThrow('names node 8, which is not one of 1,2,3');
    expect(() => validateGrudge(completeGrudge([[1], [2, 3]]), [1, 2, 3])).not.toThrow();
  });

  it('HEALED and an empty-set grudge are healed; a cut is not', () => {
    expect(isHealed(HEALED)).toBe(true);
    expect(isHealed(new Map([[1, new Set<number>()]]))).toBe(true);
    expect(isHealed(completeGrudge([[1], [2]]))).toBe(false);
  });
});
