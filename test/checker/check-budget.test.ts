/**
 * Budgets: a check that cannot finish within its time or memory limit ends `unknown` with a cause
 * naming the limit and how far it got, never `valid` and never a crash.
 */
import { describe, expect, it } from 'vitest';
import { checkCallsSync, checkHistory } from '../../src/checker/check.js';
import { HistoryBuilder } from './search/history-builder.js';
import { casRegisterModel } from './search/register-model.js';

/**
 * `writers` concurrent writes of distinct values, then a read of a value never written: invalid,
 * but only after the search has tried every subset and order of the writes (~writers · 2^writers
 * configurations).
 */
function hardHistory(writers: number): HistoryBuilder {
  const h = new HistoryBuilder();
  for (let p = 0; p < writers; p++) h.invoke(p, 'write', p);
  for (let p = 0; p < writers; p++) h.ok(p);
  return h.invoke(writers, 'read').ok(writers, -1);
}

describe('check budgets', () => {
  const model = casRegisterModel();

  it('a hard history is decided invalid without a budget in the way', () => {
    expect(checkCallsSync(hardHistory(10).operations, model).verdict).toBe('invalid');
  });

  it('a 1 ms time limit on a large history gives unknown with the cause', () => {
    const result = checkCallsSync(hardHistory(22).operations, model, { timeLimitMs: 1 });
    expect(result.verdict).toBe('unknown');
    expect(result.cause).toMatch(/^part all: time limit 1 ms spent after \d+ states$/);
  });

  it('a memory limit gives unknown with the cause instead of running out of memory', () => {
    const result = checkCallsSync(hardHistory(22).operations, model, { memoryLimitMiB: 4 });
    expect(result.verdict).toBe('unknown');
    expect(result.cause).toMatch(/memory limit 4 MiB reached .*after \d+ states/);
  });

  it('checkHistory honours the same limits', async () => {
    const result = await checkHistory(hardHistory(22).operations, model, { timeLimitMs: 1 });
    expect(result.verdict).toBe('unknown');
    expect(result.cause).toContain('time limit 1 ms spent');
  });

  it('rejects a limit that is not positive, naming it', () => {
    expect(() => checkCallsSync([], model, { timeLimitMs: 0 })).toThrow(/timeLimitMs must be > 0, got 0/);
    expect(() => checkCallsSync([], model, { memoryLimitMiB: -1 })).toThrow(/memoryLimitMiB must be > 0, got -1/);
  });
});
