/** ApiVersions (key 18), versions 0-2: the definition the API table registers. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { ApiVersionsRequest, ApiVersionsResponse } from './api-versions-messages.js';
import { apiVersionsV0 } from './api-versions-v0.js';
import { apiVersionsV1 } from './api-versions-v1.js';
import { apiVersionsV2 } from './api-versions-v2.js';

export type { ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse } from './api-versions-messages.js';

export const apiVersionsApi: ApiDefinition<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  flexibleFromVersion: 3,
  versions: [apiVersionsV0, apiVersionsV1, apiVersionsV2],
  errorResponse: (_request, errorCode) => ({ errorCode, apiKeys: [], throttleTimeMs: 0 }),
};
