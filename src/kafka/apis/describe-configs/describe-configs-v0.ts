/**
 * DescribeConfigs v0: the first version.
 *
 * Request:
 *   resources ARRAY of
 *     resource_type INT8            (2 topic, 4 broker)
 *     resource_name STRING
 *     configuration_keys NULLABLE ARRAY of STRING (null: all)
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
 *       is_default BOOLEAN          (v0 only)
 *       is_sensitive BOOLEAN
 */
import { describeConfigsCodec } from './describe-configs-messages.js';

export const describeConfigsV0 = describeConfigsCodec(0);
