/**
 * Pairs a history of operations into calls, for `checkHistory` callers that pass operations.
 * Rules (../../history/operation.ts): nemesis operations are ignored; `ok` completes a call with a
 * known output; `fail` means it certainly had no effect, so the call is dropped; `info`, or no
 * completion at all, leaves the outcome unknown (completion at +infinity).
 *
 * Kept deliberately small: the history module's own pairing is the one to use where it exists.
 */
import type { Operation } from '../../history/operation.js';
import type { Call } from '../model.js';

export function pairOperations(operations: readonly Operation[]): Call[] {
  const open = new Map<Operation['process'], Operation>();
  const paired: Omit<Call, 'id'>[] = [];
  const unknown = (invoke: Operation, completeIndex: number | null): Omit<Call, 'id'> => ({
    process: invoke.process, f: invoke.f, input: invoke.value, output: undefined, outputKnown: false,
    invokeIndex: invoke.index, completeIndex, invokeTimeNs: invoke.timeNs, completeTimeNs: Infinity,
  });
  for (const op of operations) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      if (open.has(op.process)) {
        throw new Error(`operation ${op.index}: process ${op.process} invokes while its operation ${open.get(op.process)!.index} is still open`);
      }
      open.set(op.process, op);
      continue;
    }
    const invoke = open.get(op.process);
    if (invoke === undefined) throw new Error(`operation ${op.index}: ${op.type} of process ${op.process} without an open invocation`);
    open.delete(op.process);
    if (op.type === 'fail') continue;
    if (op.type === 'info') {
      paired.push(unknown(invoke, op.index));
      continue;
    }
    paired.push({
      process: invoke.process, f: invoke.f, input: invoke.value, output: op.value, outputKnown: true,
      invokeIndex: invoke.index, completeIndex: op.index, invokeTimeNs: invoke.timeNs, completeTimeNs: op.timeNs,
    });
  }
  for (const invoke of open.values()) paired.push(unknown(invoke, null));
  paired.sort((a, b) => a.invokeIndex - b.invokeIndex);
  return paired.map((call, id) => ({ id, ...call }));
}
