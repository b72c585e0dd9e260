/**
 * ApiVersions v1: the request says the client can read a throttle time.
 *
 * Request: no fields.
 * Response:
 *   error_code INT16
 *   api_keys ARRAY of
 *     api_key INT16
 *     min_version INT16
 *     max_version INT16
 *   throttle_time_ms INT32        (new in v1)
 */
import { apiVersionsCodec } from './api-versions-messages.js';

export const apiVersionsV1 = apiVersionsCodec(1);
