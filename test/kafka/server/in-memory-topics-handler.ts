/**
 * A KafkaRequestHandler over an in-memory topic table, written for tests of the Kafka front:
 * just enough broker behaviour (Kafka's error codes for existing, unknown and invalid topics,
 * AlterConfigs replacing a topic's configs) for kafkajs's Admin client to run end to end. The
 * real handlers, backed by the quorum, come later and do not share this code.
 */
import { ZERO_UUID } from '../../../src/kafka/protocol/uuid.js';
import { AUTHORIZED_OPERATIONS_OMITTED } from '../../../src/kafka/apis/describe-cluster/index.js';
import { ConfigResourceType, ConfigSource } from '../../../src/kafka/apis/describe-configs/index.js';
import type { DescribeConfigsResourceConfig, DescribeConfigsResult } from '../../../src/kafka/apis/describe-configs/index.js';
import type { AlterConfigsRequest, AlterConfigsResponse } from '../../../src/kafka/apis/alter-configs/index.js';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '../../../src/kafka/apis/create-partitions/index.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../../../src/kafka/apis/create-topics/index.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../../../src/kafka/apis/delete-topics/index.js';
import type { DescribeClusterResponse } from '../../../src/kafka/apis/describe-cluster/index.js';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from '../../../src/kafka/apis/describe-configs/index.js';
import type { DescribeQuorumResponse } from '../../../src/kafka/apis/describe-quorum/index.js';
import type { MetadataRequest, MetadataResponse, MetadataTopic } from '../../../src/kafka/apis/metadata/index.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import type { KafkaRequestHandler, RequestContext } from '../../../src/kafka/server/request-handler.js';

interface Topic {
  partitionCount: number;
  configs: Map<string, string>;
}

/** A bound so that fuzzed requests cannot make the test table (and every Metadata answer) huge. */
const PARTITIONS_MAX = 1000;

const TOPIC_CONFIG_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ['cleanup.policy', 'delete'],
  ['retention.ms', '604800000'],
]);

export class InMemoryTopicsHandler implements KafkaRequestHandler {
  readonly topics = new Map<string, Topic>();
  /** Every call as `<method> v<version>`, so tests can see which versions a client negotiated. */
  readonly calls: string[] = [];

  constructor(
    private readonly broker: { nodeId: number; host: string; port: () => number },
    private readonly clusterId = 'in-memory-cluster',
  ) {}

