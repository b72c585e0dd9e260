/** DescribeQuorum (key 55): the definition the API table registers, from the tables in describe-quorum-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { describeQuorumRequestSchema, describeQuorumResponseSchema } from './describe-quorum-schema.js';

export type DescribeQuorumRequest = MessageValue<typeof describeQuorumRequestSchema>;
export type DescribeQuorumResponse = MessageValue<typeof describeQuorumResponseSchema>;
export type DescribeQuorumPartition = DescribeQuorumResponse['topics'][number]['partitions'][number];
export type ReplicaState = DescribeQuorumPartition['currentVoters'][number];
export type DescribeQuorumNode = DescribeQuorumResponse['nodes'][number];

export const describeQuorumApi = defineApi({
  apiKey: ApiKey.DescribeQuorum,
  request: describeQuorumRequestSchema,
  response: describeQuorumResponseSchema,
  errorResponse: (_request, errorCode, errorMessage) => ({ errorCode, errorMessage, topics: [], nodes: [] }),
});
