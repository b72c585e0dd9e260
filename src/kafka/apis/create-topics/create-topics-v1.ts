/**
 * CreateTopics v1: adds validate-only requests and per-topic error messages.
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
 *   validate_only BOOLEAN            (new in v1)
 * Response:
 *   topics ARRAY of
 *     name STRING
 *     error_code INT16
 *     error_message NULLABLE_STRING  (new in v1)
 */
import { createTopicsCodec } from './create-topics-messages.js';

export const createTopicsV1 = createTopicsCodec(1);
