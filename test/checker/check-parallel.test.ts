/**
 * P-compositionality on worker threads: parts of a partitioned history checked in workers (started
 * from TypeScript source through tsx here) give the same verdicts and witnesses as in-thread, a
 * model the registry cannot rebuild (or not with the same hooks) is checked in-thread, and a failure inside a worker becomes
 * `unknown` with the error as its cause.
 */
import { describe, expect, it } from 'vitest';
import { checkCallsSync, checkHistory } from '../../src/checker/check.js';
import { Budget, STOPPED_CAUSE, StopFlag } from '../../src/checker/budget.js';
import { kvModel } from '../../src/checker/models/kv.js';
import { modelByName } from '../../src/checker/models/index.js';
import { referenceFor } from '../../src/checker/search/model-registry.js';
import { withKeysOf } from '../../src/checker/search/independence.js';
import { HistoryBuilder } from './search/history-builder.js';
import { casRegisterModel } from './search/register-model.js';

/** Per key: three appends, overlapping, then a get of what they made (or a corrupted text). */
function kvHistory(keys: string[], corruptKey?: string): HistoryBuilder {
  const h = new HistoryBuilder();
  keys.forEach((key, k) => {
    const base = k * 10;
    h.invoke(base, 'append', [key, 'x']).invoke(base + 1, 'append', [key, 'y']);
    h.ok(base, [key, 'x']).ok(base + 1, [key, 'y']);
    h.invoke(base + 2, 'get', [key, null]).ok(base + 2, [key, key === corruptKey ? 'yy' : 'xy']);
  });
  return h;
}

describe('parallel check', () => {
  const model = kvModel();

  it('checks parts on worker threads with the same valid verdict as in-thread', async () => {
    const h = kvHistory(['a', 'b', 'c', 'd']);
    const result = await checkHistory(h.operations, model, { inThreadSliceMs: 0 });
    expect(result.cause).toBeUndefined();
    expect(result.verdict).toBe('valid');
    expect(result.partitions).toBe(4);
  });

  it('reports the invalid part found by a worker with the caller\'s call ids', async () => {
    const h = kvHistory(['a', 'b', 'c', 'd'], 'c');
    const parallel = await checkHistory(h.operations, model, { inThreadSliceMs: 0 });
    const inThread = checkCallsSync(h.operations, model);
    expect(parallel.verdict).toBe('invalid');
    expect(parallel.failure!.partition).toBe('c');
    expect(parallel.failure!.failingCall).toEqual(inThread.failure!.failingCall);
    expect(parallel.failure!.triedStates).toEqual(inThread.failure!.triedStates);
  });

  it('turns an exception in a worker\'s model into unknown with the error as the cause', async () => {
    const h = kvHistory(['a', 'b']);
    h.invoke(99, 'delete', ['b', 'x']).ok(99, ['b', 'x']);
    const result = await checkHistory(h.operations, model, { inThreadSliceMs: 0 });
    expect(result.verdict).toBe('unknown');
    expect(result.cause).toMatch(/part b: the check failed: TypeError: the kv model has no function "delete" \(process 99/);
  });

  it('checks a model the registry cannot rebuild in this thread', async () => {
    const local = casRegisterModel({ partitioned: true });
    const h = new HistoryBuilder()
      .invoke(0, 'write', { key: 'a', value: 1 }).ok(0)
      .invoke(1, 'read', { key: 'b', value: null }).ok(1, 5);
    const result = await checkHistory(h.operations, local, { inThreadSliceMs: 0 });
    expect(result.verdict).toBe('invalid');
    expect(result.failure!.partition).toBe('b');
  });

  it('sends a model to workers only when the registry rebuilds it with the same hooks', async () => {
    expect(await referenceFor(model)).toEqual({ name: 'kv', options: {} });
    expect(await referenceFor(modelByName('kv-no-partition'))).toEqual({ name: 'kv-no-partition', options: {} });
    // keysOf added here would be lost in a worker, which rebuilds the registry's kv without it.
    const keyed = withKeysOf(model, (call) => [String((call.input as unknown[])[0])]);
    expect(await referenceFor(keyed)).toBeNull();
    const h = kvHistory(['a', 'b', 'c'], 'b');
    const result = await checkHistory(h.operations, keyed, { inThreadSliceMs: 0 });
    expect(result.verdict).toBe('invalid');
    expect(result.failure!.partition).toBe('b');
  });

  it('a raised stop flag ends every search sharing it at its next budget check', () => {
    const flag = new StopFlag();
    const budget = new Budget({}, flag);
    expect(budget.spent(0, 0)).toBeNull();
    flag.raise();
    expect(budget.spent(0, 0)).toBe(STOPPED_CAUSE);
  });
});
