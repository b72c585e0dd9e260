/**
 * Splitting a topic history into one part per topic name (P-compositionality), and checking that
 * each call has the shapes of src/history/topic-operations.ts before the search sees it, so a
 * malformed history is a clear error naming the call rather than a wrong verdict.
 *
 * list-topics spans every topic, so it cannot live in one part. Each list-topics call is projected
 * into every topic's part as a read of "does this name exist?" (input `{onlyTopic: name}`); the
 * names considered are every name any call mentions, including names that appear only in a list's
 * answer (a listed topic nobody created is then caught). See topics.ts for what this rule cannot
 * catch.
 */
import type { Call } from '../model.js';
import { TOPIC_FUNCTIONS, isTopicError } from '../../history/topic-operations.js';
import type { ProjectedListTopicsInput } from './topics-step.js';

/** A call that does not have the shape the topics model reads. */
export class TopicHistoryError extends Error {
  readonly code = 'TOPIC_HISTORY_MALFORMED';
  constructor(readonly call: Call, problem: string) {
    super(`call ${call.id} (history index ${call.invokeIndex}, process ${String(call.process)}, ${call.f}): ${problem}`);
    this.name = 'TopicHistoryError';
  }
}

/** The key of the single part of a history that names no topic at all. */
export const NO_TOPIC_PART = '(no topics)';

const READ_FUNCTIONS: ReadonlySet<string> = new Set(['describe-topic', 'describe-configs', 'list-topics']);

/**
 * A call with unknown outcome that could not change any state: a read, a create with fewer than
 * one partition, or growing to one partition or fewer (an existing topic has at least one). The
 * search would only try it and find it changes nothing, at every dead end it meets.
 */
function cannotTakeEffect(call: Call): boolean {
  if (READ_FUNCTIONS.has(call.f)) return true;
  const input = call.input as { partitions?: number; count?: number };
  if (call.f === 'create-topic') return (input.partitions ?? 0) < 1;
  if (call.f === 'create-partitions') return (input.count ?? 0) <= 1;
  return false;
}

/**
 * One part per topic name, in order of first mention, each holding its calls in invocation order.
 * Ids stay the caller's (a projected list-topics keeps its id in every part; the search renumbers
 * each part densely itself). Calls whose outcome is unknown and that cannot change any state
 * (cannotTakeEffect) are dropped: they constrain nothing and change nothing.
 */
export function partitionTopicCalls(calls: readonly Call[]): Map<string, Call[]> {
  const kept: Call[] = [];
  const names = new Set<string>();
  for (const call of calls) {
    validateTopicCall(call);
    if (!call.outputKnown && cannotTakeEffect(call)) continue;
    kept.push(call);
    if (call.f === 'list-topics') {
      if (call.outputKnown) for (const name of (call.output as { topics: string[] }).topics) names.add(name);
    } else {
      names.add((call.input as { name: string }).name);
    }
  }
  const parts = new Map<string, Call[]>();
  if (names.size === 0) {
    parts.set(NO_TOPIC_PART, kept);
    return parts;
  }
  for (const name of names) parts.set(name, []);
  for (const call of kept) {
    if (call.f === 'list-topics') {
      for (const [name, part] of parts) {
        const input: ProjectedListTopicsInput = { onlyTopic: name };
        part.push({ ...call, input });
      }
    } else {
      parts.get((call.input as { name: string }).name)?.push(call);
    }
  }
  return parts;
}

/** Throws a TopicHistoryError when `call` does not have the shapes the topics model reads. */
export function validateTopicCall(call: Call): void {
  if (!(TOPIC_FUNCTIONS as readonly string[]).includes(call.f)) {
    throw new TopicHistoryError(call, `unknown function; the topics model knows ${TOPIC_FUNCTIONS.join(', ')}`);
  }
  const problem = inputProblem(call.f, call.input) ?? (call.outputKnown ? outputProblem(call.f, call.output) : null);
  if (problem !== null) throw new TopicHistoryError(call, problem);
}

function inputProblem(f: string, input: unknown): string | null {
  if (!isRecord(input)) return `the invoke value must be an object, got ${JSON.stringify(input)}`;
  if (f === 'list-topics') return null;
  if (typeof input.name !== 'string' || input.name === '') return 'the invoke value needs a non-empty string "name"';
  switch (f) {
    case 'create-topic':
      if (!Number.isInteger(input.partitions)) return 'create-topic needs an integer "partitions"';
      if (input.partitions === -1) {
        return 'partitions -1 (the cluster default) is not modelled: record the explicit partition count';
      }
      return input.configs === undefined ? null : configsProblem(input.configs);
    case 'create-partitions':
      return Number.isInteger(input.count) ? null : 'create-partitions needs an integer "count"';
    case 'alter-config':
      return configsProblem(input.configs);
    default:
      return null;
  }
}

function outputProblem(f: string, output: unknown): string | null {
  if (!isRecord(output)) return `the ok value must be an object, got ${JSON.stringify(output)}`;
  if (isTopicError(output)) return null;
  switch (f) {
    case 'create-topic':
      if (output.created !== true) return 'a create-topic answer needs "created": true or an "error"';
      return output.topicId === undefined || typeof output.topicId === 'string' ? null : '"topicId" must be a string';
    case 'delete-topic':
      return output.deleted === true ? null : 'a delete-topic answer needs "deleted": true or an "error"';
    case 'create-partitions':
      return output.partitions === undefined || Number.isInteger(output.partitions)
        ? null : 'a create-partitions answer\'s "partitions" must be an integer';
    case 'alter-config':
      return output.altered === true ? null : 'an alter-config answer needs "altered": true or an "error"';
    case 'describe-topic':
      if (!Number.isInteger(output.partitions)) return 'a describe-topic answer needs an integer "partitions" or an "error"';
      return output.topicId === undefined || typeof output.topicId === 'string' ? null : '"topicId" must be a string';
    case 'describe-configs':
      return configsProblem(output.configs);
    case 'list-topics':
      return Array.isArray(output.topics) && output.topics.every((name) => typeof name === 'string')
        ? null : 'a list-topics answer needs "topics": an array of names';
    default:
      return null;
  }
}

function configsProblem(configs: unknown): string | null {
  if (!isRecord(configs)) return '"configs" must be an object of string values';
  for (const [configKey, value] of Object.entries(configs)) {
    if (typeof value !== 'string') return `config "${configKey}" must be a string, got ${JSON.stringify(value)}`;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
