import { describe, expect, it } from 'vitest';
import { resolveTarget, type NodeTarget } from '../../src/faults/node-targets.js';
import { SeededRandom } from '../../src/sim/random.js';

const FIVE = [1, 2, 3, 4, 5];

function resolve(target: NodeTarget, leaderId: number | null, busy: number[] = [], seed = 7) {
  return resolveTarget(target, { nodes: FIVE, leaderId, busy: new Set(busy) }, SeededRandom.fromSeed(seed));
}

describe('fault targets (seed 7)', () => {
  it('leader is the leader; without one, a random node, said in the note', () => {
    expect(resolve('leader', 3)).toEqual({ nodes: [3], note: null });
    const none = resolve('leader', null);
    expect(none.nodes).toHaveLength(1);
    expect(none.note).toBe('no leader known: a random node instead');
    expect(resolve('leader', 3, [3])).toEqual({ nodes: [], note: 'the leader, node 3, already has a fault' });
  });

  it('minority keeps a quorum, majority takes it away, all is everyone free', () => {
    expect(resolve('minority', 1).nodes).toHaveLength(2);
    expect(resolve('majority', 1).nodes).toHaveLength(3);
    expect(resolve('all', 1, [2]).nodes).toEqual([1, 3, 4, 5]);
    expect(resolve('all', 1, [2]).note).toBe('only 4 of 5 nodes were free');
  });

  it('not-leader and random never choose a busy node; a node id must be in the cluster', () => {
    for (let seed = 0; seed < 20; seed += 1) {
      expect(resolve('not-leader', 2, [1, 3], seed).nodes[0]).toBeOneOf([4, 5]);
      expect(resolve('random', 2, [1, 2, 3, 4], seed).nodes).toEqual([5]);
    }
    expect(resolve(4, 1)).toEqual({ nodes: [4], note: null });
    expect(() => resolve(9, 1)).toThrow('fault target node 9 is not one of 1,2,3,4,5');
  });
});
