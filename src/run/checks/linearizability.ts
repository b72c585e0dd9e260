/**
 * Linearizability of a run's history with the `topics` model, topic by topic: the model's own
 * partition (one part per topic name, list-topics projected into each) gives the parts, and each
 * part is checked on its own within one shared time budget, so every topic gets its verdict and
 * every topic that breaks names its failing operation (the stale read, the impossible answer).
 * An exception inside the checker makes the verdict unknown, never a crash.
 */
import { checkCallsSync } from '../../checker/check.js';
import { topicsModel } from '../../checker/models/topics.js';
import type { Model } from '../../checker/model.js';
import { pairCalls } from '../../history/calls.js';
import type { Operation } from '../../history/operation.js';
import {
  combinedVerdict, type LinearizabilityResults, type RunVerdict, type TopicLinearizability,
} from '../../history/run-directory-format.js';

/** The topics model on one part: the part is already one topic's calls. */
const ONE_TOPIC: Model<unknown> = { ...(topicsModel as Model<unknown>), partition: undefined };

export function checkTopicsLinearizability(history: readonly Operation[], timeLimitMs: number): LinearizabilityResults {
  const startedMs = performance.now();
  const startedAtEpochMs = Date.now();
  const base = { model: topicsModel.name, calls: 0, elapsedMs: 0 };
  let parts: Map<string, ReturnType<typeof pairCalls>>;
  try {
    const calls = pairCalls(history);
    base.calls = calls.length;
    parts = topicsModel.partition!(calls);
  } catch (error) {
    return { ...base, verdict: 'unknown', cause: `the history could not be prepared: ${message(error)}`, topics: [], elapsedMs: performance.now() - startedMs };
  }
  const topics: TopicLinearizability[] = [];
  for (const [topic, calls] of parts) {
    try {
      const result = checkCallsSync(calls, ONE_TOPIC, { timeLimitMs, startedAtEpochMs });
      const entry: TopicLinearizability = { topic, verdict: result.verdict as RunVerdict, calls: calls.length };
      if (result.cause !== undefined) entry.cause = result.cause;
      const failure = result.failure;
      if (failure !== undefined) {
        entry.failure = {
          call: ONE_TOPIC.describeCall(failure.failingCall),
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
  if (verdict === 'unknown' && undecided !== undefined) results.cause = `topic ${undecided.topic}: ${undecided.cause ?? 'undecided'}`;
  return results;
}

/** One sentence for the check's message. */
export function describeLinearizability(results: LinearizabilityResults): string {
  if (results.verdict === 'unknown') return `linearizability unknown: ${results.cause ?? 'no cause given'}`;
  if (results.verdict === 'valid') {
    return `${results.calls} calls on ${results.topics.length} topics are linearizable (${Math.round(results.elapsedMs)} ms)`;
  }
  const broken = results.topics.filter((topic) => topic.verdict === 'invalid');
  return `not linearizable on ${broken.length} of ${results.topics.length} topics: ` + broken.map((topic) =>
    `topic ${topic.topic}: ${topic.failure?.call ?? '?'} (history index ${topic.failure?.invokeIndex ?? '?'}) — ${topic.failure?.reason ?? ''}`).join('; ');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
