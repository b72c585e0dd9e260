/**
 * Splits a keyed register history (values `[key, value]`, as the etcd register workload records
 * them) into one plain register history per key, values unwrapped, so each can be judged with the
 * `etcd` register model. Completions carry their invocation's key through the process.
 */
import type { Operation } from '../../src/history/operation.js';

export function keyedRegisterParts(operations: readonly Operation[]): Map<string, Operation[]> {
  const parts = new Map<string, Operation[]>();
  const keyOfProcess = new Map<number | string, string>();
  for (const op of operations) {
    if (op.process === 'nemesis') continue;
    const key = op.type === 'invoke' ? (op.value as [string, unknown])[0] : keyOfProcess.get(op.process);
    if (key === undefined) throw new Error(`operation ${op.index}: a completion of process ${op.process} with no invocation`);
    if (op.type === 'invoke') keyOfProcess.set(op.process, key);
    let part = parts.get(key);
    if (part === undefined) parts.set(key, (part = []));
    const value = op.value === null ? null : (op.value as [string, unknown])[1];
    part.push({ ...op, index: part.length, value });
  }
  return parts;
}
