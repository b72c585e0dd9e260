/**
 * Twins: calls of unknown outcome that are interchangeable, of which the search (wgl.ts) tries
 * only the earliest still open.
 *
 * Two unknown calls are interchangeable when, in every state, both are legal or neither, and the
 * states they lead to are equivalent: every sequence of the history's calls is legal from one iff
 * from the other, and leads to equivalent states. Both stay open to the end of the history (no
 * return), so a linearization that places the later one while the earlier is unused can place the
 * earlier instead. The search therefore linearizes the twins of a class in invocation order only,
 * which keeps it from trying each of many timed-out calls at every dead end.
 *
 * By default twins are calls with the same function and input (the same create retried after
 * timeouts). A model may say more with `twinClass(call, calls)`: calls of unknown outcome given
 * the same class (a string; undefined: the default) must be interchangeable as above within the
 * history `calls`, and, where the model has just-in-time promises (just-in-time.ts), have the same
 * targets, so that swapping one for the other keeps a linearization the restricted search can
 * reach. Example: a timed-out write of a value no call of the history reads or expects
 * (register-twins.ts): whatever value it writes, nothing can tell it from another such write.
 */
import type { Call, Model } from '../model.js';

export interface TwinModel {
  twinClass?(call: Call, calls: readonly Call[]): string | undefined;
}

/** Per unknown-outcome call, the previous unknown call of its class (its twin), or -1. */
export function twinsOf(model: Model<unknown> | TwinModel, calls: readonly Call[]): Int32Array {
  const hook = (model as TwinModel).twinClass;
  const previous = new Int32Array(calls.length).fill(-1);
  const lastOfClass = new Map<string, number>();
  for (const call of calls) {
    if (call.outputKnown) continue;
    const key = classOf(call, typeof hook === 'function' ? hook.call(model, call, calls) : undefined);
    if (key === undefined) continue;
    const last = lastOfClass.get(key);
    if (last !== undefined) previous[call.id] = last;
    lastOfClass.set(key, call.id);
  }
  return previous;
}

/** The class key: the model's (kept apart from the defaults by a prefix), or function and input. */
function classOf(call: Call, modelClass: string | undefined): string | undefined {
  if (modelClass !== undefined) return `model\u0000${modelClass}`;
  try {
    return `call\u0000${call.f}\u0000${JSON.stringify(call.input) ?? 'undefined'}`;
  } catch {
    return undefined; // not plain data: no twins
  }
}
