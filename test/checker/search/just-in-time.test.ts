/**
 * The just-in-time restriction on calls of unknown outcome (src/checker/search/just-in-time.ts,
 * the topics model's promise in topics-just-in-time.ts): the targets it computes, the candidate
 * test, and above all that it never changes a verdict. The search with the restriction is
 * compared with the same search without it, and with the brute-force checker, on random
 * single-topic histories full of timed-out calls, with one answer swapped for another call's so
 * that many are not linearizable.
 *
 * The seed comes from CHECKER_PROPERTY_SEED or the clock and is printed with any counterexample.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Call, Model } from '../../../src/checker/model.js';
import { topicsModel, type TopicsState } from '../../../src/checker/models/topics.js';
import { Budget } from '../../../src/checker/budget.js';
import { searchLinearization } from '../../../src/checker/search/wgl.js';
import { justInTimeTargets, someTargetIsCandidate } from '../../../src/checker/search/just-in-time.js';
import { generateTopicHistory } from '../../support/generate-topic-history.js';
import { bruteForceLinearizable, BRUTE_FORCE_CALLS_MAX } from '../../support/brute-force.js';
import { VerdictAgreement } from './verdict-agreement.js';

const seed = Number(process.env.CHECKER_PROPERTY_SEED ?? Date.now() % 2 ** 31);
const withoutPromise: Model<TopicsState> = { ...topicsModel, justInTime: undefined } as Model<TopicsState>;

function call(id: number, f: string, input: unknown, output: unknown): Call {
  return {
    id, process: id, f, input, output, outputKnown: output !== undefined,
    invokeIndex: id, completeIndex: output === undefined ? null : id + 100, invokeTimeNs: id, completeTimeNs: id + 100,
  };
}

/** A single-topic history with many timed-out calls, one answer possibly swapped for another's. */
function mutatedHistory(historySeed: number, callCount: number, swapFrom: number, swapTo: number, swap: boolean): Call[] {
  const { calls } = generateTopicHistory({ seed: historySeed, calls: callCount, clients: 3, topicNames: 1, infoRate: 0.35, failRate: 0 });
  const parts = [...(topicsModel.partition?.(calls).values() ?? [])];
  const part = (parts[0] ?? []).map((c, id) => ({ ...c, id }));
  if (!swap) return part;
  const known = part.filter((c) => c.outputKnown);
  if (known.length === 0) return part;
  const target = known[swapTo % known.length]!;
  const donors = known.filter((c) => c.f === target.f && c.id !== target.id);
  if (donors.length === 0) return part;
  const donor = donors[swapFrom % donors.length]!;
  return part.map((c) => (c.id === target.id ? { ...c, output: donor.output } : c));
}

function searchKind(model: Model<TopicsState>, calls: readonly Call[]): string {
  return searchLinearization(model, calls, new Budget({ timeLimitMs: 20_000 })).kind;
}

