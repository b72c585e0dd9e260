/** DeleteTopics (key 20): the definition the API table registers, from the tables in delete-topics-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { deleteTopicsRequestSchema, deleteTopicsResponseSchema } from './delete-topics-schema.js';

export type DeleteTopicsRequest = MessageValue<typeof deleteTopicsRequestSchema>;
export type DeleteTopicsResponse = MessageValue<typeof deleteTopicsResponseSchema>;
export type DeletableTopicResult = DeleteTopicsResponse['responses'][number];

export const deleteTopicsApi = defineApi({
  apiKey: ApiKey.DeleteTopics,
  request: deleteTopicsRequestSchema,
  response: deleteTopicsResponseSchema,
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    responses: request.topicNames.map((name) => ({ name, errorCode })),
  }),
});
