/**
 * CreatePartitions (key 37), versions 0-1 (v1: the same bytes with KIP-219's throttling order).
 * Kafka makes it flexible from v2, beyond what we serve.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// CreatePartitionsRequest v0-1:
//   topics ARRAY of
//     name STRING
//     count INT32  (the partition count afterwards, not the number to add)
//     assignments NULLABLE_ARRAY of  (one per new partition; null lets the controller place them)
//       broker_ids ARRAY of INT32
//   timeout_ms INT32
//   validate_only BOOLEAN
// CreatePartitionsResponse v0-1:
//   throttle_time_ms INT32
//   results ARRAY of
//     name STRING
//     error_code INT16
//     error_message NULLABLE_STRING
// </grammar>

export const createPartitionsRequestSchema = {
  name: 'CreatePartitionsRequest',
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    { name: 'topics', type: '[]CreatePartitionsTopic', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'count', type: 'int32', versions: '0+', about: 'the partition count afterwards, not the number to add' },
      { name: 'assignments', type: '[]CreatePartitionsAssignment', versions: '0+', nullableVersions: '0+',
        about: 'one per new partition; null lets the controller place them', fields: [
          // kafkajs writes each list as a nullable array although the schema says it is not: a null
          // list reads as empty, so the controller refuses it with a Kafka error, not a dropped connection.
          { name: 'brokerIds', type: '[]int32', versions: '0+', decodeNullAs: [] },
        ] },
    ] },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
} as const satisfies MessageSchema;

export const createPartitionsResponseSchema = {
  name: 'CreatePartitionsResponse',
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'results', type: '[]CreatePartitionsTopicResult', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    ] },
  ],
} as const satisfies MessageSchema;
