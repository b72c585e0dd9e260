/**
 * ApiVersions v2: same bytes as v1; the version tells the client the broker answers before it
 * throttles (KIP-219), so the client applies the throttle time itself.
 *
 * Request: no fields.
 * Response:
 *   error_code INT16
 *   api_keys ARRAY of
 *     api_key INT16
 *     min_version INT16
 *     max_version INT16
 *   throttle_time_ms INT32
 */
import { apiVersionsCodec } from './api-versions-messages.js';

export const apiVersionsV2 = apiVersionsCodec(2);
