/**
 * AlterConfigs v1: same bytes as v0; the version tells the client the broker answers before
 * it throttles (KIP-219).
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

export const alterConfigsV1 = alterConfigsCodec(1);
