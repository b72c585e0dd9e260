/**
 * The WGL linearizability search (Wing & Gong, with Lowe's memoization), over one partition.
 *
 * The search walks the entry list (entry-list.ts) from its head. At a call entry it tries to
 * linearize that call next: step the model; if legal and the configuration (linearized set, new
 * state) has not been seen (memo-cache.ts), it pushes the call, lifts it out of the list and
 * starts again from the head. At a return entry of a call not yet linearized, the current prefix
 * cannot be extended (that call had to take effect before it returned), so it pops the last call,
 * puts it back, and tries the entry after it. The history is linearizable when every call with a
 * known output is linearized; calls with an unknown output may be linearized or left out, as in
 * Knossos.
 *
 * Order of candidates at each node: first the urgent call (the unlinearized call that returns
 * first; see below), then the other calls with known outputs in invocation order, then those with
 * unknown outputs. Trying the urgent call first is Lowe's just-in-time order: linearize a call
 * when it must be, and only put others before it when that fails. The candidates tried are the
 * same as plain WGL's, only their order differs, so the search stays complete.
 *
 * Refinements for calls with unknown outputs, which real histories have many of (every
 * timeout), and which Knossos' semantics let the search leave out:
 * - Order: at each node the search first tries the candidates with known outputs and only then
 *   those with unknown ones, so it linearizes an unknown call only when the calls that must be
 *   linearized cannot go on without it (in the spirit of Lowe's just-in-time linearization). On
 *   valid histories this finds a linearization with far less backtracking; the set of candidates
 *   tried at each node is unchanged, so the search stays complete.
 * - Pruning: an unknown call whose step leaves the state equal is never linearized. The
 *   configuration it would lead to is dominated by the current one (same state, one more call
 *   used up, and that call never has to be placed), so nothing is lost.
 * - Twins: of interchangeable unknown calls (same function and input, or the same class by the
 *   model's `twinClass` hook), only the earliest open one is a candidate (twins.ts).
 * - Dominance: memo entries also cover configurations that differ from them only by extra
 *   unknown calls (memo-cache.ts), so the search does not retry every subset of open unknown calls.
 * - Just in time: an unknown call whose model names the calls that observe its effect (the
 *   `justInTime` hook, just-in-time.ts) is tried only at nodes where one of those is a candidate;
 *   any linearization can be rewritten to place it right before one. On the 100,000-call topics
 *   benchmark this removes most of the pushes of timed-out alter-configs and grows.
 * On Porcupine's etcd corpus these cut the total time from 1.4 s to under 0.1 s.
 *
 * Look-ahead (the model's `lookAhead` hook, look-ahead.ts): after each step the search asks
 * whether some candidate of known outcome can no longer be linearized from the new state by the
 * calls that may still go before it; if so the configuration fails at once, instead of after
 * every order of the calls before that candidate's return. Porcupine's kv corpus: c50-ok's
 * configurations fall from 231,819 to about 8,700.
 *
 * Independent keys (models with the `keysOf` hook, independence.ts). Plain WGL explores every
 * interleaving of calls on different keys, which is what makes Porcupine give up on its kv corpus
 * without partitioning. Three techniques, together a partial-order reduction with backjumping:
 * - Only calls on the urgent call's key are candidates. The urgent call is the one, not yet
 *   linearized, that returns first; it must be linearized before that return. Any call on another
 *   key placed before it commutes with it and with every call between, and nothing forces it
 *   earlier (it returns later), so it can always be moved after: no linearization is lost.
 * - Failures are blamed on a key (conflict-directed backjumping). By locality, a configuration
 *   fails iff some key's remaining sub-history fails from where that key stands. When a node runs
 *   out of candidates, the urgent key is to blame; the search then pops every decision about other
 *   keys without trying their alternatives (those leave the blamed key where it was, so they fail
 *   the same way) up to the last decision about the blamed key. Memo entries keep the key they
 *   failed for, so reaching one again blames the same key.
 * - A per-key failure memo (key-failures.ts): where a key stands is its set of linearized calls and
 *   the order of those that changed the state. Once a key fails from there, reaching the same
 *   situation again after backtracking over other keys is cut at once.
 * On Porcupine's kv corpus without partitioning this takes c10 from seconds to tens of ms and
 * decides c50-ok (about 11 s; under a second with the look-ahead), where Porcupine times out.
 * Calls touching several keys (or any key) switch the three off for that history. (Without the
 * look-ahead, kv c50-bad also needs key-refutation.ts: its earliest violating key is beyond any
 * search in 30 s.)
 * Just-in-time and look-ahead keep to the blame. A key's calls are candidates only where the key
 * is urgent, that is where the first pending return is its own, so a target's candidacy (invoked
 * before that return) reads only that key's calls, as in the key's sub-history alone, and the
 * rewrite behind just-in-time holds for that sub-history from wherever the key stands. A stuck
 * call blames its own key: calls on other keys never change whether it is legal (the keysOf
 * promise), so the key's sub-history has no completion from where it stands.
 *
 * The linearized set is a bitset hashed by Zobrist keys (zobrist.ts), so each step hashes in O(1);
 * the memo cache stores it compactly, O(concurrency) words per entry.
 * While it runs the search keeps the longest prefixes it reached: on failure these are the
 * witness (witness.ts).
 */
