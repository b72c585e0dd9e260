/**
 * The register models' just-in-time promise (src/checker/models/register-just-in-time.ts), twin
 * classes (register-twins.ts) and look-ahead (register-look-ahead.ts): the targets, classes and
 * stuck calls they give, and above all that they never change a verdict. The search with them is
 * compared with the same search without any, and
 * with the brute-force checker, on random register
 * histories where many writes and cas timed out, with small value ranges (so values repeat, which
 * the promise must also survive) and one read answer changed so that many are not linearizable.
 *
 * The seed comes from CHECKER_PROPERTY_SEED or the clock and is printed with any counterexample.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Call, Model } from '../../../src/checker/model.js';
import { casRegisterModel, etcdKeyedModel, etcdModel, registerModel } from '../../../src/checker/models/register.js';
import type { JustInTimeModel } from '../../../src/checker/search/just-in-time.js';
import { justInTimeTargets } from '../../../src/checker/search/just-in-time.js';
import { twinsOf } from '../../../src/checker/search/twins.js';
import { lookAheadFor } from '../../../src/checker/search/look-ahead.js';
import { Budget } from '../../../src/checker/budget.js';
import { searchLinearization } from '../../../src/checker/search/wgl.js';
import { checkCallsSync } from '../../../src/checker/check.js';
import { pairCalls } from '../../../src/history/calls.js';
import type { Operation } from '../../../src/history/operation.js';
import { bruteForceLinearizable, BRUTE_FORCE_CALLS_MAX } from '../../support/brute-force.js';
import { generateRegisterHistory } from '../property/register-history-generator.js';
import { VerdictAgreement } from './verdict-agreement.js';

const seed = Number(process.env.CHECKER_PROPERTY_SEED ?? Date.now() % 2 ** 31);

function call(id: number, f: string, input: unknown, output?: unknown, invokeIndex = id, completeIndex = id + 100): Call {
  const known = output !== undefined;
  return {
    id, process: id, f, input, output, outputKnown: known,
    invokeIndex, completeIndex: known ? completeIndex : null, invokeTimeNs: invokeIndex, completeTimeNs: known ? completeIndex : Infinity,
  };
}

const withoutPromise = (model: Model<unknown>): Model<unknown> =>
  ({ ...model, justInTime: undefined, twinClass: undefined, lookAhead: undefined }) as Model<unknown>;

/** The targets of call `id`: its own and its shared target ids, those the promise names as targets. */
function targetsOf(model: Model<unknown>, calls: Call[], id: number): number[] {
  const found = justInTimeTargets(model, calls);
  const promise = found?.promises[id];
  if (!found || !promise) return [];
  const ids = new Set([...(found.targets[id] ?? []), ...(found.shared[id] ?? [])]);
  return [...ids].filter((target) => promise.isTarget(calls[target]!)).sort((a, b) => a - b);
}

describe('register just-in-time targets', () => {
  const model = etcdModel() as Model<unknown> & JustInTimeModel;

  it('a timed-out write targets the reads of its value, the cas that applied from it and the failed cas', () => {
    const calls = [
      call(0, 'write', 5),
      call(1, 'read', null, 5),
      call(2, 'read', null, 6),
      call(3, 'cas', [5, 7], true),
      call(4, 'cas', [6, 7], true),
      call(5, 'cas', [6, 8], false),
      call(6, 'cas', [5, 8], false),
      call(7, 'write', 9, 9),
    ];
    // The failed cas from 6 can observe it (when the register holds 6); the one from 5 cannot.
    expect(targetsOf(model, calls, 0)).toEqual([1, 3, 5]);
  });

  it('narrows a write\'s failed-cas targets to those the state before it refuses', () => {
    const write = call(0, 'write', 5);
    const calls = [write, call(1, 'cas', [6, 8], false)];
    const promise = model.justInTime!(write, calls)!;
    expect(promise.isTarget(calls[1]!)).toBe(true);
    expect(promise.observesIn!(calls[1]!, 6)).toBe(true);
    expect(promise.observesIn!(calls[1]!, 4)).toBe(false);
  });

  it('a timed-out cas targets the observers of its new value and the failed cas from its expected value', () => {
    const calls = [
      call(0, 'cas', [1, 2]),
      call(1, 'read', null, 2),
      call(2, 'cas', [1, 3], false),
      call(3, 'cas', [4, 3], false),
      call(4, 'read', null, 1),
    ];
    expect(targetsOf(model, calls, 0)).toEqual([1, 2]);
  });

  it('chains: a timed-out write targets what a timed-out cas from its value targets', () => {
    const calls = [
      call(0, 'write', 1),
      call(1, 'cas', [1, 2]),
      call(2, 'read', null, 2),
      call(3, 'cas', [2, 3]),
      call(4, 'read', null, 3),
      call(5, 'read', null, 4),
    ];
    expect(targetsOf(model, calls, 0)).toEqual([2, 4]);
    expect(targetsOf(model, calls, 1)).toEqual([2, 4]);
  });

  it('shares one array of every failed cas among writes, observesIn leaving out those expecting the value written', () => {
    const calls = [
      call(0, 'write', 5),
      call(1, 'write', 6),
      call(2, 'cas', [5, 8], false),
      call(3, 'cas', [7, 8], false),
      call(4, 'read', null, 6),
    ];
    const found = justInTimeTargets(model, calls)!;
    expect(found.shared[1]).toBe(found.shared[0]);
    expect([...found.shared[0]!]).toEqual([2, 3]);
    const write5 = found.promises[0]!;
    expect(write5.observesIn!(calls[2]!, 5)).toBe(false); // writing 5 over 5 makes the cas from 5 no more legal
    expect(write5.observesIn!(calls[3]!, 7)).toBe(true);
    expect(write5.observesIn!(calls[3]!, 4)).toBe(false);
    expect(targetsOf(model, calls, 0)).toEqual([3]);
    expect(targetsOf(model, calls, 1)).toEqual([2, 3, 4]);
  });

  it('names a failed cas once when it is both a chained target and one of the write\'s failed cas', () => {
    const calls = [
      call(0, 'write', 1),
      call(1, 'cas', [1, 2]), // timed out: chained after the write, it makes the failed cas from 1 a target
      call(2, 'cas', [1, 3], false),
      call(3, 'cas', [4, 5], false),
      call(4, 'read', null, 2),
    ];
    expect(targetsOf(model, calls, 0)).toEqual([2, 3, 4]);
  });

  it('a read of nil is a target under etcd rules, never under Knossos\' wildcard rule', () => {
    const calls = [call(0, 'cas', [1, null]), call(1, 'read', null, null)];
    expect(targetsOf(model, calls, 0)).toEqual([1]);
    expect(targetsOf(casRegisterModel() as Model<unknown>, calls, 0)).toEqual([]);
  });

  it('reads the values inside [key, value] pairs for etcd-keyed', () => {
    const calls = [call(0, 'write', ['k', 5]), call(1, 'read', ['k', null], ['k', 5]), call(2, 'read', ['k', null], ['k', 6])];
    expect(targetsOf(etcdKeyedModel() as Model<unknown>, calls, 0)).toEqual([1]);
  });
});

