/**
 * The optional model hook that lets the search give up on a configuration as soon as a call that
 * must still be linearized never can be, instead of finding out only when that call's return is
 * reached, after trying every order of the calls before it.
 *
 * Why: plain WGL notices that a prefix went wrong only at the first call the prefix makes illegal
 * that must go next. On Porcupine's kv corpus, a get answers the whole text of its key, so a
 * wrongly ordered append is visible at once to every pending get; but the search learns it only
 * when one of those gets is the one that must go next, having tried in the meantime every order of
 * the other pending appends (each a new text, so memoization does not merge them). On c50-ok's
 * busiest key that is 191,049 configurations for 170 calls.
 *
 * The model promises, for a call `c` of known outcome that is not linearized yet: when
 * `stuck(state, c, isLinearized)` is true, `c` is illegal in `state` and in every state reached
 * from it by any sequence of calls that are not linearized (`isLinearized(id)` false) and were
 * invoked before `c` returned. Those are the only calls a linearization can place between now and
 * `c` (a call invoked after `c` returned must come after it), and `c` must be placed, so the
 * configuration has no completion: the search treats it as failed. It asks about the candidates
 * (calls invoked before the first pending return) after each step.
 *
 * `lookAhead(calls)` builds the test once per history searched (`calls`, whose ids it reads), or
 * returns undefined. In the keyed search (independence.ts) a stuck call is blamed on its own key:
 * with the keysOf promise, calls on other keys never change whether it is legal, so its key's
 * sub-history cannot go on from where it stands (wgl.ts).
 */
import type { Call, Model } from '../model.js';

export interface LookAhead<S = unknown> {
  stuck(state: S, call: Call, isLinearized: (id: number) => boolean): boolean;
}

export interface LookAheadModel<S = unknown> {
  lookAhead?(calls: readonly Call[]): LookAhead<S> | undefined;
}

/** The model's look-ahead for this history, or null. */
export function lookAheadFor<S>(model: Model<S>, calls: readonly Call[]): LookAhead<S> | null {
  const hook = (model as LookAheadModel<S>).lookAhead;
  if (typeof hook !== 'function') return null;
  return hook.call(model, calls) ?? null;
}
