/**
 * The API table: every API quorumd serves, with its key, name, version range, first flexible
 * version and codecs. The ApiVersions response is generated from this table, and the connection
 * handler looks APIs up here. Each API is a folder holding its request and response tables
 * (`<api>-schema.ts`) and its definition (`index.ts`): adding a version is widening the tables'
 * `validVersions` and saying which fields it adds; adding an API is a folder and one line below.
 *
 * The versions served are the classic (non-flexible) ones kafkajs 2.2.4 negotiates, all from 0,
 * plus the flexible DescribeQuorum and DescribeCluster that our own tools use, and the voter changes
 * of KIP-853 (AddRaftVoter, RemoveRaftVoter, UpdateRaftVoter).
 */
import { codecFor, type ApiDefinition, type ApiVersionCodec } from './api-codec.js';
import { alterConfigsApi } from './alter-configs/index.js';
import { apiVersionsApi, type ApiVersionRange } from './api-versions/index.js';
import { createPartitionsApi } from './create-partitions/index.js';
import { createTopicsApi } from './create-topics/index.js';
import { deleteTopicsApi } from './delete-topics/index.js';
import { describeClusterApi } from './describe-cluster/index.js';
import { describeConfigsApi } from './describe-configs/index.js';
import { describeQuorumApi } from './describe-quorum/index.js';
import { metadataApi } from './metadata/index.js';
import { addRaftVoterApi } from './add-raft-voter/index.js';
import { removeRaftVoterApi } from './remove-raft-voter/index.js';
import { updateRaftVoterApi } from './update-raft-voter/index.js';
import { ApiKey } from './api-keys.js';
import type { RequestHeaderVersion, ResponseHeaderVersion } from '../protocol/headers.js';

export type AnyApiDefinition = ApiDefinition<unknown, unknown>;

/** What decides an API version's header versions. */
export type ApiHeaderTraits = Pick<AnyApiDefinition, 'apiKey' | 'flexibleFromVersion'>;

export const servedApis: readonly AnyApiDefinition[] = [
  metadataApi,
  apiVersionsApi,
  createTopicsApi,
  deleteTopicsApi,
  describeConfigsApi,
  alterConfigsApi,
  createPartitionsApi,
  describeQuorumApi,
  describeClusterApi,
  addRaftVoterApi,
  removeRaftVoterApi,
  updateRaftVoterApi,
];

const apisByKey = new Map<number, AnyApiDefinition>(servedApis.map((api) => [api.apiKey, api]));

export function apiByKey(apiKey: number): AnyApiDefinition | undefined {
  return apisByKey.get(apiKey);
}

export function codecOf<Request, Response>(
  api: ApiDefinition<Request, Response>,
  version: number,
): ApiVersionCodec<Request, Response> {
  const codec = codecFor(api, version);
  if (codec === undefined) {
    throw new RangeError(`${api.name} v${version} is not served (versions ${api.minVersion}-${api.maxVersion})`);
  }
  return codec;
}

/** The key list every node advertises in ApiVersions (kafkajs expects all nodes to agree). */
export function apiVersionsTable(): ApiVersionRange[] {
  return [...servedApis]
    .sort((a, b) => a.apiKey - b.apiKey)
    .map((api) => ({ apiKey: api.apiKey, minVersion: api.minVersion, maxVersion: api.maxVersion }));
}

export function requestHeaderVersion(api: ApiHeaderTraits, version: number): RequestHeaderVersion {
  return version >= api.flexibleFromVersion ? 2 : 1;
}

/** ApiVersions answers with header v0 at every version so that any client can read the answer. */
export function responseHeaderVersion(api: ApiHeaderTraits, version: number): ResponseHeaderVersion {
  if (api.apiKey === ApiKey.ApiVersions) return 0;
  return version >= api.flexibleFromVersion ? 1 : 0;
}

export { ApiKey } from './api-keys.js';
export type { ApiDefinition, ApiVersionCodec } from './api-codec.js';
export { alterConfigsApi, apiVersionsApi, createPartitionsApi, createTopicsApi, deleteTopicsApi };
export { describeClusterApi, describeConfigsApi, describeQuorumApi, metadataApi };
export { addRaftVoterApi, removeRaftVoterApi, updateRaftVoterApi };
