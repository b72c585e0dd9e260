/**
 * The vocabulary of topic-metadata operations as they appear in histories: the `f` names and the
 * shapes of `value` at invoke and at ok. Every recorder (simulator clients, kafkajs clients) writes
 * these, and the checker's `topics` model reads them. Kafka error names are used as they are.
 *
 * A definite answer that carries information is an `ok` whose value says so (for example a create
 * answered TOPIC_ALREADY_EXISTS is `{ok, value: {error: "TOPIC_ALREADY_EXISTS"}}`), so the model
 * checks it. An answer that says the request certainly had no effect for reasons the model does
 * not track (INVALID_REPLICATION_FACTOR with too few brokers, a request rejected before reaching the
 * controller) is a `fail`. A timeout or lost connection is `info`.
 */

export const TOPIC_FUNCTIONS = [
  'create-topic',
  'delete-topic',
  'create-partitions',
  'alter-config',
  'describe-topic',
  'describe-configs',
  'list-topics',
] as const;
export type TopicFunction = (typeof TOPIC_FUNCTIONS)[number];

/** Error names a topic operation may answer with inside an `ok` value. */
export type TopicErrorName =
  | 'TOPIC_ALREADY_EXISTS'
  | 'UNKNOWN_TOPIC_OR_PARTITION'
  | 'INVALID_PARTITIONS'
  | 'INVALID_REPLICATION_FACTOR'
  | 'INVALID_CONFIG'
  | 'INVALID_REQUEST';

export interface TopicError {
  error: TopicErrorName;
  message?: string;
}

// Invocation values.
export interface CreateTopicInput {
  name: string;
  partitions: number;
  /** -1 or absent: the cluster default. */
  replicationFactor?: number;
  configs?: Record<string, string>;
}
export interface DeleteTopicInput { name: string }
/** Grow the topic to `count` partitions in all. */
export interface CreatePartitionsInput { name: string; count: number }
/** A full replace of the topic's configs, as KRaft's (non-incremental) AlterConfigs does. */
export interface AlterConfigInput { name: string; configs: Record<string, string> }
export interface DescribeTopicInput { name: string }
export interface DescribeConfigsInput { name: string }
export type ListTopicsInput = Record<string, never>;

// Completion values of `ok` operations.
export type CreateTopicOutput = { created: true; topicId?: string } | TopicError;
export type DeleteTopicOutput = { deleted: true } | TopicError;
export type CreatePartitionsOutput = { partitions: number } | TopicError;
export type AlterConfigOutput = { altered: true } | TopicError;
export type DescribeTopicOutput = { name: string; partitions: number; topicId?: string } | TopicError;
/** Only the configs set on the topic (not defaults). */
export type DescribeConfigsOutput = { configs: Record<string, string> } | TopicError;
/** Every topic name, sorted. */
export type ListTopicsOutput = { topics: string[] };

export function isTopicError(value: unknown): value is TopicError {
  return typeof value === 'object' && value !== null && typeof (value as TopicError).error === 'string';
}
