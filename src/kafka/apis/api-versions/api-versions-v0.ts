/**
 * ApiVersions v0.
 *
 * Request: no fields.
 * Response:
 *   error_code INT16
 *   api_keys ARRAY of
 *     api_key INT16
 *     min_version INT16
 *     max_version INT16
 */
import { apiVersionsCodec } from './api-versions-messages.js';

export const apiVersionsV0 = apiVersionsCodec(0);
