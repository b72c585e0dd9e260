/**
 * validateOnly requests (CreateTopics, CreatePartitions, AlterConfigs): the write is planned
 * against this node's applied image, exactly as the controller would plan it, and its records
 * are thrown away. The image may lag the controller by a moment, as a Kafka broker's may.
 */
import {
  planWrite, topicIdSourceFrom, type MetadataSettings, type MetadataWriteOperation, type WriteResult,
} from '../../core/metadata/index.js';
import type { MetadataPort } from './metadata-port.js';

export function validateOnly(port: MetadataPort, operation: MetadataWriteOperation, settings: Partial<MetadataSettings>): WriteResult {
  return planWrite(port.localImage(), operation, {
    nextOffset: 0,
    newTopicId: topicIdSourceFrom('validate-only'),
    settings,
  });
}
