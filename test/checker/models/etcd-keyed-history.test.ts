/**
 * The etcd-keyed model on generated etcd-shaped register histories
 * (test/support/generate-register-history.ts): what the generator promises (shape, unique values,
 * linearizable by construction) and what the checker says about them. Smaller than the benchmark's
 * (which has about 3,000 calls per key), so that CI stays quick.
 */
import { describe, expect, it } from 'vitest';
import { checkCallsSync } from '../../../src/checker/check.js';
import { etcdKeyedModel } from '../../../src/checker/models/register.js';
import { generateRegisterHistory } from '../../support/generate-register-history.js';

const CALLS_PER_KEY = 800;

describe('generated etcd-shaped register histories', () => {
  it.each([1, 2, 3])('seed %i: has the recorded histories\' shape and is valid', (seed) => {
    const { calls, operations } = generateRegisterHistory({ seed, callsPerKey: CALLS_PER_KEY });
    expect(operations.filter((op) => op.type === 'invoke')).toHaveLength(3 * CALLS_PER_KEY);
    const unknown = calls.filter((call) => !call.outputKnown);
    // Timed-out calls, mostly writes and cas, somewhere around 1-2 % (one seed's share varies).
    expect(unknown.length / calls.length).toBeGreaterThan(0.005);
    expect(unknown.length / calls.length).toBeLessThan(0.04);
    expect(unknown.every((call) => call.f !== 'read')).toBe(true);
    const written = calls.filter((call) => call.f !== 'read')
      .map((call) => (call.f === 'write' ? (call.input as [string, number])[1] : (call.input as [string, [unknown, number]])[1][1]));
    expect(new Set(written).size).toBe(written.length);
    const result = checkCallsSync(calls, etcdKeyedModel());
    expect(result.cause).toBeUndefined();
    expect(result.verdict).toBe('valid');
    expect(result.partitions).toBe(3);
  });

  it.each([1, 2, 3])('seed %i: a stale read makes it invalid, and the witness fails on that key', (seed) => {
    const { calls, staleReadIds } = generateRegisterHistory({ seed, callsPerKey: CALLS_PER_KEY, staleReads: 1 });
    expect(staleReadIds).toHaveLength(1);
    const stale = calls[staleReadIds[0]!]!;
    const result = checkCallsSync(calls, etcdKeyedModel());
    expect(result.verdict).toBe('invalid');
    expect(result.failure?.partition).toBe((stale.input as [string, unknown])[0]);
  });

  it('is the same history for the same seed', () => {
    const a = generateRegisterHistory({ seed: 7, callsPerKey: 200, staleReads: 2 });
    const b = generateRegisterHistory({ seed: 7, callsPerKey: 200, staleReads: 2 });
    expect(b.operations).toEqual(a.operations);
    expect(b.staleReadIds).toEqual(a.staleReadIds);
  });

  it('refuses nonsense options', () => {
    expect(() => generateRegisterHistory({ seed: 1, keys: 0 })).toThrow(/keys must be a positive integer, got 0/);
  });
});
