/**
 * DescribeCluster v0: the first version (KIP-700).
 *
 * Flexible: compact types and a TAGGED_FIELDS section closing every structure.
 *
 * Request:
 *   include_cluster_authorized_operations BOOLEAN
 *   TAGGED_FIELDS
 * Response:
 *   throttle_time_ms INT32
 *   error_code INT16
 *   error_message COMPACT_NULLABLE_STRING
 *   cluster_id COMPACT_STRING
 *   controller_id INT32
 *   brokers COMPACT_ARRAY of
 *     broker_id INT32
 *     host COMPACT_STRING
 *     port INT32
 *     rack COMPACT_NULLABLE_STRING
 *     TAGGED_FIELDS
 *   cluster_authorized_operations INT32
 *   TAGGED_FIELDS
 */
import { describeClusterCodec } from './describe-cluster-messages.js';

export const describeClusterV0 = describeClusterCodec(0);
