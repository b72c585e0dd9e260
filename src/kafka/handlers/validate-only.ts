/**
 * validateOnly requests (CreateTopics, CreatePartitions, AlterConfigs): the write is planned
 * against this node's applied image, exactly as the controller would plan it, and its records
 * are thrown away. A read index is taken first, so the image holds every write acknowledged
 * before the request (a topic just created through another node is TOPIC_ALREADY_EXISTS); if
 * no leader answers in time, the local image is used as it is, as a Kafka broker would.
 */
import {
  planWrite, topicIdSourceFrom, type MetadataSettings, type MetadataWriteOperation, type WriteResult,
} from '../../core/metadata/index.js';
import type { HandlerClock } from './handler-clock.js';
import type { MetadataPort } from './metadata-port.js';
import { submitWithRetry } from './submit-with-retry.js';

export async function validateOnly(
  port: MetadataPort, clock: HandlerClock, operation: MetadataWriteOperation, settings: Partial<MetadataSettings>, timeoutMs: number,
): Promise<WriteResult> {
  await submitWithRetry(port, clock, { type: 'listTopics' }, timeoutMs, 'linearizable');
  return planWrite(port.localImage(), operation, {
    nextOffset: 0,
    newTopicId: topicIdSourceFrom('validate-only'),
    settings,
  });
}
