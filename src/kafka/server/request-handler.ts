/**
 * What the Kafka front asks of the node: one async method per served API (ApiVersions is
 * answered by the front itself from the API table). The request handlers that turn these into
 * core operations live elsewhere; tests implement this with an in-memory topic table.
 *
 * A handler answers Kafka errors inside its response (per topic, per resource). If it throws
 * or rejects, the front logs the error and answers UNKNOWN_SERVER_ERROR for everything the
 * request named, using the API's `errorResponse`, so one bad request never drops a connection.
 * The one exception is UnanswerableRequest: a handler throws it when the API's grammar has no way
 * to say "no answer" (a Metadata request for every topic that cannot be answered linearizably),
 * and the front closes the connection, as a broker that cannot serve does; clients retry.
 */
import type { AlterConfigsRequest, AlterConfigsResponse } from '../apis/alter-configs/index.js';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '../apis/create-partitions/index.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../apis/create-topics/index.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../apis/delete-topics/index.js';
import type { DescribeClusterRequest, DescribeClusterResponse } from '../apis/describe-cluster/index.js';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from '../apis/describe-configs/index.js';
import type { DescribeQuorumRequest, DescribeQuorumResponse } from '../apis/describe-quorum/index.js';
import type { MetadataRequest, MetadataResponse } from '../apis/metadata/index.js';
import type { AddRaftVoterRequest, AddRaftVoterResponse } from '../apis/add-raft-voter/index.js';
import type { RemoveRaftVoterRequest, RemoveRaftVoterResponse } from '../apis/remove-raft-voter/index.js';
import type { UpdateRaftVoterRequest, UpdateRaftVoterResponse } from '../apis/update-raft-voter/index.js';

/** Thrown by a handler that cannot answer in its API's grammar: the connection is closed instead. */
export class UnanswerableRequest extends Error {
  override readonly name = 'UnanswerableRequest';
}

/** Who asked, and in which version: handlers may need the version for semantics (Metadata v0's "all"). */
export interface RequestContext {
  /** Unique per server, in accept order. */
  connectionId: number;
  remoteAddress: string;
  remotePort: number;
  clientId: string | null;
  correlationId: number;
  apiKey: number;
  apiVersion: number;
}

export interface KafkaRequestHandler {
  metadata(context: RequestContext, request: MetadataRequest): Promise<MetadataResponse>;
  createTopics(context: RequestContext, request: CreateTopicsRequest): Promise<CreateTopicsResponse>;
  deleteTopics(context: RequestContext, request: DeleteTopicsRequest): Promise<DeleteTopicsResponse>;
  createPartitions(context: RequestContext, request: CreatePartitionsRequest): Promise<CreatePartitionsResponse>;
  describeConfigs(context: RequestContext, request: DescribeConfigsRequest): Promise<DescribeConfigsResponse>;
  alterConfigs(context: RequestContext, request: AlterConfigsRequest): Promise<AlterConfigsResponse>;
  describeQuorum(context: RequestContext, request: DescribeQuorumRequest): Promise<DescribeQuorumResponse>;
  describeCluster(context: RequestContext, request: DescribeClusterRequest): Promise<DescribeClusterResponse>;
  /** Voter changes (KIP-853); a handler without them answers UNSUPPORTED_VERSION. */
  addRaftVoter?(context: RequestContext, request: AddRaftVoterRequest): Promise<AddRaftVoterResponse>;
  removeRaftVoter?(context: RequestContext, request: RemoveRaftVoterRequest): Promise<RemoveRaftVoterResponse>;
  updateRaftVoter?(context: RequestContext, request: UpdateRaftVoterRequest): Promise<UpdateRaftVoterResponse>;
}
