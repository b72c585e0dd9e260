/**
 * Refutation by single keys, for models with the `keysOf` hook (independence.ts) when the search
 * of the whole history has not finished in its first share of the budget (check-part.ts).
 *
 * Why: the whole-history search meets violations in time order. When the earliest violating key
 * is one whose own sub-history is beyond any WGL search in the time given (Porcupine's kv
 * c50-bad has such keys: appends in long unread windows give factorially many states), the search
 * never reaches a later key that fails in a few milliseconds.
 *
 * What it may conclude: only `invalid`. Calls on other keys do not change a key's calls' legality
 * (the hook's promise), so a linearization of the whole history restricted to one key is a
 * linearization of that key's sub-history; if the sub-history has none, the history has none.
 * This is the sound half of P-compositionality, used to refute only: a `valid` verdict still
 * comes from the search of the whole history alone.
 */
import type { Call, Model } from '../model.js';
import type { Budget } from '../budget.js';
import { searchLinearization, type PrefixSnapshot } from './wgl.js';

/** Of the part's budget, the share of the first whole-history search (see check-part.ts). */
export const FIRST_WHOLE_SEARCH_SHARE = 0.05;
/** Of what remains after it, the share of refutation; the second whole-history search gets the rest. */
export const REFUTATION_SHARE = 0.1;

export interface KeyRefutation<S> {
  /** The refuted key's calls, renumbered 0..n-1, and the caller's call for each. */
  calls: Call[];
  originals: Call[];
  longestPrefixes: PrefixSnapshot<S>[];
  statesExplored: number;
}

/**
 * Searches each key's sub-history alone, each with an equal share of what remains of the budget,
 * and returns the first that is not linearizable, or null with the states explored. Keys with
 * fewer calls go first: they are the quickest to decide, and an intractable key that overruns its
 * share (the budget is only read every few thousand steps, and a loaded machine stretches those)
 * then cannot starve a small one of its turn.
 */
export function refuteByKeys<S>(
  model: Model<S>, calls: readonly Call[], keyIds: Int32Array, budget: Budget,
): KeyRefutation<S> | { statesExplored: number } {
  const byKey = new Map<number, Call[]>();
  for (const call of calls) {
    const key = keyIds[call.id]!;
    const group = byKey.get(key);
    if (group === undefined) byKey.set(key, [call]);
    else group.push(call);
  }
  let statesExplored = 0;
  let keysLeft = byKey.size;
  // Array.prototype.sort is stable: keys of equal size keep their order of first appearance.
  for (const originals of [...byKey.values()].sort((a, b) => a.length - b.length)) {
    const slice = budget.slice(1 / keysLeft--);
    const renumbered = originals.map((call, id) => ({ ...call, id }));
    const outcome = searchLinearization(model, renumbered, slice);
    statesExplored += outcome.statesExplored;
    if (outcome.kind === 'illegal') {
      return { calls: renumbered, originals, longestPrefixes: outcome.longestPrefixes, statesExplored };
    }
    if (budget.spent(statesExplored, 0) !== null) break;
  }
  return { statesExplored };
}
