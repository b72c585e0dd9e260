/**
 * AlterConfigs (key 33), versions 0-1 (v1: the same bytes with KIP-219's throttling order).
 * AlterConfigs replaces a resource's whole set of dynamic configs (keys left out are reset),
 * unlike IncrementalAlterConfigs; the handler implements that meaning, the tables only the bytes.
 * Kafka makes it flexible from v2, beyond what we serve.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// AlterConfigsRequest v0-1:
//   resources ARRAY of
//     resource_type INT8
//     resource_name STRING
//     configs ARRAY of
//       name STRING
//       value NULLABLE_STRING
//   validate_only BOOLEAN
// AlterConfigsResponse v0-1:
//   throttle_time_ms INT32
//   responses ARRAY of
//     error_code INT16
//     error_message NULLABLE_STRING
//     resource_type INT8
//     resource_name STRING
// </grammar>

export const alterConfigsRequestSchema = {
  name: 'AlterConfigsRequest',
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    { name: 'resources', type: '[]AlterConfigsResource', versions: '0+', fields: [
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
      { name: 'configs', type: '[]AlterableConfig', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
      ] },
    ] },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
} as const satisfies MessageSchema;

export const alterConfigsResponseSchema = {
  name: 'AlterConfigsResponse',
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'responses', type: '[]AlterConfigsResourceResponse', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
    ] },
  ],
} as const satisfies MessageSchema;
