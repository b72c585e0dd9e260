/**
 * The failing topic's witness for the page: its calls, longest linearizable prefix and the call
 * that cannot follow it, which the checker's failure view (src/checker/report/html.ts) draws and
 * lets a reader step through. results.json says which topic failed, not the whole witness, so the
 * report checks that one topic again, within a time budget: after a checker upgrade a re-rendered
 * page shows the new checker's explanation.
 */
import { Budget } from '../checker/budget.js';
import { checkCallsSync } from '../checker/check.js';
import type { Model } from '../checker/model.js';
import { modelByName } from '../checker/models/index.js';
import { checkPart } from '../checker/search/check-part.js';
import { splitIntoParts } from '../checker/search/partitions.js';
import type { LinearizabilityFailure } from '../checker/verdict.js';
import { pairCalls } from '../history/calls.js';
import type { Operation } from '../history/operation.js';
import type { RunSummary } from './run-summary.js';

export interface FailureWitness {
  failure: LinearizabilityFailure;
  model: Model<unknown>;
}

export type FailureLookup =
  | { kind: 'none' }
  | { kind: 'found'; witness: FailureWitness }
  /** The run failed linearizability but the witness could not be rebuilt: why, in words. */
  | { kind: 'not-rebuilt'; reason: string };

export interface FailureLookupOptions {
  timeLimitMs?: number;
  /** The model the run was checked with (default: results.json's options.workload.model, or options.model, else topics). */
  modelName?: string;
}

export function findLinearizabilityFailure(
  operations: readonly Operation[], summary: RunSummary | null, options: FailureLookupOptions = {},
): FailureLookup {
  const linearizability = summary?.linearizability ?? null;
  if (linearizability?.verdict !== 'invalid') return { kind: 'none' };
  const modelName = options.modelName ?? recordedModel(summary?.options ?? {});
  let model: Model<unknown>;
  try {
    model = modelByName(modelName);
  } catch (error) {
    return { kind: 'not-rebuilt', reason: `the model ${modelName} is not known to this checker: ${(error as Error).message}` };
  }
  let calls;
  try {
    calls = pairCalls(operations);
  } catch (error) {
    return { kind: 'not-rebuilt', reason: `the history could not be paired into calls: ${(error as Error).message}` };
  }
  const failing = linearizability.topics.filter((topic) => topic.verdict === 'invalid').map((topic) => topic.topic);
  const timeLimitMs = options.timeLimitMs ?? 20_000;
  if (failing.length === 0) {
    // results.json does not say which topic: check everything once, stopping at the first failure.
    const result = checkCallsSync(calls, model, { timeLimitMs });
    if (result.verdict === 'invalid' && result.failure !== undefined) return { kind: 'found', witness: { failure: result.failure, model } };
    return { kind: 'not-rebuilt', reason: `checked again, the history came out ${result.verdict}${result.cause === undefined ? '' : ` (${result.cause})`}` };
  }
  // One part as the checker cut it: a part is not itself a history to partition again (the topics
  // model files a list-topics call under every topic it names, as a call about that topic alone).
  const parts = splitIntoParts(model, calls);
  const part = parts.find((candidate) => failing.includes(candidate.key));
  if (part === undefined) {
    return { kind: 'not-rebuilt', reason: `the failing topic${failing.length === 1 ? '' : 's'} ${failing.join(', ')} ${failing.length === 1 ? 'has' : 'have'} no calls in history.jsonl` };
  }
  const outcome = checkPart(model, part, new Budget({ timeLimitMs }));
  if (outcome.verdict === 'invalid') return { kind: 'found', witness: { failure: outcome.failure, model } };
  return { kind: 'not-rebuilt', reason: `checked again, topic ${part.key} came out ${outcome.verdict}${outcome.verdict === 'unknown' ? ` (${outcome.cause})` : ''}, not invalid` };
}

/** The model a run directory names: its workload's (a register run's etcd-keyed), else topics. */
function recordedModel(options: Readonly<Record<string, unknown>>): string {
  const workload = options['workload'];
  if (typeof workload === 'object' && workload !== null && typeof (workload as { model?: unknown }).model === 'string') {
    return (workload as { model: string }).model;
  }
  return typeof options['model'] === 'string' ? options['model'] : 'topics';
}
