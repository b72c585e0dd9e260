/**
 * DeleteTopics (key 20): one deleteTopic write per named topic, concurrently, each answered on
 * its own (the response has only an error code per topic). A name given twice is INVALID_REQUEST.
 */
import type { DeletableTopicResult, DeleteTopicsRequest, DeleteTopicsResponse } from '../apis/delete-topics/index.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { answersOf } from './answers-of.js';
import { duplicateNames } from './duplicate-names.js';
import { requestTimeoutMs, type ResolvedHandlerOptions } from './handler-options.js';
import { answerOf } from './kafka-answer.js';
import type { MetadataPort } from './metadata-port.js';
import { submitWithRetry } from './submit-with-retry.js';

export async function handleDeleteTopics(
  port: MetadataPort, options: ResolvedHandlerOptions, request: DeleteTopicsRequest,
): Promise<DeleteTopicsResponse> {
  const timeoutMs = requestTimeoutMs(request.timeoutMs, options);
  const duplicates = duplicateNames(request.topicNames, itself);
  const responses = await answersOf(request.topicNames.map(async (name): Promise<DeletableTopicResult> => {
    if (duplicates.has(name)) return { name, errorCode: ErrorCode.INVALID_REQUEST };
    const answer = answerOf(await submitWithRetry(port, options.clock, { type: 'deleteTopic', name }, timeoutMs), `Deleting topic ${name}`);
    if (!answer.ok) options.logger.debug('delete topic refused', { topic: name, errorCode: answer.errorCode, message: answer.errorMessage });
    return { name, errorCode: answer.ok ? ErrorCode.NONE : answer.errorCode };
  }));
  return { throttleTimeMs: 0, responses };
}

function itself(name: string): string {
  return name;
}
