/** CreatePartitions (key 37): the definition the API table registers, from the tables in create-partitions-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { createPartitionsRequestSchema, createPartitionsResponseSchema } from './create-partitions-schema.js';

export type CreatePartitionsRequest = MessageValue<typeof createPartitionsRequestSchema>;
export type CreatePartitionsResponse = MessageValue<typeof createPartitionsResponseSchema>;
export type CreatePartitionsTopic = CreatePartitionsRequest['topics'][number];
export type CreatePartitionsAssignment = NonNullable<CreatePartitionsTopic['assignments']>[number];
export type CreatePartitionsTopicResult = CreatePartitionsResponse['results'][number];

export const createPartitionsApi = defineApi({
  apiKey: ApiKey.CreatePartitions,
  request: createPartitionsRequestSchema,
  response: createPartitionsResponseSchema,
  errorResponse: (request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    results: request.topics.map((topic) => ({ name: topic.name, errorCode, errorMessage })),
  }),
});
