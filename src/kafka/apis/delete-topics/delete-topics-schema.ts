/** DeleteTopics (key 20), versions 0-1 (v1 adds the throttle time). Kafka makes it flexible from v4, beyond what we serve. */
import type { MessageSchema } from '../../protocol/message-schema.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// DeleteTopicsRequest v0-1:
//   topic_names ARRAY of STRING
//   timeout_ms INT32
// DeleteTopicsResponse v0:
//   responses ARRAY of
//     name STRING
//     error_code INT16
// DeleteTopicsResponse v1:
//   throttle_time_ms INT32  (new in v1)
//   responses ARRAY of
//     name STRING
//     error_code INT16
// </grammar>

export const deleteTopicsRequestSchema = {
  name: 'DeleteTopicsRequest',
  validVersions: '0-1',
  flexibleVersions: '4+',
  fields: [
    { name: 'topicNames', type: '[]string', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
} as const satisfies MessageSchema;

export const deleteTopicsResponseSchema = {
  name: 'DeleteTopicsResponse',
  validVersions: '0-1',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'responses', type: '[]DeletableTopicResult', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
    ] },
  ],
} as const satisfies MessageSchema;