describe('register twin classes', () => {
  it('puts timed-out writes of values nobody reads or expects in one class, and cas by their expected value', () => {
    const calls = [
      call(0, 'write', 1),
      call(1, 'write', 2),
      call(2, 'write', 3),
      call(3, 'cas', [9, 4]),
      call(4, 'cas', [9, 5]),
      call(5, 'cas', [8, 6]),
      call(6, 'write', 7),
      call(7, 'read', null, 3),
      call(8, 'cas', [7, 10], false),
    ];
    // 3 is read and 7 expected by a failed cas: those two writes are observable, the others not.
    expect([...twinsOf(etcdModel(), calls)]).toEqual([-1, 0, -1, -1, 3, -1, -1, -1, -1]);
    // Without the hook, only identical calls are twins.
    expect([...twinsOf(withoutPromise(etcdModel() as Model<unknown>), calls)]).toEqual(new Array(9).fill(-1));
  });
});

describe('register look-ahead', () => {
  it('says a read is stuck once the register moved off its value and every write of it is used', () => {
    const calls = [
      call(0, 'write', 5, 5),
      call(1, 'read', null, 5),
      call(2, 'cas', [5, 6], true),
      call(3, 'cas', [7, 8], false),
    ];
    const lookAhead = lookAheadFor(etcdModel() as Model<unknown>, calls)!;
    expect(lookAhead.stuck(6, calls[1]!, () => false)).toBe(false); // the write of 5 can still go
    expect(lookAhead.stuck(6, calls[1]!, () => true)).toBe(true);
    expect(lookAhead.stuck(5, calls[1]!, () => true)).toBe(false); // it holds 5 now
    expect(lookAhead.stuck(6, calls[2]!, () => true)).toBe(true); // the applied cas from 5, likewise
    expect(lookAhead.stuck(7, calls[3]!, () => true)).toBe(false); // failed cas: never stuck here
    // A write invoked after the read returned cannot help it.
    const late = [call(0, 'read', null, 5, 0, 1), call(1, 'write', 5, 5, 2, 3)];
    expect(lookAheadFor(etcdModel() as Model<unknown>, late)!.stuck(null, late[0]!, () => false)).toBe(true);
  });

  it('never holds a nil read stuck under Knossos\' wildcard rule', () => {
    const calls = [call(0, 'write', 5, 5), call(1, 'read', null, null)];
    expect(lookAheadFor(casRegisterModel() as Model<unknown>, calls)!.stuck(5, calls[1]!, () => true)).toBe(false);
    expect(lookAheadFor(etcdModel() as Model<unknown>, calls)!.stuck(5, calls[1]!, () => true)).toBe(true);
  });
});

/**
 * A random register history (single key) in which each write or cas answered ok is turned into a
 * timeout with probability 1/2 (still linearizable: a timed-out call may have taken effect), and,
 * when `corrupt`, one read answers another value.
 */
