/** CreatePartitions (key 37), versions 0-1: the definition the API table registers. Kafka makes it flexible from v2, beyond what we serve. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './create-partitions-messages.js';
import { createPartitionsV0 } from './create-partitions-v0.js';
import { createPartitionsV1 } from './create-partitions-v1.js';

export type {
  CreatePartitionsAssignment,
  CreatePartitionsRequest,
  CreatePartitionsResponse,
  CreatePartitionsTopic,
  CreatePartitionsTopicResult,
} from './create-partitions-messages.js';

export const createPartitionsApi: ApiDefinition<CreatePartitionsRequest, CreatePartitionsResponse> = {
  apiKey: ApiKey.CreatePartitions,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  flexibleFromVersion: 2,
  versions: [createPartitionsV0, createPartitionsV1],
  errorResponse: (request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    results: request.topics.map((topic) => ({ name: topic.name, errorCode, errorMessage })),
  }),
};
