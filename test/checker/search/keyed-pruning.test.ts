/**
 * Just-in-time (just-in-time.ts) and look-ahead (look-ahead.ts) inside the keyed search (the
 * keysOf hook's partial-order reduction with backjumping, wgl.ts): they must keep to its failure
 * blame. The keyed search with them is compared with the same search without them and with the
 * per-key check (partitioned, where the blame plays no part), and with brute force on small
 * histories: kv-no-partition (look-ahead) on random multi-key kv histories, topics-no-partition
 * (just-in-time) on random multi-topic histories full of timed-out calls, lists left out (a list
 * touches every topic, which switches the keyed search off).
 *
 * The seed comes from CHECKER_PROPERTY_SEED or the clock and is printed with any counterexample.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Call, Model } from '../../../src/checker/model.js';
import { kvModel, kvNoPartitionModel } from '../../../src/checker/models/kv.js';
import { topicsModel, topicsModelUnpartitioned } from '../../../src/checker/models/topics.js';
import { checkCallsSync } from '../../../src/checker/check.js';
import { singleKeyIds } from '../../../src/checker/search/independence.js';
import { bruteForceLinearizable, BRUTE_FORCE_CALLS_MAX } from '../../support/brute-force.js';
import { generateTopicHistory } from '../../support/generate-topic-history.js';
import { kvHistoryArbitrary } from './kv-history-generator.js';
import { VerdictAgreement } from './verdict-agreement.js';

const seed = Number(process.env.CHECKER_PROPERTY_SEED ?? Date.now() % 2 ** 31);
const budget = { timeLimitMs: 20_000 };

function verdict(model: Model<unknown>, calls: readonly Call[]): string {
  const result = checkCallsSync(calls, model, budget);
  // Only a spent budget may leave a verdict unknown (VerdictAgreement counts those).
  if (result.verdict !== 'unknown') expect(result.cause).toBeUndefined();
  else expect(result.cause).toMatch(/^(time|memory) limit/);
  return result.verdict;
}

describe(`look-ahead in the keyed search (kv-no-partition, seed ${seed})`, () => {
  const keyed = kvNoPartitionModel() as Model<unknown>;
  const keyedWithout = { ...keyed, lookAhead: undefined } as Model<unknown>;
  const perKey = kvModel() as Model<unknown>;

  it('agrees with the keyed search without it and with the per-key check', () => {
    let invalid = 0;
    let searchedKeyed = 0;
    const agreement = new VerdictAgreement(seed);
    fc.assert(fc.property(kvHistoryArbitrary(40, 3), (calls) => {
      if (singleKeyIds(keyed, calls) !== null) searchedKeyed++;
      const withIt = verdict(keyed, calls);
      if (withIt === 'invalid') invalid++;
      agreement.expectSame(withIt, verdict(keyedWithout, calls));
      agreement.expectSame(withIt, verdict(perKey, calls));
    }), { seed, numRuns: 500 });
    agreement.expectFewUndecided(2 * 500);
    // The comparison proves little unless many histories are invalid and searched with keys.
    expect(invalid).toBeGreaterThan(50);
    expect(searchedKeyed).toBeGreaterThan(300);
  });

  it(`agrees with brute force on histories of at most ${BRUTE_FORCE_CALLS_MAX - 1} calls`, () => {
    let invalid = 0;
    fc.assert(fc.property(kvHistoryArbitrary(BRUTE_FORCE_CALLS_MAX - 1, 2), (calls) => {
      const expected = bruteForceLinearizable(keyedWithout, calls) ? 'valid' : 'invalid';
      if (expected === 'invalid') invalid++;
      expect(verdict(keyed, calls)).toBe(expected);
    }), { seed, numRuns: 300 });
    expect(invalid).toBeGreaterThan(20);
  });
});

/**
 * A multi-topic history without lists, many calls timed out, and (when `swap`) one answer
 * replaced by another call's of the same function, so that many are not linearizable.
 */
function topicHistory(historySeed: number, callCount: number, swapFrom: number, swapTo: number, swap: boolean): Call[] {
  const { calls } = generateTopicHistory({ seed: historySeed, calls: callCount, clients: 4, topicNames: 3, infoRate: 0.3, failRate: 0 });
  const noLists = calls.filter((c) => c.f !== 'list-topics').map((c, id) => ({ ...c, id }));
  if (!swap) return noLists;
  const known = noLists.filter((c) => c.outputKnown);
  if (known.length === 0) return noLists;
  const target = known[swapTo % known.length]!;
  const donors = known.filter((c) => c.f === target.f && c.id !== target.id);
  if (donors.length === 0) return noLists;
  const donor = donors[swapFrom % donors.length]!;
  return noLists.map((c) => (c.id === target.id ? { ...c, output: donor.output } : c));
}

describe(`just-in-time in the keyed search (topics-no-partition, seed ${seed})`, () => {
  const keyed = topicsModelUnpartitioned as Model<unknown>;
  const keyedWithout = { ...keyed, justInTime: undefined } as Model<unknown>;
  const perTopic = topicsModel as Model<unknown>;

  it('agrees with the keyed search without it and with the per-topic check', () => {
    let invalid = 0;
    const agreement = new VerdictAgreement(seed);
    fc.assert(fc.property(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), (historySeed, from, to, swap) => {
      const calls = topicHistory(historySeed, 40, from, to, swap);
      const withIt = verdict(keyed, calls);
      if (withIt === 'invalid') invalid++;
      agreement.expectSame(withIt, verdict(keyedWithout, calls));
      agreement.expectSame(withIt, verdict(perTopic, calls));
    }), { seed, numRuns: 400 });
    agreement.expectFewUndecided(2 * 400);
    expect(invalid).toBeGreaterThan(30);
  });

  it(`agrees with brute force on histories of at most ${BRUTE_FORCE_CALLS_MAX - 1} calls`, () => {
    fc.assert(fc.property(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), (historySeed, from, to, swap) => {
      const calls = topicHistory(historySeed, 12, from, to, swap).slice(0, BRUTE_FORCE_CALLS_MAX - 1);
      const expected = bruteForceLinearizable(keyedWithout, calls) ? 'valid' : 'invalid';
      expect(verdict(keyed, calls)).toBe(expected);
    }), { seed, numRuns: 150 });
  });
});