function historyArbitrary(operationsMax: number, valuesMax: number, uniqueValues = false): fc.Arbitrary<Call[]> {
  return fc.tuple(fc.integer({ min: 1, max: operationsMax }), fc.infiniteStream(fc.nat()), fc.boolean(), fc.nat(), fc.nat())
    .map(([operations, stream, corrupt, pick, value]) => {
      const numbers = stream[Symbol.iterator]();
      const random = (maxExclusive: number): number => (numbers.next().value as number) % maxExclusive;
      const history = generateRegisterHistory({ processes: 4, operations, valuesMax, keys: 1, uniqueValues }, random);
      let readsSeen = 0;
      const reads = history.filter((op) => op.type === 'ok' && op.f === 'read').length;
      const changed = history.map((op): Operation => {
        if (op.type === 'ok' && op.f !== 'read' && random(2) === 0) return { ...op, type: 'info' };
        if (corrupt && op.type === 'ok' && op.f === 'read' && readsSeen++ === pick % Math.max(1, reads)) {
          return { ...op, value: value % (valuesMax + 2) };
        }
        return op;
      });
      return pairCalls(changed);
    });
}

function searchKind(model: Model<unknown>, calls: readonly Call[]): string {
  return searchLinearization(model, calls, new Budget({ timeLimitMs: 20_000 })).kind;
}

describe(`register just-in-time never changes a verdict (seed ${seed})`, () => {
  const models = [etcdModel(), casRegisterModel(), casRegisterModel({ initial: 0 })] as Model<unknown>[];

  // Few values: they repeat, and most are read. Unique values (the etcd workload's): most
  // timed-out writes write one nobody reads, which is where the twin classes apply.
  it.each([[false, 'few values'], [true, 'unique values']])('agrees with the unrestricted search on histories of up to 40 calls (unique values %s: %s)', (uniqueValues) => {
    let invalid = 0;
    const agreement = new VerdictAgreement(seed);
    fc.assert(fc.property(historyArbitrary(40, 3, uniqueValues), fc.nat(models.length - 1), (calls, which) => {
      const model = models[which]!;
      const restricted = searchKind(model, calls);
      if (restricted === 'illegal') invalid++;
      agreement.expectSame(restricted, searchKind(withoutPromise(model), calls));
    }), { seed, numRuns: 1000 });
    agreement.expectFewUndecided(1000);
    // Corruption must make some histories invalid, or the comparison proves little.
    expect(invalid).toBeGreaterThan(30);
  });

  it.each([false, true])(`agrees with the brute-force checker on histories of at most ${BRUTE_FORCE_CALLS_MAX - 1} calls (unique values: %s)`, (uniqueValues) => {
    let invalid = 0;
    fc.assert(fc.property(historyArbitrary(12, 2, uniqueValues), fc.nat(models.length - 1), (history, which) => {
      // One call fewer than brute force takes: with many timed-out calls, 9 take seconds each.
      const calls = history.slice(0, BRUTE_FORCE_CALLS_MAX - 1);
      const model = models[which]!;
      const expected = bruteForceLinearizable(withoutPromise(model), calls) ? 'ok' : 'illegal';
      if (expected === 'illegal') invalid++;
      expect(searchKind(model, calls)).toBe(expected);
    }), { seed, numRuns: 300 });
    expect(invalid).toBeGreaterThan(20);
  });

  it('a register without cas keeps its verdicts too', () => {
    const model = registerModel() as Model<unknown>;
    const agreement = new VerdictAgreement(seed);
    fc.assert(fc.property(historyArbitrary(30, 3), (calls) => {
      const writesAndReads = calls.filter((c) => c.f !== 'cas').map((c, id) => ({ ...c, id }));
      agreement.expectSame(searchKind(model, writesAndReads), searchKind(withoutPromise(model), writesAndReads));
    }), { seed, numRuns: 200 });
    agreement.expectFewUndecided(200);
  });

  it('etcd-keyed judges each key as etcd judges it alone', () => {
    const keyed = etcdKeyedModel() as Model<unknown>;
    const single = etcdModel() as Model<unknown>;
    fc.assert(fc.property(historyArbitrary(25, 3), historyArbitrary(25, 3), (a, b) => {
      // Two single-key histories side by side as keys "a" and "b", interleaved by invocation.
      const pair = (key: string, c: Call): Call => ({
        ...c, input: [key, c.input], output: c.outputKnown ? [key, c.output] : undefined,
        invokeIndex: c.invokeIndex * 2 + (key === 'a' ? 0 : 1),
        completeIndex: c.completeIndex === null ? null : c.completeIndex * 2 + (key === 'a' ? 0 : 1),
      });
      const merged = [...a.map((c) => pair('a', c)), ...b.map((c) => pair('b', c))]
        .sort((x, y) => x.invokeIndex - y.invokeIndex).map((c, id) => ({ ...c, id }));
      const alone = searchKind(single, a) === 'ok' && searchKind(single, b) === 'ok' ? 'valid' : 'invalid';
      expect(checkCallsSync(merged, keyed).verdict).toBe(alone);
    }), { seed, numRuns: 150 });
  });
});
