/** CreateTopics (key 19): the definition the API table registers, from the tables in create-topics-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { createTopicsRequestSchema, createTopicsResponseSchema } from './create-topics-schema.js';

export type CreateTopicsRequest = MessageValue<typeof createTopicsRequestSchema>;
export type CreateTopicsResponse = MessageValue<typeof createTopicsResponseSchema>;
export type CreatableTopic = CreateTopicsRequest['topics'][number];
export type CreatableReplicaAssignment = CreatableTopic['assignments'][number];
export type CreatableTopicConfig = CreatableTopic['configs'][number];
export type CreatableTopicResult = CreateTopicsResponse['topics'][number];

export const createTopicsApi = defineApi({
  apiKey: ApiKey.CreateTopics,
  request: createTopicsRequestSchema,
  response: createTopicsResponseSchema,
  errorResponse: (request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({ name: topic.name, errorCode, errorMessage })),
  }),
});
