/**
 * Linearizability of a run's history with its workload's model, part by part: the model's own
 * partition gives the parts (the `topics` model: one per topic name, list-topics projected into
 * each; a keyed register model: one per key), and each part is checked on its own within one
 * shared time budget, so every part gets its verdict and every part that breaks names its failing
 * operation (the stale read, the impossible answer). results.json lists the parts under `topics`
 * (for a register, the key is the entry's `topic`). An exception inside the checker makes the
 * verdict unknown, never a crash.
 */
import { checkCallsSync } from '../../checker/check.js';
import { modelByName } from '../../checker/models/index.js';
import type { Call, Model } from '../../checker/model.js';
import { pairCalls } from '../../history/calls.js';
import type { Operation } from '../../history/operation.js';
import {
  combinedVerdict, type LinearizabilityResults, type RunVerdict, type TopicLinearizability,
} from '../../history/run-directory-format.js';

/** The topics model's check, the one the simulator and quorumd's runs use. */
export function checkTopicsLinearizability(history: readonly Operation[], timeLimitMs: number): LinearizabilityResults {
  return checkLinearizability(history, 'topics', timeLimitMs);
}

export function checkLinearizability(history: readonly Operation[], modelName: string, timeLimitMs: number): LinearizabilityResults {
  const startedMs = performance.now();
  const startedAtEpochMs = Date.now();
  const base = { model: modelName, calls: 0, elapsedMs: 0 };
  let model: Model<unknown>;
  let parts: Map<string, Call[]>;
  try {
    model = modelByName(modelName);
    const calls = pairCalls(history);
    base.calls = calls.length;
    parts = model.partition === undefined ? new Map([['all', calls]]) : model.partition(calls);
  } catch (error) {
    return { ...base, verdict: 'unknown', cause: `the history could not be prepared: ${message(error)}`, topics: [], elapsedMs: performance.now() - startedMs };
  }
  // Each part is already one topic's (one key's) calls.
  const onePart: Model<unknown> = { ...model, partition: undefined };
  const topics: TopicLinearizability[] = [];
  for (const [topic, calls] of parts) {
    try {
      const result = checkCallsSync(calls, onePart, { timeLimitMs, startedAtEpochMs });
      const entry: TopicLinearizability = { topic, verdict: result.verdict as RunVerdict, calls: calls.length };
      if (result.cause !== undefined) entry.cause = result.cause;
      const failure = result.failure;
      if (failure !== undefined) {
        entry.failure = {
          call: onePart.describeCall(failure.failingCall),
          invokeIndex: failure.failingCall.invokeIndex,
          completeIndex: failure.failingCall.completeIndex,
          reason: failure.triedStates[0]?.reason ?? 'no state allows it',
          longestPrefix: failure.longestPrefix.length,
        };
      }
      topics.push(entry);
    } catch (error) {
      topics.push({ topic, verdict: 'unknown', calls: calls.length, cause: `the checker failed: ${message(error)}` });
    }
  }
  const verdict = topics.length === 0 ? 'valid' : combinedVerdict(topics);
  const results: LinearizabilityResults = { ...base, verdict, topics, elapsedMs: performance.now() - startedMs };
  const undecided = topics.find((entry) => entry.verdict === 'unknown');
  if (verdict === 'unknown' && undecided !== undefined) results.cause = `${partWord(modelName)} ${undecided.topic}: ${undecided.cause ?? 'undecided'}`;
  return results;
}

/** What a part of the model's history is called: a topic, or a key. */
export function partWord(modelName: string): string {
  return modelName === 'topics' ? 'topic' : 'key';
}

/** One sentence for the check's message. */
export function describeLinearizability(results: LinearizabilityResults): string {
  const part = partWord(results.model);
  if (results.verdict === 'unknown') return `linearizability unknown: ${results.cause ?? 'no cause given'}`;
  if (results.verdict === 'valid') {
    return `${results.calls} calls on ${results.topics.length} ${part}s are linearizable (${results.model} model, ${Math.round(results.elapsedMs)} ms)`;
  }
  const broken = results.topics.filter((topic) => topic.verdict === 'invalid');
  return `not linearizable on ${broken.length} of ${results.topics.length} ${part}s: ` + broken.map((topic) =>
    `${part} ${topic.topic}: ${topic.failure?.call ?? '?'} (history index ${topic.failure?.invokeIndex ?? '?'}) — ${topic.failure?.reason ?? ''}`).join('; ');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
