/**
 * CreatePartitions (key 37): grow each topic to `count` partitions with one createPartitions
 * write; a count at or below the current one is INVALID_PARTITIONS (the controller says so).
 * Manual assignments of the new partitions are not supported (INVALID_REQUEST); kafkajs sends an
 * empty list when none are given, which means the same as null.
 */
import type {
  CreatePartitionsRequest, CreatePartitionsResponse, CreatePartitionsTopicResult,
} from '../apis/create-partitions/index.js';
import type { CreatePartitionsOperation } from '../../core/metadata/index.js';
import { answersOf } from './answers-of.js';
import { duplicateNames, entryName } from './duplicate-names.js';
import { requestTimeoutMs, type ResolvedHandlerOptions } from './handler-options.js';
import { answerOf, kafkaError, NO_ERROR } from './kafka-answer.js';
import type { MetadataPort } from './metadata-port.js';
import { submitWithRetry } from './submit-with-retry.js';
import { validateOnly } from './validate-only.js';

export async function handleCreatePartitions(
  port: MetadataPort, options: ResolvedHandlerOptions, request: CreatePartitionsRequest,
): Promise<CreatePartitionsResponse> {
  const timeoutMs = requestTimeoutMs(request.timeoutMs, options);
  const duplicates = duplicateNames(request.topics, entryName);
  const results = await answersOf(request.topics.map(async (topic): Promise<CreatePartitionsTopicResult> => {
    const fail = (error: { errorCode: number; errorMessage: string | null }) => ({ name: topic.name, ...error });
    if (duplicates.has(topic.name)) return fail(kafkaError('INVALID_REQUEST', 'Duplicate topic in request.'));
    if (topic.assignments !== null && topic.assignments.length > 0) {
      return fail(kafkaError('INVALID_REQUEST', 'Manual assignment of new partitions is not supported by quorumd; leave assignments empty.'));
    }
    const operation: CreatePartitionsOperation = { type: 'createPartitions', name: topic.name, totalCount: topic.count };
    if (request.validateOnly) {
      const planned = await validateOnly(port, options.clock, operation, options.metadataSettings, timeoutMs);
      return fail(planned.ok ? NO_ERROR : { errorCode: planned.code, errorMessage: planned.message });
    }
    const answer = answerOf(await submitWithRetry(port, options.clock, operation, timeoutMs), `Creating partitions of ${topic.name}`);
    return fail(answer.ok ? NO_ERROR : answer);
  }));
  return { throttleTimeMs: 0, results };
}
