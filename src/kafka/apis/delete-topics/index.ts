/** DeleteTopics (key 20), versions 0-1: the definition the API table registers. Kafka makes it flexible from v4, beyond what we serve. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics-messages.js';
import { deleteTopicsV0 } from './delete-topics-v0.js';
import { deleteTopicsV1 } from './delete-topics-v1.js';

export type {
  DeletableTopicResult,
  DeleteTopicsRequest,
  DeleteTopicsResponse,
} from './delete-topics-messages.js';

export const deleteTopicsApi: ApiDefinition<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,
  flexibleFromVersion: 4,
  versions: [deleteTopicsV0, deleteTopicsV1],
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    responses: request.topicNames.map((name) => ({ name, errorCode })),
  }),
};
