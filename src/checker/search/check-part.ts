/**
 * Checks one part of a history in the current thread: runs the search, turns an exception in the
 * model into `unknown` with the error as the cause, and on failure builds the witness in the
 * caller's call ids. This is the unit of work both in-thread and inside a worker.
 */
import type { Call, Model } from '../model.js';
import { STOPPED_CAUSE, type Budget } from '../budget.js';
import type { LinearizabilityFailure } from '../verdict.js';
import type { Part } from './partitions.js';
import { searchLinearization, type PrefixSnapshot, type SearchOutcome } from './wgl.js';
import { singleKeyIds } from './independence.js';
import { FIRST_WHOLE_SEARCH_SHARE, REFUTATION_SHARE, refuteByKeys } from './key-refutation.js';
import { buildFailure } from './witness.js';

export type PartOutcome =
  | { verdict: 'valid'; key: string; statesExplored: number }
  | { verdict: 'invalid'; key: string; statesExplored: number; failure: LinearizabilityFailure }
  | { verdict: 'unknown'; key: string; statesExplored: number; cause: string };

export function checkPart<S>(model: Model<S>, part: Part, budget: Budget): PartOutcome {
  const key = part.key;
  try {
    const keyIds = singleKeyIds(model as Model<unknown>, part.calls);
    if (keyIds === null) {
      return fromSearch(model, part, searchLinearization(model, part.calls, budget), budget, 0);
    }
    return checkKeyedPart(model, part, keyIds, budget);
  } catch (error) {
    return { verdict: 'unknown', key, statesExplored: 0, cause: `part ${key}: the check failed: ${describeError(error)}` };
  }
}

/**
 * With independent keys: a short whole-history search (most histories end here), then refutation
 * by single keys (key-refutation.ts), then the whole-history search again with what is left. The
 * restart repeats at most the first share's work, and it lets a history with a quickly refuted key
 * be decided without waiting for a whole-history search stuck on an intractable key.
 */
function checkKeyedPart<S>(model: Model<S>, part: Part, keyIds: Int32Array, budget: Budget): PartOutcome {
  const first = searchLinearization(model, part.calls, budget.slice(FIRST_WHOLE_SEARCH_SHARE));
  budget.sampleHeap();
  if (first.kind !== 'unknown' || first.cause === STOPPED_CAUSE) return fromSearch(model, part, first, budget, 0);
  const refutation = refuteByKeys(model, part.calls, keyIds, budget.slice(REFUTATION_SHARE));
  budget.sampleHeap();
  let statesExplored = first.statesExplored + refutation.statesExplored;
  if ('calls' in refutation) {
    const originals = refutation.originals.map((call) => part.originals[call.id]!);
    return invalidOutcome(model, part.key, refutation.calls, originals, refutation.longestPrefixes, statesExplored);
  }
  const second = searchLinearization(model, part.calls, budget);
  budget.sampleHeap();
  statesExplored += second.statesExplored;
  if (second.kind !== 'unknown') return fromSearch(model, part, second, budget, statesExplored - second.statesExplored);
  const cause = `part ${part.key}: ${second.cause.replace(/after \d+ states/, `after ${statesExplored} states`)} ` +
    '(no key\'s sub-history alone was found non-linearizable either)';
  return { verdict: 'unknown', key: part.key, statesExplored, cause };
}

/** A part's outcome from one search's; `earlierStates` were explored by searches before it. */
function fromSearch<S>(model: Model<S>, part: Part, outcome: SearchOutcome<S>, budget: Budget, earlierStates: number): PartOutcome {
  budget.sampleHeap();
  const statesExplored = earlierStates + outcome.statesExplored;
  if (outcome.kind === 'ok') return { verdict: 'valid', key: part.key, statesExplored };
  if (outcome.kind === 'illegal') {
    return invalidOutcome(model, part.key, part.calls, part.originals, outcome.longestPrefixes, statesExplored);
  }
  return { verdict: 'unknown', key: part.key, statesExplored, cause: `part ${part.key}: ${outcome.cause}` };
}

/** The witness in the caller's call ids; `calls` are the searched calls, `originals` the caller's. */
function invalidOutcome<S>(
  model: Model<S>, key: string, calls: readonly Call[], originals: readonly Call[],
  longestPrefixes: readonly PrefixSnapshot<S>[], statesExplored: number,
): PartOutcome {
  const local = buildFailure(model, key, calls, longestPrefixes);
  const failure: LinearizabilityFailure = {
    ...local,
    calls: [...originals],
    longestPrefix: local.longestPrefix.map((id) => originals[id]!.id),
    failingCall: originals[local.failingCall.id]!,
  };
  return { verdict: 'invalid', key, statesExplored, failure };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
