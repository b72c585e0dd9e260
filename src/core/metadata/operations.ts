/**
 * The operations the metadata state machine answers: writes, which the active controller turns
 * into records (plan-write.ts), and reads, answered from an image (answer-read.ts). Also the
 * context a write is planned in and the shapes of the answers. The Kafka front translates Kafka
 * requests into these; the simulator's clients issue them directly.
 */
import type { MetadataError } from './errors.js';
import type { BrokerEndpoint, MetadataRecord } from './records.js';
import type { TopicIdSource } from './topic-ids.js';

// ---- writes ----

export interface CreateTopicOperation {
  type: 'createTopic';
  name: string;
  /** -1: the cluster default. */
  numPartitions: number;
  /** -1: the cluster default. */
  replicationFactor: number;
  configs?: Record<string, string>;
}

/**
 * A whole CreateTopics request as one write, as KRaft's controller plans it: one plan, one batch of
 * records for every topic accepted, one answer with a result per topic (in request order). Each
 * topic is judged as if the ones before it in the request had been created: a name given twice
 * is TOPIC_ALREADY_EXISTS the second time (the Kafka front refuses duplicates before, as
 * INVALID_REQUEST), and a name colliding with an earlier one ('a.b', 'a_b') is refused.
 */
export interface CreateTopicsOperation {
  type: 'createTopics';
  topics: CreateTopicSpec[];
}

/** One topic of a CreateTopics write. */
export type CreateTopicSpec = Omit<CreateTopicOperation, 'type'>;

export interface DeleteTopicOperation {
  type: 'deleteTopic';
  name: string;
}

/** Grow a topic to `totalCount` partitions in all. */
export interface CreatePartitionsOperation {
  type: 'createPartitions';
  name: string;
  totalCount: number;
}

/** A full replace of a topic's configs, as KRaft's legacy (non-incremental) AlterConfigs. */
export interface AlterConfigsOperation {
  type: 'alterConfigs';
  name: string;
  configs: Record<string, string>;
}

export interface RegisterBrokerOperation {
  type: 'registerBroker';
  brokerId: number;
  incarnationId: string;
  endpoints: BrokerEndpoint[];
  rack?: string | null;
}

export interface BrokerHeartbeatOperation {
  type: 'brokerHeartbeat';
  brokerId: number;
  brokerEpoch: number;
  /** The broker asks to be fenced (it is shutting down); false or absent: unfence when fenced. */
  wantFence?: boolean;
}

/** The controller fences a broker whose session expired (broker-sessions.ts decides which). */
export interface FenceBrokerOperation {
  type: 'fenceBroker';
  brokerId: number;
}

export type MetadataWriteOperation =
  | CreateTopicOperation
  | CreateTopicsOperation
  | DeleteTopicOperation
  | CreatePartitionsOperation
  | AlterConfigsOperation
  | RegisterBrokerOperation
  | BrokerHeartbeatOperation
  | FenceBrokerOperation;

// ---- reads ----

export interface DescribeTopicOperation {
  type: 'describeTopic';
  name: string;
}
export interface ListTopicsOperation {
  type: 'listTopics';
}
export interface DescribeConfigsOperation {
  type: 'describeConfigs';
  name: string;
}
export interface DescribeClusterOperation {
  type: 'describeCluster';
}

export type MetadataReadOperation =
  | DescribeTopicOperation
  | ListTopicsOperation
  | DescribeConfigsOperation
  | DescribeClusterOperation;

export type MetadataOperation = MetadataWriteOperation | MetadataReadOperation;

export const WRITE_OPERATION_TYPES: readonly MetadataWriteOperation['type'][] = [
  'createTopic',
  'createTopics',
  'deleteTopic',
  'createPartitions',
  'alterConfigs',
  'registerBroker',
  'brokerHeartbeat',
  'fenceBroker',
];

export function isWriteOperation(op: MetadataOperation): op is MetadataWriteOperation {
  return (WRITE_OPERATION_TYPES as readonly string[]).includes(op.type);
}

// ---- the planning context ----

