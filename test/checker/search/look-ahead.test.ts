/**
 * The look-ahead (src/checker/search/look-ahead.ts) and the kv model's (models/kv-look-ahead.ts):
 * a get that can never see its text fails the path early, and that never changes a verdict. The
 * search with the look-ahead is compared with the same search without it, and with brute force,
 * on random single-key kv histories with tiny texts (so that different orders give the same text
 * and prefixes are common), puts, timed-out calls, and one get's answer changed.
 *
 * The seed comes from CHECKER_PROPERTY_SEED or the clock and is printed with any counterexample.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Call, Model } from '../../../src/checker/model.js';
import { kvModel } from '../../../src/checker/models/kv.js';
import { lookAheadFor } from '../../../src/checker/search/look-ahead.js';
import { Budget } from '../../../src/checker/budget.js';
import { searchLinearization } from '../../../src/checker/search/wgl.js';
import { bruteForceLinearizable, BRUTE_FORCE_CALLS_MAX } from '../../support/brute-force.js';
import { kvHistoryArbitrary } from './kv-history-generator.js';
import { VerdictAgreement } from './verdict-agreement.js';

const seed = Number(process.env.CHECKER_PROPERTY_SEED ?? Date.now() % 2 ** 31);
const model = kvModel() as Model<unknown>;
const withoutLookAhead = { ...model, lookAhead: undefined } as Model<unknown>;

function call(id: number, f: string, input: unknown, output: unknown, invokeIndex = id * 2, completeIndex: number | null = id * 2 + 1): Call {
  const known = output !== undefined;
  return {
    id, process: id, f, input, output, outputKnown: known, invokeIndex,
    completeIndex: known ? completeIndex : null, invokeTimeNs: invokeIndex, completeTimeNs: known ? completeIndex! : Infinity,
  };
}

describe('the kv look-ahead', () => {
  it('says a get is stuck when the text no longer leads to it and no put that could is left', () => {
    const calls = [
      call(0, 'put', ['k', 'xy'], ['k', 'xy'], 0, 9),
      call(1, 'get', ['k', null], ['k', 'xyz'], 1, 8),
      call(2, 'put', ['k', 'q'], ['k', 'q'], 2, 3),
      call(3, 'put', ['k', 'x'], ['k', 'x'], 10, 11),
    ];
    const lookAhead = lookAheadFor(model, calls)!;
    const text = (value: string): unknown => ({ key: 'k', text: value, hash: 0 });
    const none = (): boolean => false;
    const all = (): boolean => true;
    // "xy" and "" lead to "xyz" by appends; "ab" does not, but the open put of "xy" could.
    expect(lookAhead.stuck(text('xy'), calls[1]!, all)).toBe(false);
    expect(lookAhead.stuck(text(''), calls[1]!, all)).toBe(false);
    expect(lookAhead.stuck(text('ab'), calls[1]!, none)).toBe(false);
    // With that put linearized, nothing can: put "q" does not begin "xyz", put "x" comes too late.
    expect(lookAhead.stuck(text('ab'), calls[1]!, (id) => id === 0)).toBe(true);
    // Only known gets are ever stuck.
    expect(lookAhead.stuck(text('ab'), calls[0]!, all)).toBe(false);
  });
});

function searchKind(searched: Model<unknown>, calls: readonly Call[]): string {
  return searchLinearization(searched, calls, new Budget({ timeLimitMs: 20_000 })).kind;
}

describe(`the kv look-ahead never changes a verdict (seed ${seed})`, () => {
  it('agrees with the search without it on histories of up to 40 calls', () => {
    let invalid = 0;
    const agreement = new VerdictAgreement(seed);
    fc.assert(fc.property(kvHistoryArbitrary(40, 1), (calls) => {
      const withIt = searchKind(model, calls);
      if (withIt === 'illegal') invalid++;
      agreement.expectSame(withIt, searchKind(withoutLookAhead, calls));
    }), { seed, numRuns: 600 });
    agreement.expectFewUndecided(600);
    // Corruption must make some histories invalid, or the comparison proves little.
    expect(invalid).toBeGreaterThan(50);
  });

  it(`agrees with the brute-force checker on histories of at most ${BRUTE_FORCE_CALLS_MAX - 1} calls`, () => {
    let invalid = 0;
    fc.assert(fc.property(kvHistoryArbitrary(BRUTE_FORCE_CALLS_MAX - 1, 1), (calls) => {
      const expected = bruteForceLinearizable(withoutLookAhead, calls) ? 'ok' : 'illegal';
      if (expected === 'illegal') invalid++;
      expect(searchKind(model, calls)).toBe(expected);
    }), { seed, numRuns: 300 });
    expect(invalid).toBeGreaterThan(20);
  });
});
