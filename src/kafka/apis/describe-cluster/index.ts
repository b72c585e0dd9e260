/** DescribeCluster (key 60): the definition the API table registers, from the tables in describe-cluster-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { AUTHORIZED_OPERATIONS_OMITTED, describeClusterRequestSchema, describeClusterResponseSchema } from './describe-cluster-schema.js';

export type DescribeClusterRequest = MessageValue<typeof describeClusterRequestSchema>;
export type DescribeClusterResponse = MessageValue<typeof describeClusterResponseSchema>;
export type DescribeClusterBroker = DescribeClusterResponse['brokers'][number];

export const describeClusterApi = defineApi({
  apiKey: ApiKey.DescribeCluster,
  request: describeClusterRequestSchema,
  response: describeClusterResponseSchema,
  errorResponse: (_request, errorCode, errorMessage) => ({
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    clusterId: '',
    controllerId: -1,
    brokers: [],
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  }),
});
export { AUTHORIZED_OPERATIONS_OMITTED } from './describe-cluster-schema.js';
