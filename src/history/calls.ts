/**
 * Pairing a history into calls, with Knossos' semantics:
 * - an invocation completed by `ok` is a call with a known output (the ok's value);
 * - completed by `fail`, it certainly did not happen: no call;
 * - completed by `info`, or never completed, it is indeterminate: `outputKnown: false`, output
 *   undefined, open until +infinity (completeTimeNs = Infinity), since it may take effect at any
 *   moment after its invocation, or never;
 * - nemesis operations are not calls.
 * Calls come out in invocation order with dense ids. One pass, a map of open invocations per
 * process: linear in the history.
 *
 * The history is assumed valid (validate.ts); a completion without an open invocation is an
 * error here too rather than being silently dropped.
 */
import type { Call } from './call.js';
import { HistoryFormatError } from './history-format-error.js';
import { NEMESIS_PROCESS } from './operation.js';
import type { Operation, ProcessId } from './operation.js';

export function pairCalls(ops: readonly Operation[]): Call[] {
  // Slots in invocation order; a failed call leaves a null to be compacted away at the end.
  const slots: (Call | null)[] = [];
  const openSlot = new Map<ProcessId, number>();
  for (const op of ops) {
    if (op.process === NEMESIS_PROCESS) continue;
    if (op.type === 'invoke') {
      openSlot.set(op.process, slots.length);
      slots.push(openCall(op));
      continue;
    }
    const slot = openSlot.get(op.process);
    if (slot === undefined) {
      throw new HistoryFormatError(
        'completion-without-invoke',
        op.index + 1,
        `${op.type} ${op.f} of process ${op.process} (index ${op.index}) has no open invocation to complete`,
      );
    }
    openSlot.delete(op.process);
    const call = slots[slot]!;
    if (op.type === 'fail') {
      slots[slot] = null;
    } else if (op.type === 'ok') {
      call.output = op.value;
      call.outputKnown = true;
      call.completeIndex = op.index;
      call.completeTimeNs = op.timeNs;
    } else {
      call.completeIndex = op.index;
    }
  }
  const calls: Call[] = [];
  for (const call of slots) {
    if (call === null) continue;
    call.id = calls.length;
    calls.push(call);
  }
  return calls;
}

function openCall(op: Operation): Call {
  return {
    id: -1,
    process: op.process,
    f: op.f,
    input: op.value,
    output: undefined,
    outputKnown: false,
    invokeIndex: op.index,
    completeIndex: null,
    invokeTimeNs: op.timeNs,
    completeTimeNs: Infinity,
  };
}
