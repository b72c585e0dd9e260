/** DescribeConfigs (key 32): the definition the API table registers, from the tables in describe-configs-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { describeConfigsRequestSchema, describeConfigsResponseSchema } from './describe-configs-schema.js';

export type DescribeConfigsRequest = MessageValue<typeof describeConfigsRequestSchema>;
export type DescribeConfigsResponse = MessageValue<typeof describeConfigsResponseSchema>;
export type DescribeConfigsResource = DescribeConfigsRequest['resources'][number];
export type DescribeConfigsResult = DescribeConfigsResponse['results'][number];
/** Handlers set both `isDefault` and `configSource`; each version's decoder derives the one its bytes lack. */
export type DescribeConfigsResourceConfig = DescribeConfigsResult['configs'][number];
export type DescribeConfigsSynonym = DescribeConfigsResourceConfig['synonyms'][number];

/** Kafka's `ConfigResource.Type` wire values. */
export const ConfigResourceType = { UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** Kafka's `DescribeConfigsResponse.ConfigSource` wire values. */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;

/** The version that replaced IsDefault with ConfigSource. */
const CONFIG_SOURCE_VERSION = 1;
/** Kafka's schema default of ConfigSource: no source known. */
const NO_CONFIG_SOURCE = -1;

export const describeConfigsApi = defineApi({
  apiKey: ApiKey.DescribeConfigs,
  request: describeConfigsRequestSchema,
  response: describeConfigsResponseSchema,
  responseAdapter: {
    afterDecode: (response, version) => ({
      ...response,
      results: response.results.map((result) => ({
        ...result,
        configs: result.configs.map((config) => version < CONFIG_SOURCE_VERSION
          ? { ...config, configSource: config.isDefault ? ConfigSource.DEFAULT_CONFIG : NO_CONFIG_SOURCE }
          : { ...config, isDefault: config.configSource === ConfigSource.DEFAULT_CONFIG }),
      })),
    }),
  },
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
});
