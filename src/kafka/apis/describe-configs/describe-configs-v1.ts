/**
 * DescribeConfigs v1: adds synonyms and the config source (which replaces is_default).
 *
 * Request:
 *   resources ARRAY of
 *     resource_type INT8            (2 topic, 4 broker)
 *     resource_name STRING
 *     configuration_keys NULLABLE ARRAY of STRING (null: all)
 *   include_synonyms BOOLEAN         (new in v1)
 * Response:
 *   throttle_time_ms INT32
 *   results ARRAY of
 *     error_code INT16
 *     error_message NULLABLE_STRING
 *     resource_type INT8
 *     resource_name STRING
 *     configs ARRAY of
 *       name STRING
 *       value NULLABLE_STRING
 *       read_only BOOLEAN
 *       config_source INT8          (new in v1, replaces is_default)
 *       is_sensitive BOOLEAN
 *       synonyms ARRAY of           (new in v1)
 *         name STRING
 *         value NULLABLE_STRING
 *         source INT8
 */
import { describeConfigsCodec } from './describe-configs-messages.js';

export const describeConfigsV1 = describeConfigsCodec(1);
