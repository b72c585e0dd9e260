/** DescribeConfigs (key 32), versions 0-2: the definition the API table registers. Kafka makes it flexible from v4, beyond what we serve. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from './describe-configs-messages.js';
import { describeConfigsV0 } from './describe-configs-v0.js';
import { describeConfigsV1 } from './describe-configs-v1.js';
import { describeConfigsV2 } from './describe-configs-v2.js';

export type {
  DescribeConfigsRequest,
  DescribeConfigsResource,
  DescribeConfigsResourceConfig,
  DescribeConfigsResponse,
  DescribeConfigsResult,
  DescribeConfigsSynonym,
} from './describe-configs-messages.js';

export const describeConfigsApi: ApiDefinition<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: ApiKey.DescribeConfigs,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  flexibleFromVersion: 4,
  versions: [describeConfigsV0, describeConfigsV1, describeConfigsV2],
  errorResponse: (request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    results: request.resources.map((resource) => ({
      errorCode,
      errorMessage,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      configs: [],
    })),
  }),
};
export { ConfigResourceType, ConfigSource } from './describe-configs-messages.js';
