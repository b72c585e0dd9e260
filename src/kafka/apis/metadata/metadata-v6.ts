/**
 * Metadata v6: same bytes as v5; the version tells the client the broker answers before it
 * throttles (KIP-219).
 *
 * Request:
 *   topics NULLABLE ARRAY of STRING   (null means every topic, empty means none)
 *   allow_auto_topic_creation BOOLEAN
 * Response:
 *   throttle_time_ms INT32
 *   brokers ARRAY of
 *     node_id INT32
 *     host STRING
 *     port INT32
 *     rack NULLABLE_STRING
 *   cluster_id NULLABLE_STRING
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
 *       offline_replicas ARRAY of INT32
 */
import { metadataCodec } from './metadata-messages.js';

export const metadataV6 = metadataCodec(6);
