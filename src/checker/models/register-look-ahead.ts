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
import type { RegisterCallReader, RegisterIndex } from './register-index.js';

const SETTERS_MAX = 8;
/** No call needs a value (the call is not a constraining read or an applied cas). */
const NOTHING_NEEDED = Symbol('nothing needed');
/** In `onlySetter`: no call can set the value in time; several can (see `setters`). */
const NO_SETTER = -1;
const SEVERAL_SETTERS = -2;

export function registerLookAhead(reader: RegisterCallReader, index: RegisterIndex, calls: readonly Call[]): LookAhead<unknown> | undefined {
  const setValue = (call: Call): unknown => {
    const input = reader.input(call);
    return call.f === 'write' ? input ?? null : Array.isArray(input) ? input[1] ?? null : undefined;
  };
  const settersOf = index.settersOf;
  // Per call id: the value it needs the register to hold, and the calls that could set it in time.
  const needed: unknown[] = new Array<unknown>(calls.length).fill(NOTHING_NEEDED);
  const onlySetter = new Int32Array(calls.length).fill(NO_SETTER);
  const setters = new Map<number, number[]>();
  const inTime = (setter: Call, call: Call, value: unknown): boolean =>
    setter.invokeIndex < call.completeIndex! && valuesEqual(setValue(setter), value);
  for (const call of calls) {
    const value = neededValue(reader, call);
    if (value === undefined) continue;
    const candidates = settersOf.get(hashValue(value));
    if (typeof candidates === 'number') {
      // One call sets the value (unique values): no list.
      needed[call.id] = value;
      if (inTime(calls[candidates]!, call, value)) onlySetter[call.id] = candidates;
      continue;
    }
    const found: number[] = [];
    for (const id of candidates ?? []) {
      if (inTime(calls[id]!, call, value)) found.push(id);
      if (found.length > SETTERS_MAX) break;
    }
    if (found.length > SETTERS_MAX) continue;
    needed[call.id] = value;
    if (found.length === 1) onlySetter[call.id] = found[0]!;
    else if (found.length > 1) {
      onlySetter[call.id] = SEVERAL_SETTERS;
      setters.set(call.id, found);
    }
  }
  return {
    stuck(state, call, isLinearized) {
      const value = needed[call.id];
      if (value === NOTHING_NEEDED || valuesEqual(state, value)) return false;
      const only = onlySetter[call.id]!;
      if (only >= 0) return isLinearized(only);
      return only === NO_SETTER || setters.get(call.id)!.every(isLinearized);
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
