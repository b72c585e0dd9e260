/**
 * The optional model hook that lets the search try a call of unknown outcome only where it can
 * matter, and the per-call targets the search reads from it.
 *
 * A call of unknown outcome (a timeout) stays open to the end of the history, so plain WGL tries
 * it at every dead end after its invocation. For many such calls the model can say more: the call
 * needs to be linearized only shortly before a call of known outcome that observes its effect
 * (its target). The model promises, for an unknown call `u` and every state in which `u` changes
 * the state, that every call `c` that is not a target of `u`, whenever `u` then `c` is legal,
 * - commutes with `u` (`c` then `u` is legal too and ends in the same state), or
 * - absorbs it (`c` alone is legal and ends in the same state as `u` then `c`), or
 * - is itself a call of unknown outcome with a promise whose targets are all targets of `u`
 *   (a chain: a timed-out cas that needs the value a timed-out write wrote).
 * This holds for calls of unknown outcome too, none of which is a target.
 * Then any linearization can be rewritten so that each such `u` that is placed at all is
 * followed, after a run of calls of unknown outcome, by one of its targets: take the last `u`
 * that is not, and move it later past calls that commute with it (it has no return, so no
 * real-time order stops it); drop it when a call absorbs it, when it no longer changes the state,
 * or at the end; stop at a chained call, which (rewritten first) is followed by a run ending at
 * one of its targets, which are `u`'s. Calls of unknown outcome have no returns, so that target
 * is a candidate wherever `u` is placed. The search therefore tries `u` only at nodes where one of
 * its targets is a candidate, and stays complete. Examples: topics-just-in-time.ts (a timed-out
 * alter-config, whose only observers are describe-configs answering its configs; a timed-out
 * grow, observed by a describe answering its count or a grow refused for not growing past it)
 * and register-just-in-time.ts (a timed-out write, observed by the reads of its value).
 *
 * `justInTime(u, calls)` returns the promise, or undefined when `u` may be needed anywhere; `calls`
 * is the history being searched, whose ids the targets are. Its `isTarget(c)` names the targets
 * once, from the calls alone; `observesIn(c, s)`, when given, narrows them in the state `s` the
 * search is in: false promises that in `s`, whenever `u` changes it, `c` commutes with `u` or
 * absorbs it (the argument above holds state by state).
 */
import type { Call, Model } from '../model.js';

export interface JustInTimePromise<S = unknown> {
  isTarget(next: Call): boolean;
  /**
   * The targets' ids, ascending, when the promise knows them without asking `isTarget` of every
   * call of known outcome (a scan per unknown call is most of the set-up on long histories).
   */
  targetIds?(): Int32Array;
  /**
   * More targets' ids, ascending, in an array that many promises share (the register's: every
   * failed cas of the history), scanned beside `targetIds`' rather than merged into a copy per
   * promise. It may hold calls that are not targets, provided `observesIn` is false for them.
   */
  sharedTargetIds?(): Int32Array;
  /**
   * Promises with the same `targetsKey` have the same targets, so they are computed once per key
   * (a scan of every call per unknown call was most of the time on 20,000-call parts).
   */
  targetsKey?: string;
  observesIn?(next: Call, state: S): boolean;
}

export interface JustInTimeModel<S = unknown> {
  justInTime?(unknownCall: Call, calls: readonly Call[]): JustInTimePromise<S> | undefined;
}

/**
 * Per call id: the ids of its targets (ascending), those it shares with other promises (see
 * `sharedTargetIds`), and its promise; null where there is none.
 */
export interface JustInTimeTargets<S> {
  readonly targets: (Int32Array | null)[];
  readonly shared: (Int32Array | null)[];
  readonly promises: (JustInTimePromise<S> | null)[];
}

/**
 * Per call id: for an unknown call with a promise, the ids of its targets among the calls of
 * known outcome, ascending; null for every other call (no restriction). Null in all when the
 * model has no hook.
 */
export function justInTimeTargets<S>(model: Model<S>, calls: readonly Call[]): JustInTimeTargets<S> | null {
  const hook = (model as JustInTimeModel<S>).justInTime;
  if (typeof hook !== 'function') return null;
  // someTargetIsCandidate reads call ids as history order; a history whose ids are not (never
  // the case for partitioned parts) simply goes without the restriction.
  for (let id = 1; id < calls.length; id++) if (calls[id]!.invokeIndex < calls[id - 1]!.invokeIndex) return null;
  const promises = new Array<JustInTimePromise<S> | null>(calls.length).fill(null);
  const targets = new Array<Int32Array | null>(calls.length).fill(null);
  const shared = new Array<Int32Array | null>(calls.length).fill(null);
  const byKey = new Map<string, Int32Array>();
  let known: Call[] | undefined;
  let some = false;
  for (let id = 0; id < calls.length; id++) {
    const call = calls[id]!;
    if (call.outputKnown) continue;
    const promise = hook.call(model, call, calls) ?? null;
    if (promise === null) continue;
    some = true;
    promises[id] = promise;
    shared[id] = promise.sharedTargetIds?.() ?? null;
    const cached = promise.targetsKey === undefined ? undefined : byKey.get(promise.targetsKey);
    if (cached !== undefined) {
      targets[id] = cached;
      continue;
    }
    let ids: Int32Array;
    if (promise.targetIds !== undefined) ids = promise.targetIds();
    else {
      known ??= calls.filter((other) => other.outputKnown);
      ids = Int32Array.from(known.filter((other) => promise.isTarget(other)), (target) => target.id);
    }
    if (promise.targetsKey !== undefined) byKey.set(promise.targetsKey, ids);
    targets[id] = ids;
  }
  if (!some) return null;
  return { targets, shared, promises };
}

/**
 * Whether some target in `targets` (ascending ids) is a candidate now: not linearized and invoked
 * before `firstReturnEntry` (a call entry after the first pending return cannot go next). Targets
 * below `requiredFrontier` are all linearized, so the scan starts there.
 */
export function someTargetIsCandidate(
  targets: Int32Array, requiredFrontier: number, firstReturnEntry: number,
  callEntryOf: Int32Array, set: Uint32Array,
  observes: ((target: number) => boolean) | null = null,
): boolean {
  let low = 0;
  let high = targets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (targets[middle]! < requiredFrontier) low = middle + 1;
    else high = middle;
  }
  for (let i = low; i < targets.length; i++) {
    const target = targets[i]!;
    // Call entries are numbered in history order, as ids are: past the first return, none can go.
    if (callEntryOf[target]! > firstReturnEntry) return false;
    if ((set[target >>> 5]! & (1 << (target & 31))) === 0 && (observes === null || observes(target))) return true;
  }
  return false;
}

/** someTargetIsCandidate over a promise's shared targets, where it has any. */
export function someSharedTargetIsCandidate(
  shared: Int32Array | null, requiredFrontier: number, firstReturnEntry: number,
  callEntryOf: Int32Array, set: Uint32Array, observes: ((target: number) => boolean) | null,
): boolean {
  return shared !== null && someTargetIsCandidate(shared, requiredFrontier, firstReturnEntry, callEntryOf, set, observes);
}
