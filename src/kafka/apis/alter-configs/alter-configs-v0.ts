/**
 * AlterConfigs v0: the first version.
 *
 * Request:
 *   resources ARRAY of
 *     resource_type INT8
 *     resource_name STRING
 *     configs ARRAY of
 *       name STRING
 *       value NULLABLE_STRING
 *   validate_only BOOLEAN
 * Response:
 *   throttle_time_ms INT32
 *   responses ARRAY of
 *     error_code INT16
 *     error_message NULLABLE_STRING
 *     resource_type INT8
 *     resource_name STRING
 */
import { alterConfigsCodec } from './alter-configs-messages.js';

export const alterConfigsV0 = alterConfigsCodec(0);
