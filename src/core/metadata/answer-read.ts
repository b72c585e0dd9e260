/**
 * Answers read operations from an image. The host decides which image (for a linearizable read:
 * its committed image once it has applied the leader's read index). Pure and deterministic.
 */
import { metadataError } from './errors.js';
import type { MetadataImage } from './image.js';
import type {
  DescribeClusterReply,
  DescribeTopicReply,
  MetadataReadOperation,
  PartitionDescription,
  ReadReplies,
  ReadResult,
} from './operations.js';

export function answerRead(image: MetadataImage, op: MetadataReadOperation): ReadResult {
  switch (op.type) {
    case 'describeTopic':
      return describeTopic(image, op.name);
    case 'listTopics':
      return answered<'listTopics'>({ topics: image.topicNames() });
    case 'describeConfigs':
      if (image.topic(op.name) === undefined) return unknownTopic(op.name);
      return answered<'describeConfigs'>({ configs: image.configs('topic', op.name) });
    case 'describeCluster':
      return answered<'describeCluster'>(describeCluster(image));
    default:
      return metadataError('INVALID_REQUEST', `unknown read operation ${JSON.stringify((op as { type?: unknown }).type)}`);
  }
}

function describeTopic(image: MetadataImage, name: string): ReadResult {
  const topic = image.topic(name);
  if (topic === undefined) return unknownTopic(name);
  const isFenced = (id: number): boolean => image.broker(id)?.fenced !== false;
  const partitions: PartitionDescription[] = image.partitions(topic.topicId).map((p) => ({
    partitionId: p.partitionId,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicas: [...p.replicas],
    isr: [...p.isr],
    offlineReplicas: p.replicas.filter(isFenced),
  }));
  const reply: DescribeTopicReply = { name: topic.name, topicId: topic.topicId, partitions };
  return answered<'describeTopic'>(reply);
}

function describeCluster(image: MetadataImage): DescribeClusterReply {
  const reply: DescribeClusterReply = { brokers: [], fencedBrokerIds: [] };
  for (const broker of image.brokers()) {
    if (broker.fenced) {
      reply.fencedBrokerIds.push(broker.brokerId);
    } else {
      reply.brokers.push({
        brokerId: broker.brokerId,
        endpoints: broker.endpoints.map((e) => ({ ...e })),
        rack: broker.rack,
      });
    }
  }
  return reply;
}

function answered<K extends keyof ReadReplies>(reply: ReadReplies[K]): ReadResult {
  return { ok: true, reply };
}

function unknownTopic(name: string): ReadResult {
  return metadataError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic: ${name}`);
}
