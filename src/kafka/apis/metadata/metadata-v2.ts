/**
 * Metadata v2: adds the cluster id.
 *
 * Request:
 *   topics NULLABLE ARRAY of STRING   (null means every topic, empty means none)
 * Response:
 *   brokers ARRAY of
 *     node_id INT32
 *     host STRING
 *     port INT32
 *     rack NULLABLE_STRING
 *   cluster_id NULLABLE_STRING                 (new in v2)
 *   controller_id INT32
 *   topics ARRAY of
 *     error_code INT16
 *     name STRING
 *     is_internal BOOLEAN
 *     partitions ARRAY of
 *       error_code INT16
 *       partition_index INT32
 *       leader_id INT32
 *       replica_nodes ARRAY of INT32
 *       isr_nodes ARRAY of INT32
 */
import { metadataCodec } from './metadata-messages.js';

export const metadataV2 = metadataCodec(2);
