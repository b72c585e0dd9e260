/**
 * The register models' look-ahead (search/look-ahead.ts): a read, or a cas that applied, whose
 * value the register no longer holds and nothing left can write back.
 *
 * A read answering v (one that constrains the value) and a cas that applied expecting v are legal
 * only while the register holds v. Between now and such a call c, only calls not yet linearized and
 * invoked before c returned can be placed, and the register comes to hold v only through a call
 * that sets it: a write of v or a cas to v (of known or unknown outcome). So if the register does
 * not hold v now and every such call invoked before c returned is linearized already, c is stuck.
 * With unique values (the etcd workload's) each value has one such call: a read is stuck as soon
 * as its write is in the prefix and the value has moved on, which cuts a wrong guess about a
 * timed-out write at once instead of at the read's return.
 *
 * A value written by many calls (small value ranges) is given up on: past SETTERS_MAX calls that
 * could set it, the call is never said to be stuck, which is always allowed.
 */
import type { Call } from '../model.js';
import type { LookAhead } from '../search/look-ahead.js';
import { hashValue, valuesEqual } from './value-hash.js';
import type { RegisterCallReader } from './register-index.js';

const SETTERS_MAX = 8;

export function registerLookAhead(reader: RegisterCallReader, calls: readonly Call[]): LookAhead<unknown> | undefined {
  /** Calls that can set each value, by the value's hash. */
  const settersOf = new Map<number, Call[]>();
  const setValue = (call: Call): unknown => {
    const input = reader.input(call);
    return call.f === 'write' ? input ?? null : Array.isArray(input) ? input[1] ?? null : undefined;
  };
  for (const call of calls) {
    if (call.f !== 'write' && !(call.f === 'cas' && (!call.outputKnown || reader.output(call) !== false))) continue;
    const value = setValue(call);
    if (value === undefined) continue;
    const hash = hashValue(value);
    const list = settersOf.get(hash);
    if (list === undefined) settersOf.set(hash, [call]);
    else list.push(call);
  }
  /** Per call id: the value it needs the register to hold, and the calls that could set it in time. */
  const needs: ({ value: unknown; setters: number[] } | undefined)[] = new Array(calls.length);
  for (const call of calls) {
    const value = neededValue(reader, call);
    if (value === undefined) continue;
    const setters: number[] = [];
    for (const setter of settersOf.get(hashValue(value)) ?? []) {
      if (setter.invokeIndex < call.completeIndex! && valuesEqual(setValue(setter), value)) setters.push(setter.id);
      if (setters.length > SETTERS_MAX) break;
    }
    if (setters.length <= SETTERS_MAX) needs[call.id] = { value, setters };
  }
  return {
    stuck(state, call, isLinearized) {
      const need = needs[call.id];
      if (need === undefined || valuesEqual(state, need.value)) return false;
      return need.setters.every(isLinearized);
    },
  };
}

/** The value a known read or applied cas needs the register to hold; undefined for other calls. */
function neededValue(reader: RegisterCallReader, call: Call): unknown {
  if (!call.outputKnown) return undefined;
  if (call.f === 'read') {
    const read = reader.output(call) ?? null;
    return read === null && reader.nilReadIsWildcard ? undefined : read;
  }
  if (call.f !== 'cas' || reader.output(call) === false) return undefined;
  const input = reader.input(call);
  return Array.isArray(input) && input.length === 2 ? input[0] ?? null : undefined;
}
