/**
 * The search's snapshots of its path (src/checker/search/prefix-trail.ts): a snapshot keeps the
 * path as it was when taken, whatever the search pushes and pops afterwards. Random push/pop/mark
 * sequences from a printed seed (CHECKER_PROPERTY_SEED), checked against copies of the stack.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PrefixTrail, type TrailMark } from '../../../src/checker/search/prefix-trail.js';

const seed = Number(process.env.CHECKER_PROPERTY_SEED ?? Date.now() % 2 ** 31);

describe(`prefix trail snapshots (seed ${seed})`, () => {
  it('read back the path as it was when taken, across pops, pushes and the pool growing', () => {
    const action = fc.oneof(fc.constant('pop' as const), fc.constant('mark' as const), fc.integer({ min: 0, max: 999 }));
    fc.assert(fc.property(fc.array(action, { maxLength: 400 }), (actions) => {
      const maxDepth = 200;
      const trail = new PrefixTrail(maxDepth);
      const stack: number[] = [];
      const taken: { mark: TrailMark; path: number[] }[] = [];
      for (const act of actions) {
        if (act === 'pop') {
          if (stack.length === 0) continue;
          stack.pop();
          trail.poppedTo(stack.length);
        } else if (act === 'mark') {
          taken.push({ mark: trail.mark(stack.length, (frame) => stack[frame]!), path: [...stack] });
        } else if (stack.length < maxDepth) {
          stack.push(act);
        }
      }
      for (const { mark, path } of taken) expect(trail.callIds(mark)).toEqual(path);
    }), { seed, numRuns: 300 });
  });

  it('gives the empty path for a mark at depth 0', () => {
    const trail = new PrefixTrail(4);
    expect(trail.callIds(trail.mark(0, () => 0))).toEqual([]);
  });
});
