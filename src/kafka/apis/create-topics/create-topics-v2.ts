/**
 * CreateTopics v2: adds the throttle time at the front of the response.
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
 *   validate_only BOOLEAN
 * Response:
 *   throttle_time_ms INT32           (new in v2)
 *   topics ARRAY of
 *     name STRING
 *     error_code INT16
 *     error_message NULLABLE_STRING
 */
import { createTopicsCodec } from './create-topics-messages.js';

export const createTopicsV2 = createTopicsCodec(2);
