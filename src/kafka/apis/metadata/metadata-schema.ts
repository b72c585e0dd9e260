/**
 * Metadata (key 3), versions 0-6: brokers, the controller and each topic's partitions. Kafka makes
 * it flexible from v9, beyond what we serve.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// MetadataRequest v0:
//   topics ARRAY of STRING  (null means every topic; in v0, where null cannot be said, an empty list means every topic)
// MetadataRequest v1-3:
//   topics NULLABLE_ARRAY of STRING  (null means every topic; in v0, where null cannot be said, an empty list means every topic)
// MetadataRequest v4-6:
//   topics NULLABLE_ARRAY of STRING  (null means every topic; in v0, where null cannot be said, an empty list means every topic)
//   allow_auto_topic_creation BOOLEAN  (new in v4)
// MetadataResponse v0:
//   brokers ARRAY of
//     node_id INT32
//     host STRING
//     port INT32
//   topics ARRAY of
//     error_code INT16
//     name STRING
//     partitions ARRAY of
//       error_code INT16
//       partition_index INT32
//       leader_id INT32
//       replica_nodes ARRAY of INT32
//       isr_nodes ARRAY of INT32
// MetadataResponse v1:
//   brokers ARRAY of
//     node_id INT32
//     host STRING
//     port INT32
//     rack NULLABLE_STRING  (new in v1)
//   controller_id INT32  (new in v1; kafkajs needs a real id here, never -1)
//   topics ARRAY of
//     error_code INT16
//     name STRING
//     is_internal BOOLEAN  (new in v1)
//     partitions ARRAY of
//       error_code INT16
//       partition_index INT32
//       leader_id INT32
//       replica_nodes ARRAY of INT32
//       isr_nodes ARRAY of INT32
// MetadataResponse v2:
//   brokers ARRAY of
//     node_id INT32
//     host STRING
//     port INT32
//     rack NULLABLE_STRING
//   cluster_id NULLABLE_STRING  (new in v2)
//   controller_id INT32  (kafkajs needs a real id here, never -1)
//   topics ARRAY of
//     error_code INT16
//     name STRING
//     is_internal BOOLEAN
//     partitions ARRAY of
//       error_code INT16
//       partition_index INT32
//       leader_id INT32
//       replica_nodes ARRAY of INT32
//       isr_nodes ARRAY of INT32
// MetadataResponse v3-4:
//   throttle_time_ms INT32  (new in v3)
//   brokers ARRAY of
//     node_id INT32
//     host STRING
//     port INT32
//     rack NULLABLE_STRING
//   cluster_id NULLABLE_STRING
//   controller_id INT32  (kafkajs needs a real id here, never -1)
//   topics ARRAY of
//     error_code INT16
//     name STRING
//     is_internal BOOLEAN
//     partitions ARRAY of
//       error_code INT16
//       partition_index INT32
//       leader_id INT32
//       replica_nodes ARRAY of INT32
//       isr_nodes ARRAY of INT32
// MetadataResponse v5-6:
//   throttle_time_ms INT32
//   brokers ARRAY of
//     node_id INT32
//     host STRING
//     port INT32
//     rack NULLABLE_STRING
//   cluster_id NULLABLE_STRING
//   controller_id INT32  (kafkajs needs a real id here, never -1)
//   topics ARRAY of
//     error_code INT16
//     name STRING
//     is_internal BOOLEAN
//     partitions ARRAY of
//       error_code INT16
//       partition_index INT32
//       leader_id INT32
//       replica_nodes ARRAY of INT32
//       isr_nodes ARRAY of INT32
//       offline_replicas ARRAY of INT32  (new in v5)
// </grammar>

export const metadataRequestSchema = {
  name: 'MetadataRequest',
  validVersions: '0-6',
  flexibleVersions: '9+',
  fields: [
    // Kafka's schema has an array of structs holding only a name: the same bytes as an array of strings.
    { name: 'topics', type: '[]string', versions: '0+', nullableVersions: '1+',
      about: 'null means every topic; in v0, where null cannot be said, an empty list means every topic' },
    { name: 'allowAutoTopicCreation', type: 'bool', versions: '4+', default: true },
  ],
} as const satisfies MessageSchema;

export const metadataResponseSchema = {
  name: 'MetadataResponse',
  validVersions: '0-6',
  flexibleVersions: '9+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
    { name: 'brokers', type: '[]MetadataResponseBroker', versions: '0+', fields: [
      { name: 'nodeId', type: 'int32', versions: '0+' },
      { name: 'host', type: 'string', versions: '0+' },
      { name: 'port', type: 'int32', versions: '0+' },
      { name: 'rack', type: 'string', versions: '1+', nullableVersions: '1+', default: null },
    ] },
    { name: 'clusterId', type: 'string', versions: '2+', nullableVersions: '2+', default: null },
    { name: 'controllerId', type: 'int32', versions: '1+', default: -1, about: 'kafkajs needs a real id here, never -1' },
    { name: 'topics', type: '[]MetadataResponseTopic', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'isInternal', type: 'bool', versions: '1+' },
      { name: 'partitions', type: '[]MetadataResponsePartition', versions: '0+', fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'leaderId', type: 'int32', versions: '0+' },
        { name: 'replicaNodes', type: '[]int32', versions: '0+' },
        { name: 'isrNodes', type: '[]int32', versions: '0+' },
        { name: 'offlineReplicas', type: '[]int32', versions: '5+' },
      ] },
    ] },
  ],
} as const satisfies MessageSchema;