describe('just-in-time targets', () => {
  it('a timed-out alter-config targets the describe-configs that read its configs, and nothing else', () => {
    const calls = [
      call(0, 'create-topic', { name: 'a', partitions: 1 }, { created: true }),
      call(1, 'alter-config', { name: 'a', configs: { x: '1' } }, undefined),
      call(2, 'describe-configs', { name: 'a' }, { configs: { x: '2' } }),
      call(3, 'describe-configs', { name: 'a' }, { configs: { x: '1' } }),
      call(4, 'describe-topic', { name: 'a' }, { partitions: 1 }),
    ];
    const targets = justInTimeTargets(topicsModel as Model<unknown>, calls)!;
    expect([...targets.targets[1]!]).toEqual([3]);
    expect(targets.targets[0]).toBeNull();
  });

  it('computes the targets once for alter-configs of the same configs, whatever their key order', () => {
    const calls = [
      call(0, 'alter-config', { name: 'a', configs: { x: '1', y: '2' } }, undefined),
      call(1, 'alter-config', { name: 'a', configs: { y: '2', x: '1' } }, undefined),
      call(2, 'alter-config', { name: 'a', configs: { x: '1' } }, undefined),
      call(3, 'describe-configs', { name: 'a' }, { configs: { y: '2', x: '1' } }),
    ];
    const targets = justInTimeTargets(topicsModel as Model<unknown>, calls)!;
    expect(targets.targets[1]).toBe(targets.targets[0]);
    expect([...targets.targets[0]!]).toEqual([3]);
    expect([...targets.targets[2]!]).toEqual([]);
  });

  it('a timed-out grow targets describes of its count and refused grows at or below it', () => {
    const calls = [
      call(0, 'create-partitions', { name: 'a', count: 3 }, undefined),
      call(1, 'describe-topic', { name: 'a' }, { partitions: 3 }),
      call(2, 'describe-topic', { name: 'a' }, { partitions: 2 }),
      call(3, 'create-partitions', { name: 'a', count: 3 }, { error: 'INVALID_PARTITIONS' }),
      call(4, 'create-partitions', { name: 'a', count: 4 }, { error: 'INVALID_PARTITIONS' }),
      call(5, 'create-partitions', { name: 'a', count: 2 }, { partitions: 2 }),
      call(6, 'create-topic', { name: 'a', partitions: 1 }, undefined),
    ];
    const targets = justInTimeTargets(topicsModel as Model<unknown>, calls)!;
    expect([...targets.targets[0]!]).toEqual([1, 3]);
  });

  it('a timed-out create targets the calls that need the topic to exist; a timed-out delete has no promise', () => {
    const calls = [
      call(0, 'create-topic', { name: 'a', partitions: 1 }, undefined),
      call(1, 'describe-topic', { name: 'a' }, { error: 'UNKNOWN_TOPIC_OR_PARTITION' }),
      call(2, 'create-topic', { name: 'a', partitions: 2 }, { error: 'TOPIC_ALREADY_EXISTS' }),
      call(3, 'create-topic', { name: 'a', partitions: 2 }, { created: true }),
      call(4, 'list-topics', { onlyTopic: 'a' }, { topics: ['a'] }),
      call(5, 'list-topics', { onlyTopic: 'a' }, { topics: [] }),
      call(6, 'delete-topic', { name: 'a' }, { deleted: true }),
      call(7, 'describe-configs', { name: 'b' }, { configs: {} }),
      call(8, 'create-partitions', { name: 'a', count: 1 }, { error: 'INVALID_PARTITIONS' }),
      call(9, 'delete-topic', { name: 'a' }, undefined),
    ];
    const targets = justInTimeTargets(topicsModel as Model<unknown>, calls)!;
    expect([...targets.targets[0]!]).toEqual([2, 4, 6, 8]);
    expect(targets.targets[9]).toBeNull();
  });

  it('a refused grow observes a timed-out grow only when the current count does not refuse it already', () => {
    const grow = call(0, 'create-partitions', { name: 'a', count: 5 }, undefined);
    const refused = call(1, 'create-partitions', { name: 'a', count: 3 }, { error: 'INVALID_PARTITIONS' });
    const promise = topicsModel.justInTime!(grow, [grow, refused])!;
    const withPartitions = (partitions: number): TopicsState => {
      const created = topicsModel.step(topicsModel.init(), call(2, 'create-topic', { name: 'a', partitions }, { created: true }));
      if (typeof created === 'symbol') throw new Error('create is legal on an empty state');
      return created;
    };
    expect(promise.isTarget(refused)).toBe(true);
    expect(promise.observesIn!(refused, withPartitions(2))).toBe(true);
    expect(promise.observesIn!(refused, withPartitions(3))).toBe(false);
    expect(promise.observesIn!(refused, withPartitions(4))).toBe(false);
  });

  it('no hook, or ids out of history order: no restriction at all', () => {
    const calls = [call(0, 'alter-config', { name: 'a', configs: {} }, undefined)];
    expect(justInTimeTargets(withoutPromise as Model<unknown>, calls)).toBeNull();
    const swapped = [{ ...calls[0]!, invokeIndex: 5 }, { ...call(1, 'describe-configs', { name: 'a' }, { configs: {} }), invokeIndex: 1 }];
    expect(justInTimeTargets(topicsModel as Model<unknown>, swapped)).toBeNull();
  });

  it('a target is a candidate while unlinearized and invoked before the first pending return', () => {
    const targets = Int32Array.from([2, 5, 9]);
    const callEntryOf = Int32Array.from([0, 1, 2, 3, 4, 6, 7, 8, 10, 11]);
    const set = new Uint32Array(1);
    expect(someTargetIsCandidate(targets, 0, 5, callEntryOf, set)).toBe(true);
    set[0] = 1 << 2;
    // 2 is linearized; 5's call entry (6) comes after the first return entry (5).
    expect(someTargetIsCandidate(targets, 0, 5, callEntryOf, set)).toBe(false);
    expect(someTargetIsCandidate(targets, 0, 9, callEntryOf, set)).toBe(true);
    // Below the frontier every target counts as linearized.
    expect(someTargetIsCandidate(targets, 6, 9, callEntryOf, new Uint32Array(1))).toBe(false);
  });
});

describe(`just-in-time never changes a verdict (seed ${seed})`, () => {
  it('agrees with the unrestricted search on 40-call single-topic histories', () => {
    let invalid = 0;
    const agreement = new VerdictAgreement(seed);
    fc.assert(fc.property(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), (historySeed, from, to, swap) => {
      const calls = mutatedHistory(historySeed, 40, from, to, swap);
      const restricted = searchKind(topicsModel, calls);
      if (restricted === 'illegal') invalid++;
      agreement.expectSame(restricted, searchKind(withoutPromise, calls));
    }), { seed, numRuns: 800 });
    agreement.expectFewUndecided(800);
    // The swaps must make some histories invalid, or the comparison proves little.
    expect(invalid).toBeGreaterThan(10);
  });

  it(`agrees with the brute-force checker on histories of at most ${BRUTE_FORCE_CALLS_MAX} calls`, () => {
    fc.assert(fc.property(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), (historySeed, from, to, swap) => {
      const calls = mutatedHistory(historySeed, 10, from, to, swap).slice(0, BRUTE_FORCE_CALLS_MAX);
      const expected = bruteForceLinearizable(withoutPromise, calls) ? 'ok' : 'illegal';
      expect(searchKind(topicsModel, calls)).toBe(expected);
    }), { seed, numRuns: 120 });
  });
});
