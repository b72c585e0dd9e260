/**
 * CreateTopics (key 19): the whole request is one createTopics write, as KRaft's controller plans
 * it: one forward to the active controller, one plan, one batch of records for every topic
 * accepted, one answer with a result per topic, given once committed and applied here.
 * Refused here without a write: duplicated names (INVALID_REQUEST for each entry), manual replica
 * assignments (INVALID_REQUEST: not supported), null config values (INVALID_CONFIG). validateOnly
 * plans the same write against this node's image and appends nothing.
 */
import { isMetadataError, type CreateTopicSpec, type CreateTopicsOperation, type CreateTopicsReply } from '../../core/metadata/index.js';
import type { CreatableTopic, CreatableTopicResult, CreateTopicsRequest, CreateTopicsResponse } from '../apis/create-topics/index.js';
import { answersOf } from './answers-of.js';
import { duplicateNames, entryName } from './duplicate-names.js';
import { requestTimeoutMs, type ResolvedHandlerOptions } from './handler-options.js';
import { answerOf, kafkaError, NO_ERROR, type KafkaError } from './kafka-answer.js';
import type { MetadataPort } from './metadata-port.js';
import { submitWithRetry } from './submit-with-retry.js';
import { validateOnly } from './validate-only.js';

type TopicError = { errorCode: number; errorMessage: string | null };

export async function handleCreateTopics(
  port: MetadataPort, options: ResolvedHandlerOptions, request: CreateTopicsRequest,
): Promise<CreateTopicsResponse> {
  const timeoutMs = requestTimeoutMs(request.timeoutMs, options);
  const duplicates = duplicateNames(request.topics, entryName);
  // Each entry's answer: refused here, or the index of its topic in the one write.
  const refusals: (KafkaError | null)[] = [];
  const specs: CreateTopicSpec[] = [];
  for (const topic of request.topics) {
    const refusal = duplicates.has(topic.name) ? kafkaError('INVALID_REQUEST', 'Duplicate topic name.') : specOrRefusal(topic, specs);
    refusals.push(refusal);
  }
  // Awaited a microtask later than the write, as Promise.all over the per-topic writes was
  // (answersOf): the answer then reaches the client after as many microtasks as before, so the
  // simulator's seeds (whose clients run through this handler) replay as they did.
  const written = specs.length === 0
    ? []
    : (await answersOf([createTopics(port, options, { type: 'createTopics', topics: specs }, request.validateOnly, timeoutMs)]))[0]!;
  let next = 0;
  const topics = request.topics.map((topic, i): CreatableTopicResult => result(topic.name, refusals[i] ?? written[next++]!));
  return { throttleTimeMs: 0, topics };
}

/** The write's answer for each of its topics, in order. */
async function createTopics(
  port: MetadataPort, options: ResolvedHandlerOptions, operation: CreateTopicsOperation, onlyValidate: boolean, timeoutMs: number,
): Promise<TopicError[]> {
  if (onlyValidate) {
    const planned = await validateOnly(port, options.clock, operation, options.metadataSettings, timeoutMs);
    if (!planned.ok) return operation.topics.map(() => ({ errorCode: planned.code, errorMessage: planned.message }));
    return perTopic((planned.reply as CreateTopicsReply).topics);
  }
  const response = await submitWithRetry(port, options.clock, operation, timeoutMs);
  const answer = answerOf<CreateTopicsReply>(response, 'Creating topics');
  if (answer.ok && answer.reply.topics.length === operation.topics.length) return perTopic(answer.reply.topics);
  if (answer.ok) return operation.topics.map(() => kafkaError('UNKNOWN_SERVER_ERROR', `the controller answered ${answer.reply.topics.length} of ${operation.topics.length} topics`));
  // Unanswered or refused whole: every topic gets the error, named for it.
  return operation.topics.map((topic) => answerOf(response, `Creating topic ${topic.name}`) as KafkaError);
}

function perTopic(results: CreateTopicsReply['topics']): TopicError[] {
  return results.map((topic) => (isMetadataError(topic) ? { errorCode: topic.code, errorMessage: topic.message } : NO_ERROR));
}

/** Adds the topic to `specs` and returns null, or returns why it is refused here. */
function specOrRefusal(topic: CreatableTopic, specs: CreateTopicSpec[]): KafkaError | null {
  if (topic.assignments.length > 0) {
    return kafkaError('INVALID_REQUEST', 'Manual replica assignment is not supported by quorumd; leave assignments empty and set numPartitions and replicationFactor.');
  }
  const configs: Record<string, string> = {};
  for (const config of topic.configs) {
    if (config.value === null) return kafkaError('INVALID_CONFIG', `Null value not supported for topic configs: ${config.name}`);
    configs[config.name] = config.value;
  }
  const spec: CreateTopicSpec = { name: topic.name, numPartitions: topic.numPartitions, replicationFactor: topic.replicationFactor };
  if (topic.configs.length > 0) spec.configs = configs;
  specs.push(spec);
  return null;
}

function result(name: string, error: TopicError): CreatableTopicResult {
  return { name, errorCode: error.errorCode, errorMessage: error.errorMessage };
}
