/**
 * The topics model's just-in-time promise (search/just-in-time.ts): for which calls of unknown
 * outcome it can name every call that observes their effect.
 *
 * - A timed-out alter-config that changed the state set the configs of an existing topic to X.
 *   Only a describe-configs answering exactly X tells the difference. Every other call commutes
 *   with it (grows, describes, lists, refused creates, other topics) or absorbs it: a later
 *   alter-config, a delete (which resets the configs; retired ids depend only on the topic id).
 * - A timed-out grow to N that changed the state raised the partition count of an existing topic
 *   from below N to N. Observers: a describe-topic answering N partitions, and a grow refused with
 *   INVALID_PARTITIONS for a count of at most N (which it made legal). A successful grow to M
 *   needs M > N after it and M > the old count without it, and ends at M either way: it absorbs
 *   it; a later timed-out grow either absorbs it or changes nothing. A delete absorbs it; the
 *   rest commute.
 * - A timed-out create that changed the state made an absent topic exist. Its targets are the
 *   calls that need the topic to exist: every answer other than an error for the name, and the
 *   errors TOPIC_ALREADY_EXISTS and INVALID_PARTITIONS (of a grow). The other answers are refused
 *   once it exists, or are legal everywhere and change nothing (and commute). Calls of unknown
 *   outcome right after it do not break the rewrite: a timed-out delete absorbs it, a timed-out
 *   create changes nothing, and a timed-out alter-config or grow, which keeps the topic existing,
 *   is itself placed right before a call that needs the topic to exist, a target of the create.
 * Deletes that timed out remove a topic, which nearly every call observes: no promise.
 */
import type { Call } from '../model.js';
import type { JustInTimePromise } from '../search/just-in-time.js';
import { isTopicError } from '../../history/topic-operations.js';
import { topicEntry, type TopicsState } from './topics-state.js';

interface NamedInput {
  name?: unknown;
  count?: unknown;
  configs?: Record<string, string>;
}

export function topicsJustInTime(unknownCall: Call): JustInTimePromise<TopicsState> | undefined {
  const input = unknownCall.input as NamedInput;
  const name = input.name;
  if (unknownCall.f === 'alter-config') {
    const configs = input.configs ?? {};
    return {
      targetsKey: `alter-config\u0000${String(name)}\u0000${JSON.stringify(Object.keys(configs).sort().map((key) => [key, configs[key]]))}`,
      isTarget: (next) => next.outputKnown && next.f === 'describe-configs' && sameName(next, name) &&
        !isTopicError(next.output) && sameConfigs((next.output as { configs: Record<string, string> }).configs, configs),
    };
  }
  if (unknownCall.f === 'create-topic' && typeof name === 'string') {
    return { targetsKey: `create-topic\u0000${name}`, isTarget: (next) => next.outputKnown && needsExistence(next, name) };
  }
  if (unknownCall.f === 'create-partitions' && typeof input.count === 'number' && typeof name === 'string') {
    const count = input.count;
    const isTarget = (next: Call): boolean => {
      if (!next.outputKnown || !sameName(next, name)) return false;
      if (next.f === 'describe-topic') {
        return !isTopicError(next.output) && (next.output as { partitions?: unknown }).partitions === count;
      }
      if (next.f === 'create-partitions') {
        const output = next.output;
        const nextCount = (next.input as NamedInput).count;
        return isTopicError(output) && output.error === 'INVALID_PARTITIONS' && typeof nextCount === 'number' && nextCount <= count;
      }
      return false;
    };
    // A refused grow to M that is already refused without the timed-out grow (M <= the current
    // count) commutes with it; only one it makes refusable (current < M <= N) observes it.
    const observesIn = (next: Call, state: TopicsState): boolean => next.f !== 'create-partitions' ||
      ((next.input as NamedInput).count as number) > topicEntry(state, name).partitions;
    return { targetsKey: `create-partitions\u0000${name}\u0000${count}`, isTarget, observesIn };
  }
  return undefined;
}

/** Whether `next` (known outcome) is legal only while topic `name` exists. */
function needsExistence(next: Call, name: string): boolean {
  const output = next.output;
  if (next.f === 'list-topics') {
    const topics = (output as { topics?: unknown } | null)?.topics;
    return !isTopicError(output) && Array.isArray(topics) && topics.includes(name);
  }
  if (!sameName(next, name)) return false;
  if (!isTopicError(output)) return next.f !== 'create-topic';
  return (next.f === 'create-topic' && output.error === 'TOPIC_ALREADY_EXISTS') ||
    (next.f === 'create-partitions' && output.error === 'INVALID_PARTITIONS');
}

function sameName(call: Call, name: unknown): boolean {
  return (call.input as NamedInput | null)?.name === name;
}

function sameConfigs(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((configKey) => Object.prototype.hasOwnProperty.call(b, configKey) && a[configKey] === b[configKey]);
}