  async metadata(context: RequestContext, request: MetadataRequest): Promise<MetadataResponse> {
    this.calls.push(`metadata v${context.apiVersion}`);
    const names = request.topics ?? [...this.topics.keys()];
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: this.broker.nodeId, host: this.broker.host, port: this.broker.port(), rack: null }],
      clusterId: this.clusterId,
      controllerId: this.broker.nodeId,
      topics: names.map((name) => this.describeTopic(name)),
    };
  }

  async createTopics(context: RequestContext, request: CreateTopicsRequest): Promise<CreateTopicsResponse> {
    this.calls.push(`createTopics v${context.apiVersion}`);
    const topics = request.topics.map((topic) => {
      const fail = (errorCode: number, errorMessage: string) => ({ name: topic.name, errorCode, errorMessage });
      if (this.topics.has(topic.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic.name}' already exists.`);
      if (topic.replicationFactor > 1) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'Only one broker is available.');
      const partitionCount = topic.assignments.length > 0 ? topic.assignments.length : topic.numPartitions === -1 ? 1 : topic.numPartitions;
      if (partitionCount < 1 || partitionCount > PARTITIONS_MAX) {
        return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be in [1, ${PARTITIONS_MAX}].`);
      }
      if (!request.validateOnly) {
        const configs = new Map(topic.configs.flatMap((c) => (c.value === null ? [] : [[c.name, c.value] as const])));
        this.topics.set(topic.name, { partitionCount, configs });
      }
      return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    return { throttleTimeMs: 0, topics };
  }

  async deleteTopics(context: RequestContext, request: DeleteTopicsRequest): Promise<DeleteTopicsResponse> {
    this.calls.push(`deleteTopics v${context.apiVersion}`);
    const responses = request.topicNames.map((name) => ({
      name,
      errorCode: this.topics.delete(name) ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    }));
    return { throttleTimeMs: 0, responses };
  }

  async createPartitions(context: RequestContext, request: CreatePartitionsRequest): Promise<CreatePartitionsResponse> {
    this.calls.push(`createPartitions v${context.apiVersion}`);
    const results = request.topics.map((requested) => {
      const topic = this.topics.get(requested.name);
      if (topic === undefined) {
        return { name: requested.name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
      }
      if (requested.count > PARTITIONS_MAX) {
        return { name: requested.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `at most ${PARTITIONS_MAX}` };
      }
      if (requested.count <= topic.partitionCount) {
        const message = `Topic currently has ${topic.partitionCount} partitions, which is higher than the requested ${requested.count}.`;
        return { name: requested.name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: message };
      }
      if (!request.validateOnly) topic.partitionCount = requested.count;
      return { name: requested.name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    return { throttleTimeMs: 0, results };
  }

  async describeConfigs(context: RequestContext, request: DescribeConfigsRequest): Promise<DescribeConfigsResponse> {
    this.calls.push(`describeConfigs v${context.apiVersion}`);
    const results = request.resources.map((resource): DescribeConfigsResult => {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      const topic = this.topics.get(resource.resourceName);
      if (resource.resourceType !== ConfigResourceType.TOPIC || topic === undefined) {
        return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'no such topic', configs: [] };
      }
      const keys = resource.configurationKeys ?? [...TOPIC_CONFIG_DEFAULTS.keys()];
      const configs = keys.flatMap((name): DescribeConfigsResourceConfig[] => {
        const set = topic.configs.get(name);
        const fallback = TOPIC_CONFIG_DEFAULTS.get(name);
        if (set === undefined && fallback === undefined) return [];
        const isDefault = set === undefined;
        return [
          {
            name,
            value: set ?? fallback ?? null,
            readOnly: false,
            isDefault,
            configSource: isDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.TOPIC_CONFIG,
            isSensitive: false,
            synonyms: [],
          },
        ];
      });
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
    });
    return { throttleTimeMs: 0, results };
  }

  async alterConfigs(context: RequestContext, request: AlterConfigsRequest): Promise<AlterConfigsResponse> {
    this.calls.push(`alterConfigs v${context.apiVersion}`);
    const responses = request.resources.map((resource) => {
      const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
      const topic = this.topics.get(resource.resourceName);
      if (resource.resourceType !== ConfigResourceType.TOPIC || topic === undefined) {
        return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'no such topic' };
      }
      const unknown = resource.configs.find((config) => !TOPIC_CONFIG_DEFAULTS.has(config.name));
      if (unknown !== undefined) return { ...base, errorCode: ErrorCode.INVALID_CONFIG, errorMessage: `unknown config ${unknown.name}` };
      if (!request.validateOnly) {
        // AlterConfigs replaces the whole set of a resource's configs.
        topic.configs = new Map(resource.configs.flatMap((c) => (c.value === null ? [] : [[c.name, c.value] as const])));
      }
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    return { throttleTimeMs: 0, responses };
  }

  async describeQuorum(context: RequestContext): Promise<DescribeQuorumResponse> {
    this.calls.push(`describeQuorum v${context.apiVersion}`);
    const voter = { replicaId: this.broker.nodeId, replicaDirectoryId: ZERO_UUID, logEndOffset: 10n, lastFetchTimestamp: -1n, lastCaughtUpTimestamp: -1n };
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      nodes: [],
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            { partitionIndex: 0, errorCode: 0, errorMessage: null, leaderId: this.broker.nodeId, leaderEpoch: 1, highWatermark: 10n, currentVoters: [voter], observers: [] },
          ],
        },
      ],
    };
  }

  async describeCluster(context: RequestContext): Promise<DescribeClusterResponse> {
    this.calls.push(`describeCluster v${context.apiVersion}`);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      clusterId: this.clusterId,
      controllerId: this.broker.nodeId,
      brokers: [{ brokerId: this.broker.nodeId, host: this.broker.host, port: this.broker.port(), rack: null }],
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  }

  private describeTopic(name: string): MetadataTopic {
    const topic = this.topics.get(name);
    if (topic === undefined) {
      return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, isInternal: false, partitions: [] };
    }
    const id = this.broker.nodeId;
    const partitions = Array.from({ length: topic.partitionCount }, (_, partitionIndex) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex,
      leaderId: id,
      replicaNodes: [id],
      isrNodes: [id],
      offlineReplicas: [],
    }));
    return { errorCode: ErrorCode.NONE, name, isInternal: false, partitions };
  }
}
