/**
 * A linearizability checker by definition, for cross-checking the WGL search on small histories:
 * try every subset of the calls whose outcome is unknown (each may or may not have taken effect)
 * and every permutation of the chosen calls; the history is linearizable iff some permutation
 * respects real-time order (a call that completed before another was invoked comes first) and
 * the model accepts it step by step. Exponential on purpose: no pruning that could share a bug
 * with the search. Use on histories of at most ~8 calls.
 */
import { ILLEGAL, type Call, type Model } from '../../src/checker/model.js';

export const BRUTE_FORCE_CALLS_MAX = 9;

export function bruteForceLinearizable<S>(model: Model<S>, calls: readonly Call[]): boolean {
  if (calls.length > BRUTE_FORCE_CALLS_MAX) {
    throw new RangeError(`brute force takes at most ${BRUTE_FORCE_CALLS_MAX} calls, got ${calls.length}`);
  }
  const known = calls.filter((call) => call.outputKnown);
  const unknown = calls.filter((call) => !call.outputKnown);
  for (let mask = 0; mask < 1 << unknown.length; mask++) {
    const chosen = [...known, ...unknown.filter((_, i) => (mask & (1 << i)) !== 0)];
    if (somePermutationWorks(model, chosen)) return true;
  }
  return false;
}

function somePermutationWorks<S>(model: Model<S>, chosen: Call[]): boolean {
  for (const order of permutations(chosen)) {
    if (respectsRealTime(order) && modelAccepts(model, order)) return true;
  }
  return false;
}

function respectsRealTime(order: readonly Call[]): boolean {
  for (let later = 0; later < order.length; later++) {
    for (let earlier = later + 1; earlier < order.length; earlier++) {
      // order[earlier] is placed after order[later]; wrong if it completed before order[later] began.
      const placedAfter = order[earlier]!;
      if (placedAfter.completeIndex !== null && placedAfter.outputKnown && placedAfter.completeIndex < order[later]!.invokeIndex) {
        return false;
      }
    }
  }
  return true;
}

function modelAccepts<S>(model: Model<S>, order: readonly Call[]): boolean {
  let state = model.init();
  for (const call of order) {
    const next = model.step(state, call);
    if (next === ILLEGAL) return false;
    state = next;
  }
  return true;
}

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const tail of permutations(rest)) yield [items[i]!, ...tail];
  }
}
