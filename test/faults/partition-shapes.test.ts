import { describe, expect, it } from 'vitest';
import { describeGrudge, drops, HEALED } from '../../src/faults/grudge.js';
import {
  bridge, halves, isolate, majoritiesRing, majority, minorityThird, oneWay, partitionShape, PARTITION_SHAPES, pingPong, randomHalves,
  shapeProblem, shapesFor,
} from '../../src/faults/partition-shapes.js';
import { SeededRandom } from '../../src/sim/random.js';

const FIVE = [1, 2, 3, 4, 5];
const SEED = 20261121;

/** Who can hear whom: node -> the nodes it receives from (itself included). */
function hears(grudge: ReturnType<typeof halves>, nodes: number[]): Map<number, number[]> {
  return new Map(nodes.map((to) => [to, nodes.filter((from) => !drops(grudge, from, to))]));
}

describe('partition shapes (seed ' + SEED + ')', () => {
  it('halves: the nodes in id order cut in two, sizes 2 and 3', () => {
    const heard = hears(halves([5, 3, 1, 4, 2]), FIVE);
    expect(heard.get(1)).toEqual([1, 2]);
    expect(heard.get(5)).toEqual([3, 4, 5]);
  });

  it('random halves: two sides that do not hear each other, sizes 2 and 3', () => {
    const grudge = randomHalves(FIVE, SeededRandom.fromSeed(SEED));
    const sides = [...new Set([...hears(grudge, FIVE).values()].map((side) => side.join(',')))];
    expect(sides.map((side) => side.split(',').length).sort()).toEqual([2, 3]);
    for (const node of FIVE) expect(drops(grudge, node, node)).toBe(false);
  });

  it('minority third: a third of the nodes (at least one) cut off from the rest', () => {
    const sizes = (nodes: number[]): number[] =>
      [...new Set([...hears(minorityThird(nodes, SeededRandom.fromSeed(SEED)), nodes).values()].map((side) => side.join(',')))]
        .map((side) => side.split(',').length).sort();
    expect(sizes([1, 2, 3])).toEqual([1, 2]);
    expect(sizes(FIVE)).toEqual([1, 4]);
    expect(sizes([1, 2, 3, 4, 5, 6, 7])).toEqual([2, 5]);
  });

  it('majority: a majority that does not hold the leader, and the rest', () => {
    for (let seed = 0; seed < 10; seed += 1) {
      const heard = hears(majority(FIVE, 4, SeededRandom.fromSeed(seed)), FIVE);
      expect(heard.get(4), `seed ${seed}`).toHaveLength(2);
      const majoritySide = FIVE.filter((node) => heard.get(node)!.length === 3);
      expect(majoritySide, `seed ${seed}`).toHaveLength(3);
      expect(majoritySide).not.toContain(4);
    }
  });

  it("ping-pong: KIP-996's 5-node topology (links 0-2, 1-3, 2-3, 2-4, 3-4), refused on other sizes", () => {
    const heard = hears(pingPong([10, 20, 30, 40, 50]), [10, 20, 30, 40, 50]);
    expect(heard.get(10)).toEqual([10, 30]);
    expect(heard.get(20)).toEqual([20, 40]);
    expect(heard.get(30)).toEqual([10, 30, 40, 50]);
    expect(heard.get(40)).toEqual([20, 30, 40, 50]);
    expect(heard.get(50)).toEqual([30, 40, 50]);
    expect(() => pingPong([1, 2, 3])).toThrow('ping-pong is KIP-996\'s 5-node topology; it needs exactly 5 nodes, got 3');
    expect(shapeProblem('ping-pong', 7)).toContain('needs exactly 5 nodes');
    expect(shapesFor(3)).not.toContain('ping-pong');
    expect(shapesFor(5)).toContain('ping-pong');
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
      expect(Object.keys(describeGrudge(partitionShape(shape, FIVE, 2, SeededRandom.fromSeed(SEED)))).length, shape).toBeGreaterThan(0);
    }
    expect(describeGrudge(HEALED)).toEqual({});
    expect(() => majoritiesRing([1, 2], SeededRandom.fromSeed(SEED))).toThrow('needs at least 3 nodes');
  });
});