import { ILLEGAL, type Call, type Model } from '../model.js';
import type { Budget } from '../budget.js';
import { EntryList, NO_ENTRY } from './entry-list.js';
import { CACHE_FULL, MemoCache, NO_CULPRIT, type SetView } from './memo-cache.js';
import { makeZobristKeys } from './zobrist.js';
import { KeyFailureMemo, KeySituations } from './key-failures.js';
import { singleKeyIds } from './independence.js';
import { PrefixTrail, type TrailMark } from './prefix-trail.js';
import { justInTimeTargets, someSharedTargetIsCandidate, someTargetIsCandidate, type JustInTimePromise } from './just-in-time.js';
import { lookAheadFor } from './look-ahead.js';
import { twinsOf } from './twins.js';

/** A linearizable prefix and the state after it. */
export interface PrefixSnapshot<S> {
  callIds: number[];
  state: S;
}

export type SearchOutcome<S> =
  | { kind: 'ok'; statesExplored: number }
  | { kind: 'illegal'; statesExplored: number; longestPrefixes: PrefixSnapshot<S>[] }
  | { kind: 'unknown'; statesExplored: number; cause: string };

/** How many distinct longest prefixes are kept for the witness. */
const LONGEST_PREFIXES_KEPT = 8;
/** Steps between budget checks: reading the clock and heap every step would dominate. */
const BUDGET_CHECK_INTERVAL_STEPS = 4096;

