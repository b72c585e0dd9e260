/**
 * The semantics of the `topics` model: what a correct metadata quorum answers to each topic
 * operation in a given state (`applyTopicCall`, also used to generate histories that are
 * linearizable by construction), and whether an observed answer is one of those
 * (`judgeTopicCall`, the model's `step`).
 *
 * Kafka's answers, as KRaft's controller gives them:
 * - create-topic: created, or TOPIC_ALREADY_EXISTS; a partition count below 1 is INVALID_PARTITIONS
 *   (accepted also for an existing topic, since the order of Kafka's checks is not ours to fix).
 * - delete-topic: deleted, or UNKNOWN_TOPIC_OR_PARTITION.
 * - create-partitions: the new count, INVALID_PARTITIONS when the count does not grow, or
 *   UNKNOWN_TOPIC_OR_PARTITION.
 * - alter-config: a full replace of the topic's configs (KRaft's non-incremental AlterConfigs).
 * - describe-topic / describe-configs: the topic's partition count (and id) / its configs, or
 *   UNKNOWN_TOPIC_OR_PARTITION.
 * - list-topics: every existing name, or (projected, see topics-partition.ts) whether one name exists.
 *
 * Errors that say the request had no effect for reasons the model does not track
 * (INVALID_REPLICATION_FACTOR, INVALID_CONFIG, INVALID_REQUEST) are legal in every state and change
 * nothing: such a call is a `fail` in all but name.
 *
 * Topic ids: a create or describe that answers an id fixes the id of the current incarnation;
 * a later answer with another id, or with the id of a deleted incarnation, is illegal. So a
 * describe that returns the old id after delete and recreate is caught.
 */
import type { Call } from '../model.js';
import { describeTopicOutput } from './topics-describe.js';
import {
  isTopicError,
  type TopicErrorName,
} from '../../history/topic-operations.js';
import {
  describeConfigs,
  existingTopicNames,
  isRetiredId,
  makeTopicEntry,
  NO_CONFIGS,
  topicEntry,
  withRetiredId,
  withTopic,
  type TopicEntry,
  type TopicsState,
} from './topics-state.js';

/** Errors that certainly had no effect and that the model does not predict. */
export const NO_EFFECT_ERRORS: ReadonlySet<string> = new Set<TopicErrorName>([
  'INVALID_REPLICATION_FACTOR',
  'INVALID_CONFIG',
  'INVALID_REQUEST',
]);

/** Input of a list-topics call projected into one topic's part: it reads only "does `onlyTopic` exist?". */
export interface ProjectedListTopicsInput {
  onlyTopic: string;
}

export interface AppliedCall {
  next: TopicsState;
  /** What a correct system answers (ids left out: the model learns them from answers). */
  output: unknown;
}

/** A step that cannot be taken, with its reason built only when a person asks for it. */
export type TopicRejection = () => string;

interface NamedInput {
  name: string;
  partitions?: number;
  count?: number;
  configs?: Record<string, string>;
}

/**
 * What a correct metadata quorum answers to `f(input)` in `state`, and the state after it. The
 * state shares the input's configs object (inputs are never mutated), so a call stepped many times
 * by the search canonicalizes its configs once.
 */
