/**
 * Refutation by single keys: when a keyed model's whole-history search is stuck on a key whose
 * own sub-history is intractable, a later key's violation is still found, and the witness names
 * that key's calls only. Refutation never turns a history valid.
 */
import { describe, expect, it } from 'vitest';
import { checkCallsSync } from '../../../src/checker/check.js';
import { HistoryBuilder } from './history-builder.js';
import { keyedRegistersModel } from './register-model.js';

/** Key a: `writers` overlapping writes, then a read of a value never written (~2^writers states). */
function intractableKeyThenSimpleViolation(writers: number, violateB: boolean): HistoryBuilder {
  const h = new HistoryBuilder();
  for (let p = 0; p < writers; p++) h.invoke(p, 'write', { key: 'a', value: p });
  for (let p = 0; p < writers; p++) h.ok(p);
  h.invoke(writers, 'read', { key: 'a', value: null }).ok(writers, { key: 'a', value: -1 });
  // Key b, after key a's violation in time: a write of 1, then a read that sees 2 (or 1).
  h.invoke(100, 'write', { key: 'b', value: 1 }).ok(100);
  h.invoke(101, 'read', { key: 'b', value: null }).ok(101, { key: 'b', value: violateB ? 2 : 1 });
  return h;
}

describe('refutation by single keys', () => {
  const model = keyedRegistersModel();

  // The budget is a time limit, but the verdict does not race it: key b, the smaller, is refuted
  // first, and its two calls need no budget check, however little of the budget is left when its
  // turn comes on a loaded machine (the test passes with a 5 ms limit as well).
  it('finds a later key\'s violation while an earlier key is intractable', () => {
    const h = intractableKeyThenSimpleViolation(24, true);
    const result = checkCallsSync(h.operations, model, { timeLimitMs: 2000 });
    expect(result.verdict).toBe('invalid');
    const failure = result.failure!;
    expect(new Set(failure.calls.map((call) => (call.input as { key: string }).key))).toEqual(new Set(['b']));
    expect(failure.failingCall.f).toBe('read');
    expect(failure.longestPrefix).toEqual([failure.calls[0]!.id]);
  });

  it('does not conclude valid from keys alone: an intractable key leaves the verdict unknown', () => {
    const h = intractableKeyThenSimpleViolation(24, false);
    const result = checkCallsSync(h.operations, model, { timeLimitMs: 1000 });
    expect(result.verdict).toBe('unknown');
    expect(result.cause).toMatch(/time limit 1000 ms spent after \d+ states .*no key's sub-history alone was found non-linearizable/);
  });
});
