import { describe, expect, it } from 'vitest';
import { pairCalls } from '../../src/history/calls.js';
import type { Operation, OperationType, ProcessId } from '../../src/history/operation.js';

/** A history from compact rows [type, process, f, value]; index and time from the position. */
function history(...rows: [OperationType, ProcessId, string, unknown][]): Operation[] {
  return rows.map(([type, process, f, value], index) => ({ index, type, process, f, value, timeNs: index * 10 }));
}

describe('pairing a history into calls (Knossos semantics)', () => {
  it('pairs an invocation with its ok: known output, completion index and time', () => {
    const [call] = pairCalls(history(['invoke', 0, 'read', null], ['ok', 0, 'read', 3]));
    expect(call).toEqual({
      id: 0, process: 0, f: 'read', input: null, output: 3, outputKnown: true,
      invokeIndex: 0, completeIndex: 1, invokeTimeNs: 0, completeTimeNs: 10,
    });
  });

  it('drops a call that failed: it did not happen', () => {
    const calls = pairCalls(history(['invoke', 0, 'cas', [1, 2]], ['fail', 0, 'cas', [1, 2]], ['invoke', 0, 'read', null], ['ok', 0, 'read', 1]));
    expect(calls.map((call) => [call.id, call.f, call.invokeIndex])).toEqual([[0, 'read', 2]]);
  });

  it('leaves an info call open to the end with an unknown output', () => {
    const [call] = pairCalls(history(['invoke', 0, 'write', 5], ['info', 0, 'write', 5]));
    expect(call).toMatchObject({ outputKnown: false, output: undefined, completeIndex: 1, completeTimeNs: Infinity, input: 5 });
  });

  it('treats an invocation that never completed like an info', () => {
    const [call] = pairCalls(history(['invoke', 3, 'write', 5]));
    expect(call).toMatchObject({ outputKnown: false, completeIndex: null, completeTimeNs: Infinity });
  });

  it('ignores nemesis operations', () => {
    const calls = pairCalls(history(['info', 'nemesis', 'start', null], ['invoke', 0, 'read', null], ['invoke', 'nemesis', 'stop', null], ['ok', 0, 'read', null], ['info', 'nemesis', 'stop', null]));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.completeIndex).toBe(3);
  });

  it('orders calls by invocation, with dense ids, whatever order they complete in', () => {
    const calls = pairCalls(history(
      ['invoke', 0, 'write', 1], ['invoke', 1, 'write', 2], ['invoke', 2, 'write', 3],
      ['ok', 2, 'write', 3], ['fail', 1, 'write', 2], ['ok', 0, 'write', 1],
    ));
    expect(calls.map((call) => [call.id, call.process, call.invokeIndex])).toEqual([[0, 0, 0], [1, 2, 2]]);
  });

  it('lets a process invoke again after an info', () => {
    const calls = pairCalls(history(['invoke', 0, 'write', 1], ['info', 0, 'write', 1], ['invoke', 0, 'read', null], ['ok', 0, 'read', 1]));
    expect(calls.map((call) => [call.f, call.outputKnown])).toEqual([['write', false], ['read', true]]);
  });

  it('refuses a completion with no open invocation rather than dropping it', () => {
    expect(() => pairCalls(history(['ok', 0, 'read', 1]))).toThrow(/ok read of process 0 \(index 0\) has no open invocation/);
  });
});
