/**
 * ApiVersions (key 18), versions 0-2: the versions of every API the broker serves. Version 3
 * (flexible, with client software names) is not served; a client that asks for it gets a v0
 * answer with UNSUPPORTED_VERSION, as Kafka's brokers answer.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// ApiVersionsRequest v0-2:
//   (no fields)
// ApiVersionsResponse v0:
//   error_code INT16
//   api_keys ARRAY of
//     api_key INT16
//     min_version INT16
//     max_version INT16
// ApiVersionsResponse v1-2:
//   error_code INT16
//   api_keys ARRAY of
//     api_key INT16
//     min_version INT16
//     max_version INT16
//   throttle_time_ms INT32  (new in v1)
// </grammar>

export const apiVersionsRequestSchema = {
  name: 'ApiVersionsRequest',
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [],
} as const satisfies MessageSchema;

export const apiVersionsResponseSchema = {
  name: 'ApiVersionsResponse',
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'apiKeys', type: '[]ApiVersion', versions: '0+', fields: [
      { name: 'apiKey', type: 'int16', versions: '0+' },
      { name: 'minVersion', type: 'int16', versions: '0+' },
      { name: 'maxVersion', type: 'int16', versions: '0+' },
    ] },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
  ],
} as const satisfies MessageSchema;
