/** ApiVersions (key 18): the definition the API table registers, from the tables in api-versions-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { apiVersionsRequestSchema, apiVersionsResponseSchema } from './api-versions-schema.js';

export type ApiVersionsRequest = MessageValue<typeof apiVersionsRequestSchema>;
export type ApiVersionsResponse = MessageValue<typeof apiVersionsResponseSchema>;
export type ApiVersionRange = ApiVersionsResponse['apiKeys'][number];

export const apiVersionsApi = defineApi({
  apiKey: ApiKey.ApiVersions,
  request: apiVersionsRequestSchema,
  response: apiVersionsResponseSchema,
  errorResponse: (_request, errorCode) => ({ errorCode, apiKeys: [], throttleTimeMs: 0 }),
});
