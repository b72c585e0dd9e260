/**
 * CreatePartitions v0: the first version.
 *
 * Request:
 *   topics ARRAY of
 *     name STRING
 *     count INT32                   (the partition count afterwards)
 *     assignments NULLABLE ARRAY of (null: the controller places them)
 *       broker_ids ARRAY of INT32
 *   timeout_ms INT32
 *   validate_only BOOLEAN
 * Response:
 *   throttle_time_ms INT32
 *   results ARRAY of
 *     name STRING
 *     error_code INT16
 *     error_message NULLABLE_STRING
 */
import { createPartitionsCodec } from './create-partitions-messages.js';

export const createPartitionsV0 = createPartitionsCodec(0);
