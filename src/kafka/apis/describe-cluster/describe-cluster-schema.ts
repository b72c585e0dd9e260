/** DescribeCluster (key 60), version 0, flexible (KIP-700): the cluster id, the controller and the brokers. */
import type { MessageSchema } from '../../protocol/message-schema.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// DescribeClusterRequest v0:
//   include_cluster_authorized_operations BOOLEAN
//   TAGGED_FIELDS
// DescribeClusterResponse v0:
//   throttle_time_ms INT32
//   error_code INT16
//   error_message COMPACT_NULLABLE_STRING
//   cluster_id COMPACT_STRING
//   controller_id INT32  (-1 when no controller is known)
//   brokers COMPACT_ARRAY of
//     broker_id INT32
//     host COMPACT_STRING
//     port INT32
//     rack COMPACT_NULLABLE_STRING
//     TAGGED_FIELDS
//   cluster_authorized_operations INT32  (a bit field; -2^31 when not asked for)
//   TAGGED_FIELDS
// </grammar>

/** Kafka's value of an authorized-operations field that was not asked for. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export const describeClusterRequestSchema = {
  name: 'DescribeClusterRequest',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '0+' },
  ],
} as const satisfies MessageSchema;

export const describeClusterResponseSchema = {
  name: 'DescribeClusterResponse',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    { name: 'clusterId', type: 'string', versions: '0+' },
    { name: 'controllerId', type: 'int32', versions: '0+', default: -1, about: '-1 when no controller is known' },
    { name: 'brokers', type: '[]DescribeClusterBroker', versions: '0+', fields: [
      { name: 'brokerId', type: 'int32', versions: '0+' },
      { name: 'host', type: 'string', versions: '0+' },
      { name: 'port', type: 'int32', versions: '0+' },
      { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    ] },
    { name: 'clusterAuthorizedOperations', type: 'int32', versions: '0+', default: AUTHORIZED_OPERATIONS_OMITTED,
      about: 'a bit field; -2^31 when not asked for' },
  ],
} as const satisfies MessageSchema;
