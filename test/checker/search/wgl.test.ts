/**
 * The WGL search on small hand-made histories, one test per rule of linearizability it must
 * respect. Each history is written as a timeline with HistoryBuilder.
 */
import { describe, expect, it } from 'vitest';
import { checkCallsSync } from '../../../src/checker/check.js';
import { HistoryBuilder } from './history-builder.js';
import { casRegisterModel } from './register-model.js';

const model = casRegisterModel();

describe('WGL search', () => {
  it('accepts the empty history', () => {
    expect(checkCallsSync([], model).verdict).toBe('valid');
  });

  it('accepts a sequential history that follows the model', () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 1).ok(0)
      .invoke(1, 'read').ok(1, 1)
      .invoke(0, 'cas', [1, 2]).ok(0, true)
      .invoke(1, 'read').ok(1, 2);
    expect(checkCallsSync(h.operations, model).verdict).toBe('valid');
  });

  it('rejects a read of a value never written', () => {
    const h = new HistoryBuilder().invoke(0, 'write', 1).ok(0).invoke(1, 'read').ok(1, 7);
    expect(checkCallsSync(h.operations, model).verdict).toBe('invalid');
  });

  it('orders overlapping calls either way: a read overlapping a write may see the old value', () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 1).ok(0)
      .invoke(0, 'write', 2)
      .invoke(1, 'read').ok(1, 1)
      .ok(0);
    expect(checkCallsSync(h.operations, model).verdict).toBe('valid');
  });

  it('respects real-time order: a read after a completed write cannot see the older value', () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 1).ok(0)
      .invoke(0, 'write', 2).ok(0)
      .invoke(1, 'read').ok(1, 1);
    expect(checkCallsSync(h.operations, model).verdict).toBe('invalid');
  });

  it('lets a call with an unknown outcome take effect after its invocation', () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 3).info(0)
      .invoke(1, 'read').ok(1, 3);
    expect(checkCallsSync(h.operations, model).verdict).toBe('valid');
  });

  it('lets a call with an unknown outcome never take effect, even one that could not', () => {
    // The cas from 5 could never succeed; Knossos semantics let it be left out.
    const h = new HistoryBuilder()
      .invoke(0, 'cas', [5, 6]).info(0)
      .invoke(1, 'write', 1).ok(1)
      .invoke(1, 'read').ok(1, 1);
    expect(checkCallsSync(h.operations, model).verdict).toBe('valid');
  });

  it('accepts, without searching, a history whose every call has an unknown outcome, even calls no order allows', () => {
    const h = new HistoryBuilder()
      .invoke(0, 'cas', [5, 6]).info(0)
      .invoke(1, 'cas', [7, 8]).info(1)
      .invoke(2, 'read').fail(2);
    const result = checkCallsSync(h.operations, model);
    expect(result.verdict).toBe('valid');
    expect(result.statesExplored).toBe(0);
  });

  it('treats an invocation that never completes as an unknown outcome', () => {
    const h = new HistoryBuilder().invoke(0, 'write', 4).invoke(1, 'read').ok(1, 4);
    expect(checkCallsSync(h.operations, model).verdict).toBe('valid');
  });

  it('does not let a call with an unknown outcome take effect before its invocation', () => {
    const h = new HistoryBuilder()
      .invoke(1, 'read').ok(1, 3)
      .invoke(0, 'write', 3).info(0);
    expect(checkCallsSync(h.operations, model).verdict).toBe('invalid');
  });

  it('drops failed calls: a failed write has no effect', () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 9).fail(0)
      .invoke(1, 'read').ok(1, 9);
    expect(checkCallsSync(h.operations, model).verdict).toBe('invalid');
  });

  it('ignores nemesis operations', () => {
    const h = new HistoryBuilder()
      .invoke('nemesis', 'start-partition', 'majority')
      .invoke(0, 'write', 1).ok(0)
      .info('nemesis', 'cut')
      .invoke(1, 'read').ok(1, 1);
    expect(checkCallsSync(h.operations, model).verdict).toBe('valid');
  });

  it('needs backtracking: only one order of three overlapping calls works', () => {
    // write 1, cas 1→2 and read 2 all overlap; the read must come after both.
    const h = new HistoryBuilder()
      .invoke(2, 'read')
      .invoke(1, 'cas', [1, 2])
      .invoke(0, 'write', 1)
      .ok(2, 2).ok(1, true).ok(0);
    expect(checkCallsSync(h.operations, model).verdict).toBe('valid');
  });
});

describe('failure witness', () => {
  it('names the longest linearizable prefix, the call that cannot follow it, and why', () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 1).ok(0)
      .invoke(0, 'write', 2).ok(0)
      .invoke(1, 'read').ok(1, 1);
    const result = checkCallsSync(h.operations, model);
    expect(result.verdict).toBe('invalid');
    const failure = result.failure!;
    expect(failure.partition).toBe('all');
    expect(failure.longestPrefix).toEqual([0, 1]);
    expect(failure.failingCall.id).toBe(2);
    expect(failure.triedStates).toEqual([
      { state: 'register = 2', reason: "can't read 1 when the register holds 2" },
    ]);
  });

  it('lists every state the failing call was tried against', () => {
    // Two overlapping writes end in either 1 or 2; a later read of 3 fails after both orders.
    const h = new HistoryBuilder()
      .invoke(0, 'write', 1).invoke(1, 'write', 2).ok(0).ok(1)
      .invoke(2, 'read').ok(2, 3);
    const failure = checkCallsSync(h.operations, model).failure!;
    expect(failure.failingCall.f).toBe('read');
    expect(failure.longestPrefix).toHaveLength(2);
    expect(failure.triedStates.map((tried) => tried.state).sort()).toEqual(['register = 1', 'register = 2']);
  });

  it('reports the failing partition with the caller\'s call ids', () => {
    const partitioned = casRegisterModel({ partitioned: true });
    const h = new HistoryBuilder()
      .invoke(0, 'write', { key: 'a', value: 1 }).ok(0)
      .invoke(1, 'write', { key: 'b', value: 1 }).ok(1)
      .invoke(1, 'read', { key: 'b', value: null }).ok(1, 2);
    const result = checkCallsSync(h.operations, partitioned);
    expect(result.verdict).toBe('invalid');
    expect(result.partitions).toBe(2);
    expect(result.failure!.partition).toBe('b');
    expect(result.failure!.failingCall.id).toBe(2);
    expect(result.failure!.longestPrefix).toEqual([1]);
    expect(result.failure!.calls.map((call) => call.id)).toEqual([1, 2]);
  });
});

describe('errors become unknown', () => {
  it('turns an exception in the model into unknown with the error as the cause', () => {
    const h = new HistoryBuilder().invoke(0, 'explode', 1).ok(0);
    const result = checkCallsSync(h.operations, model);
    expect(result.verdict).toBe('unknown');
    expect(result.cause).toContain('test-cas-register: unknown function explode');
  });

  it('turns a malformed history into unknown naming what was wrong', () => {
    const h = new HistoryBuilder();
    h.operations.push({ index: 0, type: 'ok', process: 3, f: 'read', value: 1, timeNs: 0 });
    const result = checkCallsSync(h.operations, model);
    expect(result.verdict).toBe('unknown');
    expect(result.cause).toMatch(/ok read of process 3 \(index 0\) has no open invocation/);
  });
});
