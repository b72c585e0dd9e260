/**
 * Metadata (key 3): the brokers, the cluster id, a controller id clients can use, and per topic
 * its partitions (leader, replicas, ISR, offline replicas). Auto topic creation is off.
 *
 * Why a topic the client just created is never UNKNOWN_TOPIC_OR_PARTITION: CreateTopics is
 * acknowledged once committed, and the next Metadata may reach a node that has not applied it
 * yet. A named topic missing from this node's image is therefore checked with a read index from
 * the leader (a linearizable listTopics, answered once this node has applied everything the
 * leader had committed): if it still is missing it truly does not exist; if the read cannot be
 * had (no leader, timeout) the topic is LEADER_NOT_AVAILABLE, which clients retry.
 *
 * A linearizable request for every topic whose read index cannot be had is not answered at all
 * (UnanswerableRequest: the connection closes): the list it could give is this node's possibly
 * stale image, and an empty or short list carries no per-topic error that would say so (a broker
 * restarted into a partition answered `[]` for existing topics; found by the simulator).
 *
 * Large answers (every topic of a two-million-partition cluster) are never built whole: past
 * EAGER_PARTITIONS_MAX partitions, each topic's partitions are built when the server's encoder
 * reads them, one topic at a time, from a copy-on-write clone of the image taken now (so they
 * show the image as it was when the topics were listed), and dropped once encoded. With the frame
 * encoded in place (message-frames.ts), the response exists once in memory: as its bytes.
 */
import { answerRead, topicNameProblem, type DescribeTopicReply, type MetadataImage } from '../../core/metadata/index.js';
import type { MetadataPartition, MetadataRequest, MetadataResponse, MetadataTopic } from '../apis/metadata/index.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { advertisedBrokers } from './broker-listeners.js';
import type { ResolvedHandlerOptions } from './handler-options.js';
import { answerOf } from './kafka-answer.js';
import type { MetadataPort } from './metadata-port.js';
import { UnanswerableRequest } from '../server/request-handler.js';
import { submitWithRetry } from './submit-with-retry.js';

export async function handleMetadata(
  port: MetadataPort, options: ResolvedHandlerOptions, request: MetadataRequest,
): Promise<MetadataResponse> {
  const needsReadIndex = options.readConsistency === 'linearizable' ||
    (request.topics ?? []).some((name) => topicNameProblem(name) === null && port.localImage().topic(name) === undefined);
  let readIndexFailed = false;
  if (needsReadIndex) {
    const response = await submitWithRetry(port, options.clock, { type: 'listTopics' }, options.defaultRequestTimeoutMs, 'linearizable');
    readIndexFailed = !answerOf(response, 'Metadata read').ok;
  }
  const image = port.localImage();
  const names = request.topics ?? image.topicNames();
  // A linearizable answer that could not be had must not be given from a possibly stale image.
  const unavailable = readIndexFailed && options.readConsistency === 'linearizable';
  if (unavailable && request.topics === null) {
    throw new UnanswerableRequest('no read index could be had for a linearizable list of every topic');
  }
  return {
    throttleTimeMs: 0,
    brokers: advertisedBrokers(image, options.listenerName),
    clusterId: port.clusterId,
    controllerId: port.controllerIdForClients(),
    topics: unavailable ? names.map((name) => topicError(name, ErrorCode.LEADER_NOT_AVAILABLE)) : describeTopics(image, names, readIndexFailed),
  };
}

/** Past this many partitions, a response's partitions are built lazily (see the module comment). */
export const EAGER_PARTITIONS_MAX = 100_000;

function describeTopics(image: MetadataImage, names: readonly string[], readIndexFailed: boolean): MetadataTopic[] {
  let partitions = 0;
  for (const name of names) partitions += image.topic(name)?.partitionCount ?? 0;
  if (partitions <= EAGER_PARTITIONS_MAX) return names.map((name) => describeTopic(image, name, readIndexFailed));
  const frozen = image.clone();
  const offline = offlineReplicasOf(frozen);
  return names.map((name): MetadataTopic => {
    const topic = topicNameProblem(name) === null ? frozen.topic(name) : undefined;
    if (topic === undefined) return describeTopic(frozen, name, readIndexFailed);
    return {
      errorCode: ErrorCode.NONE, name, isInternal: false,
      // Read once, by the encoder; built then, and garbage once this topic is encoded.
      get partitions(): MetadataPartition[] {
        return frozen.partitions(topic.topicId).map((p) => ({
          errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
          partitionIndex: p.partitionId,
          leaderId: p.leader,
          // The image's interned lists, shared and frozen: the encoder only reads them.
          replicaNodes: p.replicas as number[],
          isrNodes: p.isr as number[],
          offlineReplicas: offline(p.replicas),
        }));
      },
    };
  });
}

/** Offline replicas (not on a live broker) of a replica list, worked out once per interned list. */
function offlineReplicasOf(image: MetadataImage): (replicas: readonly number[]) => number[] {
  const byList = new Map<readonly number[], number[]>();
  return (replicas) => {
    let offline = byList.get(replicas);
    if (offline === undefined) {
      offline = replicas.filter((id) => image.broker(id)?.fenced !== false);
      byList.set(replicas, offline);
    }
    return offline;
  };
}

function describeTopic(image: MetadataImage, name: string, readIndexFailed: boolean): MetadataTopic {
  if (topicNameProblem(name) !== null) return topicError(name, ErrorCode.INVALID_TOPIC_EXCEPTION);
  const answer = answerRead(image, { type: 'describeTopic', name });
  if (!answer.ok) {
    return topicError(name, readIndexFailed ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  }
  const topic = answer.reply as DescribeTopicReply;
  return {
    errorCode: ErrorCode.NONE,
    name,
    isInternal: false,
    partitions: topic.partitions.map((p) => ({
      // Kafka marks a partition without a leader so clients refresh and retry.
      errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: p.partitionId,
      leaderId: p.leader,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: p.offlineReplicas,
    })),
  };
}

function topicError(name: string, errorCode: number): MetadataTopic {
  return { errorCode, name, isInternal: false, partitions: [] };
}