export function applyTopicCall(state: TopicsState, f: string, input: unknown): AppliedCall {
  if (f === 'list-topics') return applyListTopics(state, input);
  const named = input as NamedInput;
  const entry = topicEntry(state, named.name);
  switch (f) {
    case 'create-topic':
      if (entry.exists) return answer(state, 'TOPIC_ALREADY_EXISTS');
      if ((named.partitions ?? 0) < 1) return answer(state, 'INVALID_PARTITIONS');
      return {
        next: withTopic(state, makeTopicEntry({
          ...entry,
          exists: true,
          partitions: named.partitions ?? 0,
          configs: named.configs ?? NO_CONFIGS,
          topicId: null,
        })),
        output: { created: true },
      };
    case 'delete-topic':
      if (!entry.exists) return answer(state, 'UNKNOWN_TOPIC_OR_PARTITION');
      return {
        next: withTopic(state, makeTopicEntry({
          ...entry,
          exists: false,
          partitions: 0,
          configs: NO_CONFIGS,
          topicId: null,
          retiredIds: entry.topicId === null ? entry.retiredIds : withRetiredId(entry.retiredIds, entry.topicId),
        })),
        output: { deleted: true },
      };
    case 'create-partitions':
      if (!entry.exists) return answer(state, 'UNKNOWN_TOPIC_OR_PARTITION');
      if ((named.count ?? 0) <= entry.partitions) return answer(state, 'INVALID_PARTITIONS');
      return {
        next: withTopic(state, makeTopicEntry({ ...entry, partitions: named.count ?? 0 })),
        output: { partitions: named.count },
      };
    case 'alter-config':
      if (!entry.exists) return answer(state, 'UNKNOWN_TOPIC_OR_PARTITION');
      return {
        next: withTopic(state, makeTopicEntry({ ...entry, configs: named.configs ?? NO_CONFIGS })),
        output: { altered: true },
      };
    case 'describe-topic':
      if (!entry.exists) return answer(state, 'UNKNOWN_TOPIC_OR_PARTITION');
      return {
        next: state,
        output: entry.topicId === null
          ? { name: entry.name, partitions: entry.partitions }
          : { name: entry.name, partitions: entry.partitions, topicId: entry.topicId },
      };
    case 'describe-configs':
      if (!entry.exists) return answer(state, 'UNKNOWN_TOPIC_OR_PARTITION');
      return { next: state, output: { configs: { ...entry.configs } } };
    default:
      throw new Error(`the topics model does not know the function '${f}'`);
  }
}

function applyListTopics(state: TopicsState, input: unknown): AppliedCall {
  const onlyTopic = (input as Partial<ProjectedListTopicsInput> | null)?.onlyTopic;
  if (onlyTopic === undefined) return { next: state, output: { topics: existingTopicNames(state) } };
  return { next: state, output: { topics: topicEntry(state, onlyTopic).exists ? [onlyTopic] : [] } };
}

function answer(state: TopicsState, error: TopicErrorName): AppliedCall {
  return { next: state, output: { error } };
}

/**
 * The model's step: the state after `call` if its answer is one a correct system could give in
 * `state`, else a rejection saying why. Calls with unknown outcome take effect as a correct
 * system would have answered them.
 */
export function judgeTopicCall(state: TopicsState, call: Call): TopicsState | TopicRejection {
  const actual = call.output;
  if (call.outputKnown && isTopicError(actual) && NO_EFFECT_ERRORS.has(actual.error)) return state;
  // Reads are judged directly: the most common calls, and they never change the state.
  if (call.outputKnown && !isTopicError(actual)) {
    const read = judgeSuccessfulRead(state, call);
    if (read !== undefined) return read;
  }
  const applied = applyTopicCall(state, call.f, call.input);
  if (!call.outputKnown) return applied.next;
  const expected = applied.output;
  if (isTopicError(expected) || isTopicError(actual)) return judgeErrors(state, call, expected, actual, applied);
  switch (call.f) {
    case 'create-topic':
      return judgeTopicId(applied.next, call, (actual as { topicId?: unknown }).topicId);
    case 'create-partitions': {
      const count = (actual as { partitions?: unknown }).partitions;
      if (count === undefined || count === (call.input as NamedInput).count) return applied.next;
      return () => `grow ${nameOf(call)} to ${(call.input as NamedInput).count} partitions answered ${String(count)} partitions`;
    }
    default:
      return applied.next;
  }
}

/** A read answered with data (not an error); undefined for other calls and for absent topics. */
function judgeSuccessfulRead(state: TopicsState, call: Call): TopicsState | TopicRejection | undefined {
  switch (call.f) {
    case 'list-topics':
      return judgeListTopics(state, call);
    case 'describe-topic':
      return topicEntry(state, nameOf(call)).exists ? judgeDescribeTopic(state, call) : undefined;
    case 'describe-configs':
      return topicEntry(state, nameOf(call)).exists ? judgeDescribeConfigs(state, call) : undefined;
    default:
      return undefined;
  }
}

function judgeErrors(
  state: TopicsState,
  call: Call,
  expected: unknown,
  actual: unknown,
  applied: AppliedCall,
): TopicsState | TopicRejection {
  const expectedError = isTopicError(expected) ? expected.error : null;
  const actualError: string | null = isTopicError(actual) ? actual.error : null;
  if (expectedError === actualError) return applied.next;
  // A create with a bad partition count may be refused for either reason.
  if (call.f === 'create-topic' && actualError === 'INVALID_PARTITIONS' &&
      ((call.input as NamedInput).partitions ?? 0) < 1) {
    return state;
  }
  const entry = topicEntry(state, nameOf(call));
  return () => `${verbOf(call)} answered ${describeTopicOutput(call.f, call.input, actual)} but ${whyExpected(call, entry, expectedError)}`;
}

