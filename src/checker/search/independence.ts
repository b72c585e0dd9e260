/**
 * The optional model hook behind the search's partial-order reduction: which keys a call touches.
 *
 * A model that keeps independent keys (a key-value store, a set of registers) may add
 * `keysOf(call)`: the keys the call reads or writes. The promise is that calls with disjoint keys
 * commute (either order gives the same state) and neither changes whether the other is legal.
 * Return undefined where a call may touch anything (a scan, a multi-key transaction read as one).
 *
 * The hook is not `partition`: the history is still checked as one, and a model may have both.
 * See wgl.ts for how the search uses it.
 */
import type { Call, Model } from '../model.js';

export interface KeyedModel {
  keysOf?(call: Call): readonly string[] | undefined;
}

/** A model with `keysOf` added, for models that do not define it themselves. */
export function withKeysOf<S>(model: Model<S>, keysOf: (call: Call) => readonly string[] | undefined): Model<S> & KeyedModel {
  return { ...model, keysOf };
}

/**
 * A dense key id per call, or null when the reduction cannot be used: the model has no hook, or
 * some call touches no key, several keys, or possibly anything. (With such a call among the
 * candidates, moving calls past each other is no longer free; rather than track when, the search
 * simply explores every order for that history.)
 */
export function singleKeyIds(model: Model<unknown>, calls: readonly Call[]): Int32Array | null {
  const keysOf = (model as KeyedModel).keysOf;
  if (typeof keysOf !== 'function') return null;
  const ids = new Map<string, number>();
  const keyIds = new Int32Array(calls.length);
  for (const call of calls) {
    const keys = keysOf.call(model, call);
    if (keys === undefined || keys.length !== 1) return null;
    const key = keys[0]!;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    keyIds[call.id] = id;
  }
  // One key in all: the reduction would restrict nothing.
  return ids.size > 1 ? keyIds : null;
}
