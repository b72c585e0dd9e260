/** DescribeQuorum (key 55), versions 0-1: the definition the API table registers. Flexible from v0. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { DescribeQuorumRequest, DescribeQuorumResponse } from './describe-quorum-messages.js';
import { describeQuorumV0 } from './describe-quorum-v0.js';
import { describeQuorumV1 } from './describe-quorum-v1.js';

export type {
  DescribeQuorumPartition,
  DescribeQuorumRequest,
  DescribeQuorumResponse,
  ReplicaState,
} from './describe-quorum-messages.js';

export const describeQuorumApi: ApiDefinition<DescribeQuorumRequest, DescribeQuorumResponse> = {
  apiKey: ApiKey.DescribeQuorum,
  name: 'DescribeQuorum',
  minVersion: 0,
  maxVersion: 1,
  flexibleFromVersion: 0,
  versions: [describeQuorumV0, describeQuorumV1],
  errorResponse: (_request, errorCode) => ({ errorCode, topics: [] }),
};