function whyExpected(call: Call, entry: TopicEntry, expectedError: string | null): string {
  if (expectedError === 'INVALID_PARTITIONS' && call.f === 'create-partitions') {
    return `${entry.name} already had ${entry.partitions} partitions (the count must grow)`;
  }
  if (expectedError === 'INVALID_PARTITIONS') return `${(call.input as NamedInput).partitions} is not a valid partition count`;
  if (expectedError === null && call.f === 'create-partitions') {
    return `${entry.name} had ${entry.partitions} partitions, fewer than ${(call.input as NamedInput).count}`;
  }
  if (entry.exists) return `${entry.name} existed (${entry.partitions} partitions)`;
  return `${entry.name} did not exist`;
}

function judgeTopicId(next: TopicsState, call: Call, answeredId: unknown): TopicsState | TopicRejection {
  if (typeof answeredId !== 'string') return next;
  const entry = topicEntry(next, nameOf(call));
  if (entry.topicId === answeredId) return next;
  if (entry.topicId !== null) {
    return () => `${verbOf(call)} answered topic id ${answeredId} but the current id of ${entry.name} is ${entry.topicId}`;
  }
  if (isRetiredId(entry.retiredIds, answeredId)) {
    return () => `${verbOf(call)} answered topic id ${answeredId}, which belonged to a deleted incarnation of ${entry.name}`;
  }
  return withTopic(next, makeTopicEntry({ ...entry, topicId: answeredId }));
}

function judgeDescribeTopic(state: TopicsState, call: Call): TopicsState | TopicRejection {
  const entry = topicEntry(state, nameOf(call));
  const actual = call.output as { name?: unknown; partitions?: unknown; topicId?: unknown };
  if (actual.partitions !== entry.partitions) {
    return () => `can't describe topic ${entry.name} with ${String(actual.partitions)} partitions: it has ${entry.partitions}`;
  }
  if (actual.name !== undefined && actual.name !== entry.name) {
    return () => `describe ${entry.name} answered the name ${String(actual.name)}`;
  }
  return judgeTopicId(state, call, actual.topicId);
}

function judgeDescribeConfigs(state: TopicsState, call: Call): TopicsState | TopicRejection {
  const entry = topicEntry(state, nameOf(call));
  const configs = (call.output as { configs: Record<string, string> }).configs;
  if (entry.configs === configs || sameConfigs(configs, entry.configs)) return state;
  return () => `can't read configs ${describeConfigs(configs)} of ${entry.name}: they are ${describeConfigs(entry.configs)}`;
}

function judgeListTopics(state: TopicsState, call: Call): TopicsState | TopicRejection {
  const listed = (call.output as { topics: string[] }).topics;
  const onlyTopic = (call.input as Partial<ProjectedListTopicsInput> | null)?.onlyTopic;
  if (onlyTopic !== undefined) {
    const present = listed.includes(onlyTopic);
    if (present === topicEntry(state, onlyTopic).exists) return state;
    return present
      ? () => `can't list topics with ${onlyTopic} present: ${onlyTopic} did not exist`
      : () => `can't list topics with ${onlyTopic} missing: ${onlyTopic} existed`;
  }
  const existing = existingTopicNames(state);
  const sortedListed = [...listed].sort();
  if (existing.length === sortedListed.length && existing.every((name, i) => name === sortedListed[i])) return state;
  return () => `can't list topics [${sortedListed.join(', ')}]: the topics are [${existing.join(', ')}]`;
}

function sameConfigs(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((configKey) => Object.prototype.hasOwnProperty.call(b, configKey) && a[configKey] === b[configKey]);
}

function nameOf(call: Call): string {
  const input = call.input as Partial<NamedInput & ProjectedListTopicsInput> | null;
  return input?.name ?? input?.onlyTopic ?? '(all topics)';
}

/** "create orders", "describe orders": the subject of a sentence about the call. */
function verbOf(call: Call): string {
  const verbs: Record<string, string> = {
    'create-topic': 'create',
    'delete-topic': 'delete',
    'create-partitions': 'create-partitions on',
    'alter-config': 'alter-config on',
    'describe-topic': 'describe',
    'describe-configs': 'describe-configs on',
    'list-topics': 'list-topics for',
  };
  return `${verbs[call.f] ?? call.f} ${nameOf(call)}`;
}