/** Cluster settings that shape writes; every field has a Kafka-like default (see DEFAULT_SETTINGS). */
export interface MetadataSettings {
  /** num.partitions: partitions of a topic created with numPartitions -1. */
  defaultNumPartitions: number;
  /**
   * default.replication.factor for replicationFactor -1; null means min(3, unfenced brokers),
   * so a small test cluster still accepts defaults.
   */
  defaultReplicationFactor: number | null;
  /**
   * Most partitions one write may create; beyond it POLICY_VIOLATION, as KRaft answers (its bound
   * is 10,000, to keep one operation's records in one atomic batch).
   */
  partitionsPerWriteMax: number;
}

export const DEFAULT_SETTINGS: Readonly<MetadataSettings> = Object.freeze({
  defaultNumPartitions: 1,
  defaultReplicationFactor: null,
  partitionsPerWriteMax: 10_000,
});

export interface PlanContext {
  /**
   * The offset the first record of this write will be appended at. A registration's broker epoch
   * is this offset, as in Kafka: unique and increasing without a counter of its own.
   */
  nextOffset: number;
  /** Where new topic ids come from (topic-ids.ts). */
  newTopicId: TopicIdSource;
  settings?: Partial<MetadataSettings>;
  /**
   * Whether the broker still holds a live session with the controller (broker-sessions.ts). A
   * registration with a new incarnation id while the old one is live is refused as a duplicate.
   * Absent: no broker has a live session.
   */
  hasLiveSession?: (brokerId: number) => boolean;
  /**
   * Brokers being fenced by a fencing still under way (planned a slice per turn): new replicas are
   * not placed on them and no partition elects them. Absent: none.
   */
  isLeaving?: (brokerId: number) => boolean;
}

// ---- answers ----

export interface CreateTopicReply {
  topicId: string;
  numPartitions: number;
  replicationFactor: number;
}
/** Per topic, in request order: created, or why not. */
export interface CreateTopicsReply {
  topics: (CreateTopicReply | MetadataError)[];
}
export interface DeleteTopicReply {
  topicId: string;
}
export interface CreatePartitionsReply {
  totalCount: number;
}
export type AlterConfigsReply = Record<string, never>;
export interface RegisterBrokerReply {
  brokerEpoch: number;
}
export interface BrokerHeartbeatReply {
  /** Whether the broker is fenced once this heartbeat's records (if any) are applied. */
  isFenced: boolean;
}
export interface FenceBrokerReply {
  fenced: true;
}

export interface WriteReplies {
  createTopic: CreateTopicReply;
  createTopics: CreateTopicsReply;
  deleteTopic: DeleteTopicReply;
  createPartitions: CreatePartitionsReply;
  alterConfigs: AlterConfigsReply;
  registerBroker: RegisterBrokerReply;
  brokerHeartbeat: BrokerHeartbeatReply;
  fenceBroker: FenceBrokerReply;
}

/**
 * An accepted write: the records to append, and the reply to give once they are committed and
 * applied. `records` may be empty (a heartbeat that changes nothing): reply at once.
 */
export interface WritePlan<R = WriteReplies[keyof WriteReplies]> {
  ok: true;
  records: MetadataRecord[];
  reply: R;
}

export type WriteResult<R = WriteReplies[keyof WriteReplies]> = WritePlan<R> | MetadataError;

export interface PartitionDescription {
  partitionId: number;
  /** A broker id, or -1 when the partition has no leader. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  /** Replicas on fenced brokers, as Kafka's Metadata response lists them. */
  offlineReplicas: number[];
}

export interface DescribeTopicReply {
  name: string;
  topicId: string;
  partitions: PartitionDescription[];
}
export interface ListTopicsReply {
  /** Every topic name, sorted. */
  topics: string[];
}
export interface DescribeConfigsReply {
  /** Only the configs set on the topic (not defaults), keys sorted. */
  configs: Record<string, string>;
}
export interface BrokerDescription {
  brokerId: number;
  endpoints: BrokerEndpoint[];
  rack: string | null;
}
export interface DescribeClusterReply {
  /** Registered, unfenced brokers by id: the ones Metadata answers list. */
  brokers: BrokerDescription[];
  /** Registered but fenced broker ids, ascending. */
  fencedBrokerIds: number[];
}

export interface ReadReplies {
  describeTopic: DescribeTopicReply;
  listTopics: ListTopicsReply;
  describeConfigs: DescribeConfigsReply;
  describeCluster: DescribeClusterReply;
}

export type ReadResult<R = ReadReplies[keyof ReadReplies]> = { ok: true; reply: R } | MetadataError;
