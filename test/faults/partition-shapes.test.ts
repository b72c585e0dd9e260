import { describe, expect, it } from 'vitest';
import { describeGrudge, drops, HEALED } from '../../src/faults/grudge.js';
import { bridge, halves, isolate, majoritiesRing, oneWay, partitionShape, PARTITION_SHAPES } from '../../src/faults/partition-shapes.js';
import { SeededRandom } from '../../src/sim/random.js';

const FIVE = [1, 2, 3, 4, 5];
const SEED = 20261121;

/** Who can hear whom: node -> the nodes it receives from (itself included). */
function hears(grudge: ReturnType<typeof halves>, nodes: number[]): Map<number, number[]> {
  return new Map(nodes.map((to) => [to, nodes.filter((from) => !drops(grudge, from, to))]));
}

describe('partition shapes (seed ' + SEED + ')', () => {
  it('halves: two sides that do not hear each other, sizes 2 and 3', () => {
    const grudge = halves(FIVE, SeededRandom.fromSeed(SEED));
    const sides = [...new Set([...hears(grudge, FIVE).values()].map((side) => side.join(',')))];
    expect(sides.map((side) => side.split(',').length).sort()).toEqual([2, 3]);
    for (const node of FIVE) expect(drops(grudge, node, node)).toBe(false);
  });

  it('isolate: the node hears only itself and nobody hears it', () => {
    const heard = hears(isolate(FIVE, 3), FIVE);
    expect(heard.get(3)).toEqual([3]);
    expect(heard.get(1)).toEqual([1, 2, 4, 5]);
    expect(() => isolate(FIVE, 9)).toThrow('cannot isolate node 9');
  });

  it('majorities ring: every node hears a majority and no two hear the same one', () => {
    for (let seed = 0; seed < 20; seed += 1) {
      const heard = hears(majoritiesRing(FIVE, SeededRandom.fromSeed(seed)), FIVE);
      const majorities = [...heard.values()].map((side) => side.join(','));
      for (const side of heard.values()) expect(side.length).toBe(3);
      expect(new Set(majorities).size, `seed ${seed}`).toBe(5);
    }
  });

  it('bridge: one node hears everyone, the two sides do not hear each other', () => {
    const heard = hears(bridge(FIVE, SeededRandom.fromSeed(SEED)), FIVE);
    const bridges = FIVE.filter((node) => heard.get(node)?.length === 5);
    expect(bridges).toHaveLength(1);
    for (const node of FIVE.filter((other) => other !== bridges[0])) expect(heard.get(node)).toHaveLength(3);
  });

  it('one-way: traffic is dropped in one direction only', () => {
    for (let seed = 0; seed < 10; seed += 1) {
      const grudge = oneWay(FIVE, SeededRandom.fromSeed(seed));
      for (const a of FIVE) {
        for (const b of FIVE) {
          if (drops(grudge, a, b)) expect(drops(grudge, b, a), `seed ${seed}: ${a}<->${b}`).toBe(false);
        }
      }
      expect(Object.keys(describeGrudge(grudge)).length).toBeGreaterThan(0);
    }
  });

  it('every named shape builds, and heal drops nothing', () => {
    for (const shape of PARTITION_SHAPES) {
      expect(Object.keys(describeGrudge(partitionShape(shape, [1, 2, 3], 2, SeededRandom.fromSeed(SEED)))).length).toBeGreaterThan(0);
    }
    expect(describeGrudge(HEALED)).toEqual({});
    expect(() => majoritiesRing([1, 2], SeededRandom.fromSeed(SEED))).toThrow('needs at least 3 nodes');
  });
});
