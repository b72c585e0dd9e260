/**
 * Translation between the history vocabulary of topic operations (history/topic-operations.ts,
 * what the checker's `topics` model reads) and the metadata operations the core answers
 * (core/metadata/operations.ts), both ways: an invocation becomes a request, and a ClientResponse
 * becomes the completion recorded in the history.
 *
 * Completions follow the vocabulary's rules: an answer carrying information (TOPIC_ALREADY_EXISTS)
 * is an `ok` whose value says so; an error the model does not track (INVALID_REPLICATION_FACTOR)
 * or a request refused before it could take effect is a `fail`; a timeout is an `info`.
 */
import type { ClientResponse } from '../core/host-interface.js';
import { HISTORY_TYPE_OF_OUTCOME } from '../core/client-response.js';
import type { MetadataOperation } from '../core/metadata/operations.js';
import type {
  AlterConfigInput, CreatePartitionsInput, CreateTopicInput, DeleteTopicInput, DescribeConfigsInput,
  DescribeTopicInput, TopicFunction,
} from '../history/topic-operations.js';

/** Errors that say the request certainly had no effect, for reasons the topics model does not track. */
const NO_EFFECT_ERRORS: ReadonlySet<string> = new Set(['INVALID_REPLICATION_FACTOR', 'INVALID_CONFIG', 'INVALID_REQUEST']);

export function toMetadataOperation(f: TopicFunction, value: unknown): MetadataOperation {
  switch (f) {
    case 'create-topic': {
      const input = value as CreateTopicInput;
      return {
        type: 'createTopic',
        name: input.name,
        numPartitions: input.partitions,
        replicationFactor: input.replicationFactor ?? -1,
        ...(input.configs === undefined ? {} : { configs: input.configs }),
      };
    }
    case 'delete-topic': return { type: 'deleteTopic', name: (value as DeleteTopicInput).name };
    case 'create-partitions': {
      const input = value as CreatePartitionsInput;
      return { type: 'createPartitions', name: input.name, totalCount: input.count };
    }
    case 'alter-config': {
      const input = value as AlterConfigInput;
      return { type: 'alterConfigs', name: input.name, configs: input.configs };
    }
    case 'describe-topic': return { type: 'describeTopic', name: (value as DescribeTopicInput).name };
    case 'describe-configs': return { type: 'describeConfigs', name: (value as DescribeConfigsInput).name };
    case 'list-topics': return { type: 'listTopics' };
  }
}

export type Completion =
  | { type: 'ok'; value: unknown }
  | { type: 'fail'; error: string }
  | { type: 'info'; error: string };

/** The history completion of `f` for the node's response. */
export function toCompletion(f: TopicFunction, response: ClientResponse): Completion {
  if (response.outcome !== 'ok') return { type: HISTORY_TYPE_OF_OUTCOME[response.outcome], error: response.error.code };
  const result = unwrapReply(response.result);
  const error = errorName(result);
  if (error !== null) return NO_EFFECT_ERRORS.has(error) ? { type: 'fail', error } : { type: 'ok', value: { error } };
  return { type: 'ok', value: replyValue(f, result) };
}

/** The core may answer with the reply itself or with `{ok: true, reply}`. */
function unwrapReply(result: unknown): unknown {
  if (typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === true && 'reply' in result) {
    return (result as { reply: unknown }).reply;
  }
  return result;
}

function errorName(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const error = (result as { error?: unknown }).error;
  return typeof error === 'string' ? error : null;
}

function replyValue(f: TopicFunction, reply: unknown): unknown {
  const fields = (reply ?? {}) as Record<string, unknown>;
  switch (f) {
    case 'create-topic':
      return typeof fields.topicId === 'string' ? { created: true, topicId: fields.topicId } : { created: true };
    case 'delete-topic': return { deleted: true };
    case 'create-partitions': return { partitions: fields.totalCount };
    case 'alter-config': return { altered: true };
    case 'describe-topic': {
      const partitions = Array.isArray(fields.partitions) ? fields.partitions.length : fields.partitions;
      return typeof fields.topicId === 'string'
        ? { name: fields.name, partitions, topicId: fields.topicId }
        : { name: fields.name, partitions };
    }
    case 'describe-configs': return { configs: fields.configs ?? {} };
    case 'list-topics': return { topics: fields.topics ?? [] };
  }
}
