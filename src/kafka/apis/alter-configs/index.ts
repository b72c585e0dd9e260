/** AlterConfigs (key 33): the definition the API table registers, from the tables in alter-configs-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { alterConfigsRequestSchema, alterConfigsResponseSchema } from './alter-configs-schema.js';

export type AlterConfigsRequest = MessageValue<typeof alterConfigsRequestSchema>;
export type AlterConfigsResponse = MessageValue<typeof alterConfigsResponseSchema>;
export type AlterConfigsResource = AlterConfigsRequest['resources'][number];
export type AlterableConfig = AlterConfigsResource['configs'][number];
export type AlterConfigsResourceResponse = AlterConfigsResponse['responses'][number];

export const alterConfigsApi = defineApi({
  apiKey: ApiKey.AlterConfigs,
  request: alterConfigsRequestSchema,
  response: alterConfigsResponseSchema,
  errorResponse: (request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    responses: request.resources.map((resource) => ({
      errorCode,
      errorMessage,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
    })),
  }),
});
