/**
 * Metadata v1: topics may be null (all topics); brokers carry a rack, topics an
 * internal flag, and the controller id appears.
 *
 * Request:
 *   topics NULLABLE ARRAY of STRING   (null means every topic, empty means none)
 * Response:
 *   brokers ARRAY of
 *     node_id INT32
 *     host STRING
 *     port INT32
 *     rack NULLABLE_STRING                     (new in v1)
 *   controller_id INT32                        (new in v1)
 *   topics ARRAY of
 *     error_code INT16
 *     name STRING
 *     is_internal BOOLEAN                        (new in v1)
 *     partitions ARRAY of
 *       error_code INT16
 *       partition_index INT32
 *       leader_id INT32
 *       replica_nodes ARRAY of INT32
 *       isr_nodes ARRAY of INT32
 */
import { metadataCodec } from './metadata-messages.js';

export const metadataV1 = metadataCodec(1);
