/**
 * Checks one part of a history in the current thread: runs the search, turns an exception in the
 * model into `unknown` with the error as the cause, and on failure builds the witness in the
 * caller's call ids. This is the unit of work both in-thread and inside a worker.
 */
import type { Call, Model } from '../model.js';
import { STOPPED_CAUSE, type Budget } from '../budget.js';
import type { LinearizabilityFailure } from '../verdict.js';
import type { Part } from './partitions.js';
import { searchLinearization, type PrefixSnapshot } from './wgl.js';
import { singleKeyIds } from './independence.js';
import { refuteByKeys, WHOLE_SEARCH_SHARE } from './key-refutation.js';
import { buildFailure } from './witness.js';

export type PartOutcome =
  | { verdict: 'valid'; key: string; statesExplored: number }
  | { verdict: 'invalid'; key: string; statesExplored: number; failure: LinearizabilityFailure }
  | { verdict: 'unknown'; key: string; statesExplored: number; cause: string };

export function checkPart<S>(model: Model<S>, part: Part, budget: Budget): PartOutcome {
  const key = part.key;
  try {
    // With independent keys, the whole-history search gets a share of the budget and refutation
    // by single keys the rest (key-refutation.ts).
    const keyIds = singleKeyIds(model as Model<unknown>, part.calls);
    const outcome = searchLinearization(model, part.calls, keyIds === null ? budget : budget.slice(WHOLE_SEARCH_SHARE));
    budget.sampleHeap();
    if (outcome.kind === 'ok') return { verdict: 'valid', key, statesExplored: outcome.statesExplored };
    if (outcome.kind === 'illegal') {
      return invalidOutcome(model, key, part.calls, part.originals, outcome.longestPrefixes, outcome.statesExplored);
    }
    if (keyIds === null || outcome.cause === STOPPED_CAUSE) {
      return { verdict: 'unknown', key, statesExplored: outcome.statesExplored, cause: `part ${key}: ${outcome.cause}` };
    }
    const refutation = refuteByKeys(model, part.calls, keyIds, budget);
    budget.sampleHeap();
    const statesExplored = outcome.statesExplored + refutation.statesExplored;
    if ('calls' in refutation) {
      const originals = refutation.originals.map((call) => part.originals[call.id]!);
      return invalidOutcome(model, key, refutation.calls, originals, refutation.longestPrefixes, statesExplored);
    }
    const spent = budget.spent(statesExplored, 0) ?? `time limit ${budget.timeLimitMs} ms spent after ${statesExplored} states`;
    const cause = `part ${key}: ${spent} (the whole history's search stopped with: ${outcome.cause}; ` +
      'no key\'s sub-history alone was found non-linearizable)';
    return { verdict: 'unknown', key, statesExplored, cause };
  } catch (error) {
    return { verdict: 'unknown', key, statesExplored: 0, cause: `part ${key}: the check failed: ${describeError(error)}` };
  }
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
