/**
 * Metadata v0: the first version.
 *
 * Request:
 *   topics ARRAY of STRING      (empty means every topic)
 * Response:
 *   brokers ARRAY of
 *     node_id INT32
 *     host STRING
 *     port INT32
 *   topics ARRAY of
 *     error_code INT16
 *     name STRING
 *     partitions ARRAY of
 *       error_code INT16
 *       partition_index INT32
 *       leader_id INT32
 *       replica_nodes ARRAY of INT32
 *       isr_nodes ARRAY of INT32
 */
import { metadataCodec } from './metadata-messages.js';

export const metadataV0 = metadataCodec(0);
