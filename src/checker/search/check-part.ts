/**
 * Checks one part of a history in the current thread: runs the search, turns an exception in the
 * model into `unknown` with the error as the cause, and on failure builds the witness in the
 * caller's call ids. This is the unit of work both in-thread and inside a worker.
 */
import type { Model } from '../model.js';
import type { Budget } from '../budget.js';
import type { LinearizabilityFailure } from '../verdict.js';
import type { Part } from './partitions.js';
import { searchLinearization } from './wgl.js';
import { buildFailure } from './witness.js';

export type PartOutcome =
  | { verdict: 'valid'; key: string; statesExplored: number }
  | { verdict: 'invalid'; key: string; statesExplored: number; failure: LinearizabilityFailure }
  | { verdict: 'unknown'; key: string; statesExplored: number; cause: string };

export function checkPart<S>(model: Model<S>, part: Part, budget: Budget): PartOutcome {
  const key = part.key;
  try {
    const outcome = searchLinearization(model, part.calls, budget);
    budget.sampleHeap();
    if (outcome.kind === 'ok') return { verdict: 'valid', key, statesExplored: outcome.statesExplored };
    if (outcome.kind === 'unknown') {
      return { verdict: 'unknown', key, statesExplored: outcome.statesExplored, cause: `part ${key}: ${outcome.cause}` };
    }
    const local = buildFailure(model, key, part.calls, outcome.longestPrefixes);
    const failure: LinearizabilityFailure = {
      ...local,
      calls: part.originals,
      longestPrefix: local.longestPrefix.map((id) => part.originals[id]!.id),
      failingCall: part.originals[local.failingCall.id]!,
    };
    return { verdict: 'invalid', key, statesExplored: outcome.statesExplored, failure };
  } catch (error) {
    return { verdict: 'unknown', key, statesExplored: 0, cause: `part ${key}: the check failed: ${describeError(error)}` };
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
