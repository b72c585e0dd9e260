/** DescribeCluster (key 60), versions 0-0: the definition the API table registers. Flexible from v0. */
import type { ApiDefinition } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { DescribeClusterRequest, DescribeClusterResponse } from './describe-cluster-messages.js';
import { AUTHORIZED_OPERATIONS_OMITTED } from './describe-cluster-messages.js';
import { describeClusterV0 } from './describe-cluster-v0.js';

export type {
  DescribeClusterBroker,
  DescribeClusterRequest,
  DescribeClusterResponse,
} from './describe-cluster-messages.js';

export const describeClusterApi: ApiDefinition<DescribeClusterRequest, DescribeClusterResponse> = {
  apiKey: ApiKey.DescribeCluster,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 0,
  flexibleFromVersion: 0,
  versions: [describeClusterV0],
  errorResponse: (_request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    clusterId: '',
    controllerId: -1,
    brokers: [],
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  }),
};
export { AUTHORIZED_OPERATIONS_OMITTED } from './describe-cluster-messages.js';
