/**
 * CreateTopics (key 19): each topic is one createTopic write, submitted concurrently so a request
 * with many topics is batched by the quorum, and answered once committed and applied here.
 * Refused without a write: duplicated names (INVALID_REQUEST), manual replica assignments
 * (INVALID_REQUEST: not supported), null config values (INVALID_CONFIG). validateOnly plans
 * the write against this node's image and appends nothing.
 */
import type { CreateTopicOperation } from '../../core/metadata/index.js';
import type { CreatableTopic, CreatableTopicResult, CreateTopicsRequest, CreateTopicsResponse } from '../apis/create-topics/index.js';
import { duplicateNames } from './duplicate-names.js';
import { requestTimeoutMs, type ResolvedHandlerOptions } from './handler-options.js';
import { answerOf, kafkaError, NO_ERROR, type KafkaError } from './kafka-answer.js';
import type { MetadataPort } from './metadata-port.js';
import { submitWithRetry } from './submit-with-retry.js';
import { validateOnly } from './validate-only.js';

export async function handleCreateTopics(
  port: MetadataPort, options: ResolvedHandlerOptions, request: CreateTopicsRequest,
): Promise<CreateTopicsResponse> {
  const timeoutMs = requestTimeoutMs(request.timeoutMs, options);
  const duplicates = duplicateNames(request.topics.map((t) => t.name));
  const topics = await Promise.all(request.topics.map(async (topic): Promise<CreatableTopicResult> => {
    if (duplicates.has(topic.name)) return result(topic.name, kafkaError('INVALID_REQUEST', 'Duplicate topic name.'));
    const operation = toOperation(topic);
    if ('errorCode' in operation) return result(topic.name, operation);
    if (request.validateOnly) {
      const planned = await validateOnly(port, options.clock, operation, options.metadataSettings, timeoutMs);
      return result(topic.name, planned.ok ? NO_ERROR : { errorCode: planned.code, errorMessage: planned.message });
    }
    const answer = answerOf(await submitWithRetry(port, options.clock, operation, timeoutMs), `Creating topic ${topic.name}`);
    return result(topic.name, answer.ok ? NO_ERROR : answer);
  }));
  return { throttleTimeMs: 0, topics };
}

function toOperation(topic: CreatableTopic): CreateTopicOperation | KafkaError {
  if (topic.assignments.length > 0) {
    return kafkaError('INVALID_REQUEST', 'Manual replica assignment is not supported by quorumd; leave assignments empty and set numPartitions and replicationFactor.');
  }
  const configs: Record<string, string> = {};
  for (const config of topic.configs) {
    if (config.value === null) return kafkaError('INVALID_CONFIG', `Null value not supported for topic configs: ${config.name}`);
    configs[config.name] = config.value;
  }
  const operation: CreateTopicOperation = {
    type: 'createTopic', name: topic.name, numPartitions: topic.numPartitions, replicationFactor: topic.replicationFactor,
  };
  if (topic.configs.length > 0) operation.configs = configs;
  return operation;
}

function result(name: string, error: { errorCode: number; errorMessage: string | null }): CreatableTopicResult {
  return { name, errorCode: error.errorCode, errorMessage: error.errorMessage };
}
