/** CreateTopics (key 19), versions 0-3: the definition the API table registers. Kafka makes it flexible from v5, beyond what we serve. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from './create-topics-messages.js';
import { createTopicsV0 } from './create-topics-v0.js';
import { createTopicsV1 } from './create-topics-v1.js';
import { createTopicsV2 } from './create-topics-v2.js';
import { createTopicsV3 } from './create-topics-v3.js';

export type {
  CreatableReplicaAssignment,
  CreatableTopic,
  CreatableTopicConfig,
  CreatableTopicResult,
  CreateTopicsRequest,
  CreateTopicsResponse,
} from './create-topics-messages.js';

export const createTopicsApi: ApiDefinition<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 3,
  flexibleFromVersion: 5,
  versions: [createTopicsV0, createTopicsV1, createTopicsV2, createTopicsV3],
  errorResponse: (request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({ name: topic.name, errorCode, errorMessage })),
  }),
};
