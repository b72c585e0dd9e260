/**
 * The checker's public API: is this history linearizable with respect to this model?
 *
 * `checkHistory` pairs operations into calls, splits them by the model's partition
 * (P-compositionality), checks the parts (in worker threads when that pays, see
 * search/parallel.ts) under one time and memory budget, and stops at the first illegal part.
 * `checkCallsSync` is the same check in the current thread, for tests and small histories.
 *
 * Each part is searched by search/wgl.ts (WGL with Lowe's memoization and the refinements listed
 * there). A model may also say which key each call touches (`keysOf`, search/independence.ts):
 * then the search reduces interleavings of independent keys even without `partition`.
 *
 * Verdicts: `valid`, `invalid` with a witness, or `unknown` with a cause (a budget spent, or an
 * exception in the model, which never escapes as a crash).
 */
import type { Operation } from '../history/operation.js';
import { pairCalls } from '../history/calls.js';
import type { Call, Model } from './model.js';
import type { CheckResult } from './verdict.js';
import { Budget, type BudgetOptions } from './budget.js';
import { splitIntoParts, type Part } from './search/partitions.js';
import { checkPart, describeError, type PartOutcome } from './search/check-part.js';
import { checkParts, IN_THREAD_SLICE_MS, type PartsChecked } from './search/parallel.js';

/** A check's result with figures about the search, for benchmarks and reports. */
export interface CheckReport extends CheckResult {
  /** Configurations (linearized set, state) the searches memoized, summed over parts. */
  statesExplored: number;
  /** The most heap any thread's search added, sampled at budget checks (MiB). */
  peakHeapMiB: number;
}

export interface CheckOptions extends BudgetOptions {
  /** Check parts on worker threads when it pays (default true). False: always in this thread. */
  parallel?: boolean;
  /**
   * How long the check runs in this thread before going parallel (default IN_THREAD_SLICE_MS,
   * see search/parallel.ts). 0 sends every part of a multi-part history to the threads at once.
   */
  inThreadSliceMs?: number;
}

export async function checkHistory<S>(
  input: readonly Operation[] | readonly Call[],
  model: Model<S>,
  options: CheckOptions = {},
): Promise<CheckReport> {
  const budget = new Budget(options);
  const prepared = prepare(input, model, budget);
  if ('verdict' in prepared) return prepared;
  const { calls, parts } = prepared;
  const checked = await checkParts(model as Model<unknown>, parts, budget, {
    parallel: options.parallel !== false,
    inThreadSliceMs: options.inThreadSliceMs ?? IN_THREAD_SLICE_MS,
  });
  return combine(model, calls.length, parts.length, budget, checked);
}

/** The whole check in the current thread. Accepts calls or operations, like `checkHistory`. */
export function checkCallsSync<S>(
  input: readonly Operation[] | readonly Call[],
  model: Model<S>,
  options: BudgetOptions = {},
): CheckReport {
  const budget = new Budget(options);
  const prepared = prepare(input, model, budget);
  if ('verdict' in prepared) return prepared;
  const { calls, parts } = prepared;
  const outcomes = checkPartsInThread(model, parts, budget);
  return combine(model, calls.length, parts.length, budget, { outcomes, peakHeapBytes: budget.peakHeapBytes });
}

/** Pairs the history into calls and splits them into parts; a history that cannot be is `unknown`. */
function prepare<S>(
  input: readonly Operation[] | readonly Call[], model: Model<S>, budget: Budget,
): { calls: readonly Call[]; parts: Part[] } | CheckReport {
  let calls: readonly Call[] = [];
  try {
    calls = toCalls(input);
    return { calls, parts: splitIntoParts(model as Model<unknown>, calls) };
  } catch (error) {
    return unknownResult(model, calls.length, 0, budget, `the history could not be prepared: ${describeError(error)}`);
  }
}

/**
 * Checks parts one after another, stopping at the first invalid one. An unknown part does not
 * stop the check: a later part may still be invalid, and a spent budget ends each later part at
 * its first budget check.
 */
function checkPartsInThread<S>(model: Model<S>, parts: readonly Part[], budget: Budget): PartOutcome[] {
  const outcomes: PartOutcome[] = [];
  for (const part of parts) {
    const outcome = checkPart(model, part, budget);
    outcomes.push(outcome);
    if (outcome.verdict === 'invalid') break;
  }
  return outcomes;
}

/** Invalid wins over unknown (a definite violation stands whatever else was undecided). */
function combine<S>(
  model: Model<S>, calls: number, partitions: number, budget: Budget, checked: PartsChecked,
): CheckReport {
  const { outcomes } = checked;
  const base = {
    model: model.name, calls, partitions, elapsedMs: budget.elapsedMs(),
    statesExplored: outcomes.reduce((sum, outcome) => sum + outcome.statesExplored, 0),
    peakHeapMiB: checked.peakHeapBytes / (1024 * 1024),
  };
  const invalid = outcomes.find((outcome) => outcome.verdict === 'invalid');
  if (invalid !== undefined) return { ...base, verdict: 'invalid', failure: invalid.failure };
  const unknown = outcomes.find((outcome) => outcome.verdict === 'unknown');
  if (unknown !== undefined) return { ...base, verdict: 'unknown', cause: unknown.cause };
  return { ...base, verdict: 'valid' };
}

function unknownResult<S>(model: Model<S>, calls: number, partitions: number, budget: Budget, cause: string): CheckReport {
  return {
    verdict: 'unknown', model: model.name, calls, partitions, elapsedMs: budget.elapsedMs(), cause, statesExplored: 0, peakHeapMiB: 0,
  };
}

function toCalls(input: readonly Operation[] | readonly Call[]): readonly Call[] {
  if (input.length === 0) return [];
  const first = input[0]!;
  if ('type' in first && 'index' in first) return pairCalls(input as readonly Operation[]);
  if ('outputKnown' in first && 'invokeIndex' in first) return input as readonly Call[];
  throw new Error('input is neither operations ({index, type, process, f, value, timeNs}) nor calls ({id, input, output, outputKnown, …})');
}
