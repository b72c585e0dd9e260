/**
 * DescribeQuorum (key 55), versions 0-2, flexible from v0: the leader's view of the metadata
 * quorum (KIP-595), with fetch and caught-up times per replica from v1 (KIP-836), and from v2
 * (KIP-853) error messages, each replica's directory id and the voters' listeners (`nodes`).
 */
import type { FieldSpec, MessageSchema } from '../../protocol/message-schema.js';
import { listenerFields } from '../raft-voter-listeners.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// DescribeQuorumRequest v0-2:
//   topics COMPACT_ARRAY of
//     topic_name COMPACT_STRING
//     partitions COMPACT_ARRAY of
//       partition_index INT32
//       TAGGED_FIELDS
//     TAGGED_FIELDS
//   TAGGED_FIELDS
// DescribeQuorumResponse v0:
//   error_code INT16
//   topics COMPACT_ARRAY of
//     topic_name COMPACT_STRING
//     partitions COMPACT_ARRAY of
//       partition_index INT32
//       error_code INT16
//       leader_id INT32  (-1 when no leader is known)
//       leader_epoch INT32
//       high_watermark INT64
//       current_voters COMPACT_ARRAY of ReplicaState
//       observers COMPACT_ARRAY of ReplicaState
//       TAGGED_FIELDS
//     TAGGED_FIELDS
//   TAGGED_FIELDS
//   ReplicaState:
//     replica_id INT32
//     log_end_offset INT64  (-1 when unknown)
//     TAGGED_FIELDS
// DescribeQuorumResponse v1:
//   error_code INT16
//   topics COMPACT_ARRAY of
//     topic_name COMPACT_STRING
//     partitions COMPACT_ARRAY of
//       partition_index INT32
//       error_code INT16
//       leader_id INT32  (-1 when no leader is known)
//       leader_epoch INT32
//       high_watermark INT64
//       current_voters COMPACT_ARRAY of ReplicaState
//       observers COMPACT_ARRAY of ReplicaState
//       TAGGED_FIELDS
//     TAGGED_FIELDS
//   TAGGED_FIELDS
//   ReplicaState:
//     replica_id INT32
//     log_end_offset INT64  (-1 when unknown)
//     last_fetch_timestamp INT64  (new in v1; leader wall-clock ms of the replica's last fetch; -1 when unknown)
//     last_caught_up_timestamp INT64  (new in v1; leader wall-clock ms when the replica last caught up; -1 when unknown)
//     TAGGED_FIELDS
// DescribeQuorumResponse v2:
//   error_code INT16
//   error_message COMPACT_NULLABLE_STRING  (new in v2)
//   topics COMPACT_ARRAY of
//     topic_name COMPACT_STRING
//     partitions COMPACT_ARRAY of
//       partition_index INT32
//       error_code INT16
//       error_message COMPACT_NULLABLE_STRING  (new in v2)
//       leader_id INT32  (-1 when no leader is known)
//       leader_epoch INT32
//       high_watermark INT64
//       current_voters COMPACT_ARRAY of ReplicaState
//       observers COMPACT_ARRAY of ReplicaState
//       TAGGED_FIELDS
//     TAGGED_FIELDS
//   nodes COMPACT_ARRAY of  (new in v2; the voters' listeners)
//     node_id INT32  (new in v2)
//     listeners COMPACT_ARRAY of  (new in v2)
//       name COMPACT_STRING  (new in v2)
//       host COMPACT_STRING  (new in v2)
//       port UINT16  (new in v2)
//       TAGGED_FIELDS
//     TAGGED_FIELDS
//   TAGGED_FIELDS
//   ReplicaState:
//     replica_id INT32
//     replica_directory_id UUID  (new in v2; the zero UUID when unknown)
//     log_end_offset INT64  (-1 when unknown)
//     last_fetch_timestamp INT64  (leader wall-clock ms of the replica's last fetch; -1 when unknown)
//     last_caught_up_timestamp INT64  (leader wall-clock ms when the replica last caught up; -1 when unknown)
//     TAGGED_FIELDS
// </grammar>

export const describeQuorumRequestSchema = {
  name: 'DescribeQuorumRequest',
  validVersions: '0-2',
  flexibleVersions: '0+',
  fields: [
    { name: 'topics', type: '[]TopicData', versions: '0+', fields: [
      { name: 'topicName', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]PartitionData', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
      ] },
    ] },
  ],
} as const satisfies MessageSchema;

const replicaState = [
  { name: 'replicaId', type: 'int32', versions: '0+' },
  { name: 'replicaDirectoryId', type: 'uuid', versions: '2+', about: 'the zero UUID when unknown' },
  { name: 'logEndOffset', type: 'int64', versions: '0+', about: '-1 when unknown' },
  { name: 'lastFetchTimestamp', type: 'int64', versions: '1+', default: -1,
    about: "leader wall-clock ms of the replica's last fetch; -1 when unknown" },
  { name: 'lastCaughtUpTimestamp', type: 'int64', versions: '1+', default: -1,
    about: 'leader wall-clock ms when the replica last caught up; -1 when unknown' },
] as const satisfies readonly FieldSpec[];

export const describeQuorumResponseSchema = {
  name: 'DescribeQuorumResponse',
  validVersions: '0-2',
  flexibleVersions: '0+',
  commonStructs: ['ReplicaState'],
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '2+', nullableVersions: '2+', default: null },
    { name: 'topics', type: '[]TopicData', versions: '0+', fields: [
      { name: 'topicName', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]PartitionData', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '2+', nullableVersions: '2+', default: null },
        { name: 'leaderId', type: 'int32', versions: '0+', about: '-1 when no leader is known' },
        { name: 'leaderEpoch', type: 'int32', versions: '0+' },
        { name: 'highWatermark', type: 'int64', versions: '0+' },
        { name: 'currentVoters', type: '[]ReplicaState', versions: '0+', fields: replicaState },
        { name: 'observers', type: '[]ReplicaState', versions: '0+', fields: replicaState },
      ] },
    ] },
    { name: 'nodes', type: '[]Node', versions: '2+', about: "the voters' listeners", fields: [
      { name: 'nodeId', type: 'int32', versions: '2+' },
      { name: 'listeners', type: '[]Listener', versions: '2+', fields: listenerFields('2+') },
    ] },
  ],
} as const satisfies MessageSchema;
