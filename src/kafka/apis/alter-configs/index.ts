/** AlterConfigs (key 33), versions 0-1: the definition the API table registers. Kafka makes it flexible from v2, beyond what we serve. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { AlterConfigsRequest, AlterConfigsResponse } from './alter-configs-messages.js';
import { alterConfigsV0 } from './alter-configs-v0.js';
import { alterConfigsV1 } from './alter-configs-v1.js';

export type {
  AlterableConfig,
  AlterConfigsRequest,
  AlterConfigsResource,
  AlterConfigsResourceResponse,
  AlterConfigsResponse,
} from './alter-configs-messages.js';

export const alterConfigsApi: ApiDefinition<AlterConfigsRequest, AlterConfigsResponse> = {
  apiKey: ApiKey.AlterConfigs,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  flexibleFromVersion: 2,
  versions: [alterConfigsV0, alterConfigsV1],
  errorResponse: (request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    responses: request.resources.map((resource) => ({
      errorCode,
      errorMessage,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
    })),
  }),
};
