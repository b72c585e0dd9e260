/** Metadata (key 3), versions 0-6: the definition the API table registers. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MetadataRequest, MetadataResponse } from './metadata-messages.js';
import { metadataV0 } from './metadata-v0.js';
import { metadataV1 } from './metadata-v1.js';
import { metadataV2 } from './metadata-v2.js';
import { metadataV3 } from './metadata-v3.js';
import { metadataV4 } from './metadata-v4.js';
import { metadataV5 } from './metadata-v5.js';
import { metadataV6 } from './metadata-v6.js';

export type {
  MetadataBroker,
  MetadataPartition,
  MetadataRequest,
  MetadataResponse,
  MetadataTopic,
} from './metadata-messages.js';

export const metadataApi: ApiDefinition<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 6,
  flexibleFromVersion: 9,
  versions: [metadataV0, metadataV1, metadataV2, metadataV3, metadataV4, metadataV5, metadataV6],
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    brokers: [],
    clusterId: null,
    controllerId: -1,
    topics: (request.topics ?? []).map((name) => ({ errorCode, name, isInternal: false, partitions: [] })),
  }),
};
