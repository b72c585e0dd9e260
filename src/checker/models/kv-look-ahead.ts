/**
 * The kv model's look-ahead (search/look-ahead.ts): when a pending get can never see its text.
 *
 * A get answering T is legal only where the key holds exactly T. Between now and that get, only
 * calls not yet linearized and invoked before the get returned can be placed. Appends only extend
 * the text, gets leave it, and a put sets it to its value p, after which appends extend p. So if
 * the current text S is not a prefix of T, the text can become T before the get only through a
 * put of some p that is a prefix of T, not linearized yet and invoked before the get returned
 * (known outcome or not). With no such put the get is stuck: every state reachable that way holds
 * a text that S, or a put of no use, begins, and none of them is T.
 *
 * The puts that could help each get (on its key) are listed once per history; a get checks them
 * only when its text does not already extend the current one, which is rare on a valid path. The
 * same test serves the partitioned model (one key's text as the state) and kv-no-partition (every
 * key's text; only the get's own key matters, as calls on other keys never touch it).
 */
import type { Call } from '../model.js';
import type { LookAhead } from '../search/look-ahead.js';

/** How a kv model reads its calls and states. */
export interface KvReader<S> {
  keyOf(call: Call): string;
  /** The text of a call's [key, text] value (invocation or answer). */
  textOf(call: Call, value: unknown): string;
  /** The text the call's key holds in `state`. */
  textIn(state: S, call: Call): string;
}

export function kvLookAhead<S>(calls: readonly Call[], reader: KvReader<S>): LookAhead<S> | undefined {
  const putsByKey = new Map<string, Call[]>();
  for (const call of calls) {
    if (call.f !== 'put') continue;
    const key = reader.keyOf(call);
    putsByKey.set(key, [...(putsByKey.get(key) ?? []), call]);
  }
  /** Per get id, its text and the puts that could still lead to it; undefined for other calls. */
  const gets: ({ text: string; puts: number[] } | undefined)[] = new Array(calls.length);
  for (const call of calls) {
    if (call.f !== 'get' || !call.outputKnown) continue;
    const text = reader.textOf(call, call.output);
    const helpful = (putsByKey.get(reader.keyOf(call)) ?? [])
      .filter((put) => put.invokeIndex < call.completeIndex! && text.startsWith(reader.textOf(put, put.input)));
    gets[call.id] = { text, puts: helpful.map((put) => put.id) };
  }
  return {
    stuck(state, call, isLinearized) {
      const get = gets[call.id];
      if (get === undefined || get.text.startsWith(reader.textIn(state, call))) return false;
      return get.puts.every(isLinearized);
    },
  };
}
