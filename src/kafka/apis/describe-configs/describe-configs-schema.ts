/**
 * DescribeConfigs (key 32), versions 0-2. v1 replaces IsDefault with a ConfigSource and adds
 * synonyms; v2 has v1's bytes with KIP-219's throttling order. Kafka makes it flexible from v4,
 * beyond what we serve.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// DescribeConfigsRequest v0:
//   resources ARRAY of
//     resource_type INT8
//     resource_name STRING
//     configuration_keys NULLABLE_ARRAY of STRING  (null: every key)
// DescribeConfigsRequest v1-2:
//   resources ARRAY of
//     resource_type INT8
//     resource_name STRING
//     configuration_keys NULLABLE_ARRAY of STRING  (null: every key)
//   include_synonyms BOOLEAN  (new in v1)
// DescribeConfigsResponse v0:
//   throttle_time_ms INT32
//   results ARRAY of
//     error_code INT16
//     error_message NULLABLE_STRING
//     resource_type INT8
//     resource_name STRING
//     configs ARRAY of
//       name STRING
//       value NULLABLE_STRING
//       read_only BOOLEAN
//       is_default BOOLEAN  (decoded from v1 on as configSource = DEFAULT_CONFIG)
//       is_sensitive BOOLEAN
// DescribeConfigsResponse v1-2:
//   throttle_time_ms INT32
//   results ARRAY of
//     error_code INT16
//     error_message NULLABLE_STRING
//     resource_type INT8
//     resource_name STRING
//     configs ARRAY of
//       name STRING
//       value NULLABLE_STRING
//       read_only BOOLEAN
//       config_source INT8  (new in v1; decoded in v0 as DEFAULT_CONFIG when isDefault, else -1)
//       is_sensitive BOOLEAN
//       synonyms ARRAY of  (new in v1)
//         name STRING  (new in v1)
//         value NULLABLE_STRING  (new in v1)
//         source INT8  (new in v1)
// </grammar>

export const describeConfigsRequestSchema = {
  name: 'DescribeConfigsRequest',
  validVersions: '0-2',
  flexibleVersions: '4+',
  fields: [
    { name: 'resources', type: '[]DescribeConfigsResource', versions: '0+', fields: [
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
      { name: 'configurationKeys', type: '[]string', versions: '0+', nullableVersions: '0+', about: 'null: every key' },
    ] },
    { name: 'includeSynonyms', type: 'bool', versions: '1+' },
  ],
} as const satisfies MessageSchema;

export const describeConfigsResponseSchema = {
  name: 'DescribeConfigsResponse',
  validVersions: '0-2',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'results', type: '[]DescribeConfigsResult', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
      { name: 'configs', type: '[]DescribeConfigsResourceResult', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
        { name: 'readOnly', type: 'bool', versions: '0+' },
        { name: 'isDefault', type: 'bool', versions: '0', about: 'decoded from v1 on as configSource = DEFAULT_CONFIG' },
        { name: 'configSource', type: 'int8', versions: '1+', default: -1, about: 'decoded in v0 as DEFAULT_CONFIG when isDefault, else -1' },
        { name: 'isSensitive', type: 'bool', versions: '0+' },
        { name: 'synonyms', type: '[]DescribeConfigsSynonym', versions: '1+', fields: [
          { name: 'name', type: 'string', versions: '1+' },
          { name: 'value', type: 'string', versions: '1+', nullableVersions: '1+' },
          { name: 'source', type: 'int8', versions: '1+' },
        ] },
      ] },
    ] },
  ],
} as const satisfies MessageSchema;
