/** Metadata (key 3): the definition the API table registers, from the tables in metadata-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { metadataRequestSchema, metadataResponseSchema } from './metadata-schema.js';

export type MetadataRequest = MessageValue<typeof metadataRequestSchema>;
export type MetadataResponse = MessageValue<typeof metadataResponseSchema>;
export type MetadataBroker = MetadataResponse['brokers'][number];
export type MetadataTopic = MetadataResponse['topics'][number];
export type MetadataPartition = MetadataTopic['partitions'][number];

/** The first version in which the topic list may be null (before it, an empty list means every topic). */
const NULLABLE_TOPICS_VERSION = 1;

export const metadataApi = defineApi({
  apiKey: ApiKey.Metadata,
  request: metadataRequestSchema,
  response: metadataResponseSchema,
  requestAdapter: {
    afterDecode: (request, version) =>
      version < NULLABLE_TOPICS_VERSION && request.topics !== null && request.topics.length === 0 ? { ...request, topics: null } : request,
    beforeEncode: (request, version) =>
      version < NULLABLE_TOPICS_VERSION && request.topics === null ? { ...request, topics: [] } : request,
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    brokers: [],
    clusterId: null,
    controllerId: -1,
    topics: (request.topics ?? []).map((name) => ({ errorCode, name, isInternal: false, partitions: [] })),
  }),
});
