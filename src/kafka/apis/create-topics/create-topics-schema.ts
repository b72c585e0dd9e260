/**
 * CreateTopics (key 19), versions 0-3. v1 adds validate-only requests and per-topic error
 * messages, v2 the throttle time, v3 the same bytes with KIP-219's throttling order. Kafka makes
 * it flexible from v5, beyond what we serve.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// CreateTopicsRequest v0:
//   topics ARRAY of
//     name STRING
//     num_partitions INT32  (-1: the broker default, or the number of assignments)
//     replication_factor INT16  (-1: the broker default)
//     assignments ARRAY of
//       partition_index INT32
//       broker_ids ARRAY of INT32
//     configs ARRAY of
//       name STRING
//       value NULLABLE_STRING
//   timeout_ms INT32
// CreateTopicsRequest v1-3:
//   topics ARRAY of
//     name STRING
//     num_partitions INT32  (-1: the broker default, or the number of assignments)
//     replication_factor INT16  (-1: the broker default)
//     assignments ARRAY of
//       partition_index INT32
//       broker_ids ARRAY of INT32
//     configs ARRAY of
//       name STRING
//       value NULLABLE_STRING
//   timeout_ms INT32
//   validate_only BOOLEAN  (new in v1)
// CreateTopicsResponse v0:
//   topics ARRAY of
//     name STRING
//     error_code INT16
// CreateTopicsResponse v1:
//   topics ARRAY of
//     name STRING
//     error_code INT16
//     error_message NULLABLE_STRING  (new in v1)
// CreateTopicsResponse v2-3:
//   throttle_time_ms INT32  (new in v2)
//   topics ARRAY of
//     name STRING
//     error_code INT16
//     error_message NULLABLE_STRING
// </grammar>

export const createTopicsRequestSchema = {
  name: 'CreateTopicsRequest',
  validVersions: '0-3',
  flexibleVersions: '5+',
  fields: [
    { name: 'topics', type: '[]CreatableTopic', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'numPartitions', type: 'int32', versions: '0+', about: '-1: the broker default, or the number of assignments' },
      { name: 'replicationFactor', type: 'int16', versions: '0+', about: '-1: the broker default' },
      { name: 'assignments', type: '[]CreatableReplicaAssignment', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'brokerIds', type: '[]int32', versions: '0+' },
      ] },
      { name: 'configs', type: '[]CreatableTopicConfig', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
      ] },
    ] },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'validateOnly', type: 'bool', versions: '1+' },
  ],
} as const satisfies MessageSchema;

export const createTopicsResponseSchema = {
  name: 'CreateTopicsResponse',
  validVersions: '0-3',
  flexibleVersions: '5+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    { name: 'topics', type: '[]CreatableTopicResult', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '1+', nullableVersions: '0+', default: null },
    ] },
  ],
} as const satisfies MessageSchema;
