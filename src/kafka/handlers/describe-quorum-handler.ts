/**
 * DescribeQuorum (key 55): the leader's view of the metadata quorum (leader id and epoch, high
 * watermark, each voter's and observer's log end offset and fetch timestamps), for
 * `kafka-metadata-quorum describe` and `quorumd describe`. Asked of the leader by the port when
 * this node is not it. Kafka's rules: the request must name __cluster_metadata partition 0
 * (else UNKNOWN_TOPIC_OR_PARTITION); with no known leader the partition answers
 * NOT_LEADER_OR_FOLLOWER.
 */
import type { QuorumDescription, ReplicaDescription } from '../../core/quorum-description.js';
import { ZERO_UUID } from '../protocol/uuid.js';
import type {
  DescribeQuorumNode, DescribeQuorumPartition, DescribeQuorumRequest, DescribeQuorumResponse, ReplicaState,
} from '../apis/describe-quorum/index.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { HandlerClock } from './handler-clock.js';
import type { ResolvedHandlerOptions } from './handler-options.js';
import type { MetadataPort } from './metadata-port.js';

export const METADATA_TOPIC_NAME = '__cluster_metadata';

export async function handleDescribeQuorum(
  port: MetadataPort, options: ResolvedHandlerOptions, request: DescribeQuorumRequest,
): Promise<DescribeQuorumResponse> {
  const topic = request.topics.length === 1 ? request.topics[0]! : undefined;
  const valid = topic !== undefined && topic.topicName === METADATA_TOPIC_NAME &&
    topic.partitions.length === 1 && topic.partitions[0]!.partitionIndex === 0;
  if (!valid) return single(errorPartition(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  const response = await port.describeQuorum(options.defaultRequestTimeoutMs);
  if (response.outcome !== 'ok') {
    options.logger.debug('describe quorum unanswered', { outcome: response.outcome, error: response.error.code, message: response.error.message });
    return single(errorPartition(ErrorCode.NOT_LEADER_OR_FOLLOWER));
  }
  const description = response.result;
  const toWallMs = wallClockOf(port, options.clock);
  const replicaState = (replica: ReplicaDescription): ReplicaState => ({
    replicaId: replica.nodeId,
    replicaDirectoryId: replica.directoryId ?? ZERO_UUID,
    logEndOffset: int64(replica.logEndOffset),
    lastFetchTimestamp: int64(toWallMs(replica.lastFetchTimestampMs)),
    lastCaughtUpTimestamp: int64(toWallMs(replica.lastCaughtUpTimestampMs)),
  });
  return single({
    partitionIndex: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    leaderId: description.leaderId,
    leaderEpoch: description.leaderEpoch,
    highWatermark: int64(description.highWatermark),
    currentVoters: description.voters.map(replicaState),
    observers: description.observers.map(replicaState),
  }, nodesOf(description));
}

/** The voters' listeners (v2, KIP-853), as the voter set lists them. */
function nodesOf(description: QuorumDescription): DescribeQuorumNode[] {
  return description.voters.map((voter) => ({ nodeId: voter.nodeId, listeners: voter.endpoints.map((endpoint) => ({ ...endpoint })) }));
}

function single(partition: DescribeQuorumPartition, nodes: DescribeQuorumNode[] = []): DescribeQuorumResponse {
  return { errorCode: ErrorCode.NONE, errorMessage: null, topics: [{ topicName: METADATA_TOPIC_NAME, partitions: [partition] }], nodes };
}

function errorPartition(errorCode: number): DescribeQuorumPartition {
  return {
    partitionIndex: 0, errorCode, errorMessage: null, leaderId: -1, leaderEpoch: -1, highWatermark: -1n, currentVoters: [], observers: [],
  };
}

/**
 * Maps a host-clock timestamp onto the wall clock (negative ones mean unknown and stay -1). The
 * leader stamped them on its own host clock; on one machine (loopback, or containers sharing a
 * kernel's monotonic clock) that is this node's clock too, elsewhere the error is the clocks' skew.
 */
function wallClockOf(port: MetadataPort, clock: HandlerClock): (hostMs: number) => number {
  if (port.hostNowMs === undefined) return (hostMs) => hostMs;
  const offsetMs = clock.wallNowMs() - port.hostNowMs();
  return (hostMs) => (hostMs < 0 ? -1 : hostMs + offsetMs);
}

/** Hosts may keep time in fractional milliseconds; the wire carries whole ones. */
function int64(value: number): bigint {
  return BigInt(Math.floor(value));
}
