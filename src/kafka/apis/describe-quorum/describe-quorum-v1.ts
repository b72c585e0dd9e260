/**
 * DescribeQuorum v1: replica states carry fetch and caught-up times (KIP-836).
 *
 * Flexible: COMPACT_ARRAY and COMPACT_STRING lengths are unsigned varints of length + 1, and
 * every structure ends with TAGGED_FIELDS (a varint count, then tag, size, bytes per field).
 *
 * Request:
 *   topics COMPACT_ARRAY of
 *     topic_name COMPACT_STRING
 *     partitions COMPACT_ARRAY of
 *       partition_index INT32
 *       TAGGED_FIELDS
 *     TAGGED_FIELDS
 *   TAGGED_FIELDS
 * Response:
 *   error_code INT16
 *   topics COMPACT_ARRAY of
 *     topic_name COMPACT_STRING
 *     partitions COMPACT_ARRAY of
 *       partition_index INT32
 *       error_code INT16
 *       leader_id INT32
 *       leader_epoch INT32
 *       high_watermark INT64
 *       current_voters COMPACT_ARRAY of ReplicaState
 *       observers COMPACT_ARRAY of ReplicaState
 *       TAGGED_FIELDS
 *     TAGGED_FIELDS
 *   TAGGED_FIELDS
 * ReplicaState:
 *   replica_id INT32
 *   log_end_offset INT64
 *   last_fetch_timestamp INT64     (new in v1, KIP-836)
 *   last_caught_up_timestamp INT64 (new in v1, KIP-836)
 *   TAGGED_FIELDS
 */
import { describeQuorumCodec } from './describe-quorum-messages.js';

export const describeQuorumV1 = describeQuorumCodec(1);
