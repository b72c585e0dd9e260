/**
 * Properties of the search on random register histories (register-history-generator.ts):
 * histories generated from a real register are always `valid`; with one read corrupted, the search
 * says `invalid` exactly when the brute-force checker (test/support/brute-force.ts) does.
 *
 * The seed comes from CHECKER_PROPERTY_SEED or the clock, and fast-check prints it with any
 * counterexample: rerun with CHECKER_PROPERTY_SEED=<seed> to reproduce.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCallsSync, checkHistory } from '../../../src/checker/check.js';
import { pairCalls } from '../../../src/history/calls.js';
import type { Operation } from '../../../src/history/operation.js';
import { bruteForceLinearizable } from '../../support/brute-force.js';
import { casRegisterModel, keyedRegistersModel } from '../search/register-model.js';
import { generateRegisterHistory, type GeneratorSettings } from './register-history-generator.js';

const seed = Number(process.env.CHECKER_PROPERTY_SEED ?? Date.now() % 2 ** 31);
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed, numRuns });

function historyArbitrary(settings: Omit<GeneratorSettings, 'operations'>, operationsMax: number): fc.Arbitrary<Operation[]> {
  return fc.tuple(fc.integer({ min: 1, max: operationsMax }), fc.infiniteStream(fc.nat()))
    .map(([operations, stream]) => {
      const numbers = stream[Symbol.iterator]();
      const random = (maxExclusive: number): number => (numbers.next().value as number) % maxExclusive;
      return generateRegisterHistory({ ...settings, operations }, random);
    });
}

/** Replaces the value of the chosen read's ok with another value. */
function corruptOneRead(history: Operation[], pick: number, value: number): Operation[] | null {
  const reads = history.filter((op) => op.type === 'ok' && op.f === 'read');
  if (reads.length === 0) return null;
  const target = reads[pick % reads.length]!;
  const current = target.value;
  const replacement = current === value ? value + 1 : value;
  return history.map((op) => (op === target ? { ...op, value: replacement } : op));
}

describe(`linearizability properties (seed ${seed})`, () => {
  const model = casRegisterModel();

  it('histories generated from a real register are valid', () => {
    fc.assert(fc.property(historyArbitrary({ processes: 5, valuesMax: 3, keys: 1 }, 60), (history) => {
      const result = checkCallsSync(history, model);
      expect(result.cause).toBeUndefined();
      expect(result.verdict).toBe('valid');
    }), runs(300));
  });

  it('multi-register histories are valid whole and partitioned by key', () => {
    const partitioned = casRegisterModel({ partitioned: true });
    fc.assert(fc.property(historyArbitrary({ processes: 4, valuesMax: 2, keys: 3 }, 40), (history) => {
      expect(checkCallsSync(history, partitioned).verdict).toBe('valid');
    }), runs(200));
  });

  it('with one read corrupted, the search agrees with brute force', () => {
    let invalidSeen = 0;
    fc.assert(fc.property(
      historyArbitrary({ processes: 3, valuesMax: 2, keys: 1 }, 7), fc.nat(), fc.integer({ min: 0, max: 3 }),
      (history, pick, value) => {
        const corrupted = corruptOneRead(history, pick, value);
        fc.pre(corrupted !== null);
        const expected = bruteForceLinearizable(model, pairCalls(corrupted!)) ? 'valid' : 'invalid';
        if (expected === 'invalid') invalidSeen++;
        expect(checkCallsSync(corrupted!, model).verdict).toBe(expected);
      },
    ), runs(400));
    // The property is only meaningful if corruption often yields invalid histories.
    expect(invalidSeen).toBeGreaterThan(20);
  });

  it('the key-independence reduction agrees with brute force on multi-register histories', () => {
    const keyed = keyedRegistersModel();
    let invalidSeen = 0;
    fc.assert(fc.property(
      historyArbitrary({ processes: 3, valuesMax: 1, keys: 2 }, 8), fc.nat(), fc.integer({ min: 0, max: 2 }),
      (history, pick, value) => {
        const corrupted = corruptOneRead(history, pick, value) ?? history;
        const calls = pairCalls(corrupted);
        fc.pre(calls.length <= 8);
        const expected = bruteForceLinearizable(keyed, calls) ? 'valid' : 'invalid';
        if (expected === 'invalid') invalidSeen++;
        expect(checkCallsSync(calls, keyed).verdict).toBe(expected);
      },
    ), runs(300));
    expect(invalidSeen).toBeGreaterThan(20);
  });

  it('the key-independence reduction agrees with partitioning on larger multi-register histories', () => {
    const keyed = keyedRegistersModel();
    const partitioned = casRegisterModel({ partitioned: true });
    fc.assert(fc.property(
      historyArbitrary({ processes: 6, valuesMax: 2, keys: 3 }, 60), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.boolean(),
      (history, pick, value, corrupt) => {
        const input = corrupt ? corruptOneRead(history, pick, value) ?? history : history;
        expect(checkCallsSync(input, keyed).verdict).toBe(checkCallsSync(input, partitioned).verdict);
      },
    ), runs(300));
  });

  it('checkHistory and checkCallsSync agree on multi-register histories', async () => {
    const partitioned = casRegisterModel({ partitioned: true });
    await fc.assert(fc.asyncProperty(
      historyArbitrary({ processes: 4, valuesMax: 2, keys: 3 }, 30), fc.nat(), fc.integer({ min: 0, max: 3 }),
      async (history, pick, value) => {
        const corrupted = corruptOneRead(history, pick, value) ?? history;
        const sync = checkCallsSync(corrupted, partitioned);
        const asynchronous = await checkHistory(corrupted, partitioned);
        expect(asynchronous.verdict).toBe(sync.verdict);
        expect(asynchronous.failure?.partition).toBe(sync.failure?.partition);
      },
    ), runs(100));
  });
});