export function searchLinearization<S>(model: Model<S>, calls: readonly Call[], budget: Budget): SearchOutcome<S> {
  // Nothing must be linearized (no call, or only calls of unknown outcome, which may all be left
  // out): linearizable, without setting up a search.
  if (!calls.some((call) => call.outputKnown)) return { kind: 'ok', statesExplored: 0 };
  const list = new EntryList(calls);
  const { next, isReturn, callOf } = list;
  const keyIds = singleKeyIds(model as Model<unknown>, calls);
  // Dominance between configurations that differ only in optional calls (memo-cache.ts). Kept
  // out of the keyed search, whose failure blame assumes a memo hit is a configuration that failed
  // (dominance may also point at one still on the search path).
  const optionalMask = unknownCallMask(calls);
  const dominance = keyIds === null && optionalMask.some((word) => word !== 0);
  const keys = makeZobristKeys(calls.length, dominance ? optionalMask : null);
  const cache = new MemoCache(model, dominance, budget.memoryLimitMiB * 1024 * 1024);
  const optionalIndex = denseOptionalIndex(calls);
  const previousTwin = twinsOf(model, calls);
  const justInTime = justInTimeTargets(model, calls);
  const lookAhead = lookAheadFor(model, calls);
  const isLinearized = (id: number): boolean => (set[id >>> 5]! & (1 << (id & 31))) !== 0;
  /** A candidate of known outcome stuck in the current state (look-ahead.ts), or -1. */
  const stuckCandidate = (): number => {
    // Every entry before the first pending return is the call entry of a candidate.
    const firstReturnEntry = list.firstReturn();
    for (let candidate = next[list.head]!; candidate !== firstReturnEntry && candidate !== NO_ENTRY; candidate = next[candidate]!) {
      const call = calls[callOf[candidate]!]!;
      if (call.outputKnown && lookAhead!.stuck(state, call, isLinearized)) return call.id;
    }
    return -1;
  };
  // The state the current node is in, for the promises' `observesIn` (set before each use).
  let observedState: S = model.init();
  let observingPromise: JustInTimePromise<S> | null = null;
  const observes = (target: number): boolean => observingPromise!.observesIn!(calls[target]!, observedState);
  const optionalCount = calls.length - calls.reduce((n, call) => n + (call.outputKnown ? 1 : 0), 0);
  const set = new Uint32Array(Math.max(1, Math.ceil(calls.length / 32)));
  // The set as the memo cache stores it: required calls from the frontier word on, optional
  // calls apart (memo-cache.ts). `requiredFrontier` is the first required call not linearized,
  // `requiredMax` the last one linearized.
  const view: SetView = { set, optionalMask, fromWord: 0, toWord: 0, optionalSet: new Uint32Array(Math.ceil(optionalCount / 32)) };
  const isRequired = new Uint8Array(calls.length);
  for (let id = 0; id < calls.length; id++) isRequired[id] = calls[id]!.outputKnown ? 1 : 0;
  let requiredFrontier = advanceFrontier(0, calls.length, isRequired, set);
  let requiredMax = -1;
  const stackRequiredMax = new Int32Array(calls.length);
  let setLow = 0;
  let setHigh = 0;

  const stackEntry = new Int32Array(calls.length);
  const stackState: S[] = new Array<S>(calls.length);
  /** The memo entry of the configuration each push reached, to record why it failed. */
  const stackMemoEntry = new Int32Array(calls.length);
  let depth = 0;
  let state = model.init();
  let knownRemaining = calls.reduce((n, call) => n + (call.outputKnown ? 1 : 0), 0);

  let longestDepth = 0;
  // Snapshots are taken when a node at the longest depth is abandoned, not when it is reached: a
  // copy per new maximum would cost O(depth) per step along a long history (quadratic in all).
  const longestPrefixes: { mark: TrailMark; state: S }[] = [];
  const trail = new PrefixTrail(calls.length);
  const callIdAt = (frame: number): number => callOf[stackEntry[frame]!]!;
  let steps = 0;
  // Two passes over the candidates at each node: first the calls with known outputs, then those
  // with unknown outputs (see the module comment). `unknownPass` says which pass `entry` is in.
  let unknownPass = false;
  // Before both passes, the urgent call itself (the first to return) is tried: linearizing it at
  // once is what a history whose calls took effect in return order needs (just-in-time order).
  let urgentFirst = calls.length > 0;
  let urgentEntry = calls.length > 0 ? list.callEntryOf[callOf[list.firstReturn()]!]! : NO_ENTRY;
  let entry = urgentFirst ? urgentEntry : next[list.head]!;
  /** The next entry to try after the current one at this node. */
  const following = (current: number): number => {
    if (!urgentFirst) return next[current]!;
    urgentFirst = false;
    return next[list.head]!;
  };
  // Partial-order reduction (see the module comment): with key ids, only calls on the urgent
  // call's key are candidates, and a failure is blamed on one key (`failKey`) so that the search
  // can jump back over decisions about other keys.
  const urgentKeyOf = (): number => (keyIds === null ? NO_CULPRIT : keyIds[callOf[list.firstReturn()]!]!);
  let urgentKey = urgentKeyOf();
  const situations = keyIds === null ? null : new KeySituations(keyIds, calls.length, keys);
  // Only the keyed search uses it (a dozen arrays to set up for nothing otherwise).
  const keyFailures = situations === null ? null : new KeyFailureMemo();
  /** >= NO_CULPRIT while the current node is known to fail and the search is backing out. */
  let failKey = NO_CULPRIT;
  let failing = false;

  while (knownRemaining > 0) {
    if (++steps % BUDGET_CHECK_INTERVAL_STEPS === 0) {
      const cause = budget.spent(cache.size, cache.bytesEstimate + (keyFailures?.bytesEstimate ?? 0));
      if (cause !== null) return { kind: 'unknown', statesExplored: cache.size, cause };
    }
    if (failing) {
      // The configuration at `depth` fails, because of key `failKey` (NO_CULPRIT: of anything).
      if (depth === longestDepth && longestPrefixes.length < LONGEST_PREFIXES_KEPT) {
        longestPrefixes.push({ mark: trail.mark(depth, callIdAt), state });
      }
      if (depth === 0) {
        const prefixes = longestPrefixes.map(({ mark, state: after }) => ({ callIds: trail.callIds(mark), state: after }));
        return { kind: 'illegal', statesExplored: cache.size, longestPrefixes: prefixes };
      }
      depth--;
      trail.poppedTo(depth);
      cache.setCulprit(stackMemoEntry[depth]!, failKey);
      const popped = stackEntry[depth]!;
      const poppedId = callOf[popped]!;
      state = stackState[depth]!;
      stackState[depth] = undefined as S; // let the state be collected if the cache does not hold it
      set[poppedId >>> 5]! &= ~(1 << (poppedId & 31));
      const poppedOptional = optionalIndex[poppedId]!;
      if (poppedOptional >= 0) view.optionalSet[poppedOptional >>> 5]! &= ~(1 << (poppedOptional & 31));
      else if (poppedId < requiredFrontier) requiredFrontier = poppedId;
      requiredMax = stackRequiredMax[depth]!;
      setLow ^= keys.low[poppedId]!;
      setHigh ^= keys.high[poppedId]!;
      const poppedKnown = calls[poppedId]!.outputKnown;
      if (poppedKnown) knownRemaining++;
      list.unlift(popped);
      situations?.pop(keyIds![poppedId]!, poppedId, depth);
      // A decision about another key left the failing key's sub-history as it was: every
      // alternative to it fails the same way, so the node it was taken at fails too (backjump).
      if (failKey !== NO_CULPRIT && keyIds![poppedId] !== failKey) continue;
      failing = false;
      unknownPass = !poppedKnown;
      urgentKey = urgentKeyOf();
      urgentEntry = list.callEntryOf[callOf[list.firstReturn()]!]!;
      urgentFirst = false;
      entry = popped === urgentEntry ? next[list.head]! : next[popped]!;
      continue;
    }
    if (entry === NO_ENTRY) {
      // A known call's return entry always follows its call entry, so this cannot be reached.
      throw new Error('WGL search ran past the end of the entry list with calls left to linearize');
    }
    const id = callOf[entry]!;
    if (isReturn[entry] === 0) {
      const call = calls[id]!;
      if (call.outputKnown === unknownPass || (urgentKey !== NO_CULPRIT && keyIds![id] !== urgentKey)
        || (entry === urgentEntry && !urgentFirst)) {
        entry = next[entry]!;
        continue;
      }
      const twin = previousTwin[id]!;
      if (twin >= 0 && (set[twin >>> 5]! & (1 << (twin & 31))) === 0) {
        // An interchangeable unknown call invoked earlier is still open: use that one (twins.ts).
        entry = next[entry]!;
        continue;
      }
      const targets = justInTime === null ? null : justInTime.targets[id]!;
      if (targets !== null) {
        observingPromise = justInTime!.promises[id]!;
        observedState = state;
      }
      if (targets !== null && !someTargetIsCandidate(targets, requiredFrontier, list.firstReturn(), list.callEntryOf, set,
        observingPromise!.observesIn === undefined ? null : observes)
        && !someSharedTargetIsCandidate(justInTime!.shared[id]!, requiredFrontier, list.firstReturn(), list.callEntryOf, set,
          observingPromise!.observesIn === undefined ? null : observes)) {
        // No call that observes this unknown call's effect can go next: not needed here (just-in-time.ts).
        entry = next[entry]!;
        continue;
      }
      const after = model.step(state, call);
      if (after !== ILLEGAL) {
        const changed = situations === null && !unknownPass ? true : !model.equal(after, state);
        // An unknown call that leaves the state as it was is never worth linearizing: leaving it
        // out reaches the same state with more calls still free.
        if (unknownPass && !changed) {
          entry = next[entry]!;
          continue;
        }
        const word = id >>> 5;
        const bit = 1 << (id & 31);
        set[word]! |= bit;
        if (situations !== null) {
          situations.push(urgentKey, id, changed, depth);
          if (keyFailures!.has(situations, urgentKey, set)) {
            // This key is known to fail from where the call would put it.
            situations.pop(urgentKey, id, depth);
            set[word]! &= ~bit;
            entry = following(entry);
            continue;
          }
        }
        const low = setLow ^ keys.low[id]!;
        const high = setHigh ^ keys.high[id]!;
        const optional = optionalIndex[id]!;
        let frontier = requiredFrontier;
        let max = requiredMax;
        if (optional >= 0) {
          view.optionalSet[optional >>> 5]! |= 1 << (optional & 31);
        } else {
          if (id === frontier) frontier = advanceFrontier(id + 1, calls.length, isRequired, set);
          if (id > max) max = id;
        }
        view.fromWord = frontier >>> 5;
        view.toWord = max >= frontier ? (max >>> 5) + 1 : view.fromWord;
        const memoEntry = cache.addIfAbsent(low, high, view, after, model.hash(after) | 0);
        if (memoEntry === CACHE_FULL) {
          const cause = `memory limit ${budget.memoryLimitMiB} MiB reached by the search cache after ${cache.size} states`;
          return { kind: 'unknown', statesExplored: cache.size, cause };
        }
        if (memoEntry >= 0) {
          setLow = low;
          setHigh = high;
          stackEntry[depth] = entry;
          stackState[depth] = state;
          stackMemoEntry[depth] = memoEntry;
          stackRequiredMax[depth] = requiredMax;
          requiredFrontier = frontier;
          requiredMax = max;
          depth++;
          state = after;
          if (call.outputKnown) knownRemaining--;
          list.lift(entry);
          if (depth > longestDepth) {
            longestDepth = depth;
            // Only when there is something to drop: setting an array's length is a runtime call,
            // and on a valid history nearly every push is a new longest depth.
            if (longestPrefixes.length !== 0) longestPrefixes.length = 0;
          }
          unknownPass = false;
          if (knownRemaining > 0) {
            urgentKey = urgentKeyOf();
            urgentEntry = list.callEntryOf[callOf[list.firstReturn()]!]!;
            urgentFirst = true;
            entry = urgentEntry;
            const stuck = lookAhead === null ? -1 : stuckCandidate();
            if (stuck >= 0) {
              // A call that must still go can no longer: this configuration has no completion,
              // and with keys, that call's key cannot go on from where it stands.
              failKey = keyIds === null ? NO_CULPRIT : keyIds[stuck]!;
              failing = true;
              if (situations !== null) keyFailures!.add(situations, failKey, set);
            }
          }
          continue;
        }
        situations?.pop(urgentKey, id, depth);
        set[word]! &= ~bit;
        if (optional >= 0) view.optionalSet[optional >>> 5]! &= ~(1 << (optional & 31));
        // Reached before, and failed then because of another key: this node fails the same way.
        const culprit = cache.culprit(-1 - memoEntry);
        if (culprit !== NO_CULPRIT && culprit !== urgentKey) {
          failKey = culprit;
          failing = true;
          continue;
        }
      }
      entry = following(entry);
    } else if (!unknownPass) {
      unknownPass = true;
      entry = next[list.head]!;
    } else {
      // Every candidate failed: the urgent call's key cannot go on from here.
      failKey = urgentKey;
      failing = true;
      if (situations !== null) keyFailures!.add(situations, urgentKey, set);
    }
  }
  return { kind: 'ok', statesExplored: cache.size };
}

/** Per call, its index among the calls of unknown outcome, or -1. */
function denseOptionalIndex(calls: readonly Call[]): Int32Array {
  const index = new Int32Array(calls.length).fill(-1);
  let next = 0;
  for (const call of calls) if (!call.outputKnown) index[call.id] = next++;
  return index;
}

/** A bit per call whose outcome is unknown (all zero when there is none). */
function unknownCallMask(calls: readonly Call[]): Uint32Array {
  const mask = new Uint32Array(Math.max(1, Math.ceil(calls.length / 32)));
  for (const call of calls) {
    if (!call.outputKnown) mask[call.id >>> 5]! |= 1 << (call.id & 31);
  }
  return mask;
}

/** The first required call at or after `from` that is not linearized (or `callCount`). */
function advanceFrontier(from: number, callCount: number, isRequired: Uint8Array, set: Uint32Array): number {
  let id = from;
  while (id < callCount && (isRequired[id] === 0 || (set[id >>> 5]! & (1 << (id & 31))) !== 0)) id++;
  return id;
}
