/**
 * CreateTopics v0: the first version.
 *
 * Request:
 *   topics ARRAY of
 *     name STRING
 *     num_partitions INT32          (-1: broker default)
 *     replication_factor INT16      (-1: broker default)
 *     assignments ARRAY of
 *       partition_index INT32
 *       broker_ids ARRAY of INT32
 *     configs ARRAY of
 *       name STRING
 *       value NULLABLE_STRING
 *   timeout_ms INT32
 * Response:
 *   topics ARRAY of
 *     name STRING
 *     error_code INT16
 */
import { createTopicsCodec } from './create-topics-messages.js';

export const createTopicsV0 = createTopicsCodec(0);
