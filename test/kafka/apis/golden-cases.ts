/**
 * The golden cases: for each served API version that kafkajs 2.2.4 speaks, the arguments kafkajs
 * encodes a request from, what our decoder must read from those bytes, a response we encode,
 * and what kafkajs must read from our bytes. Expectations are written out per version from the
 * schemas, not computed by our own code.
 */
import {
  alterConfigsApi,
  apiVersionsApi,
  apiVersionsTable,
  createPartitionsApi,
  createTopicsApi,
  deleteTopicsApi,
  describeConfigsApi,
  metadataApi,
  type AnyApiDefinition,
} from '../../../src/kafka/apis/index.js';
import { ConfigSource } from '../../../src/kafka/apis/describe-configs/index.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';

export interface GoldenCase {
  /** Also the fixture file stem under fixtures/kafka/. */
  name: string;
  api: AnyApiDefinition;
  version: number;
  kafkajsApiName: string;
  kafkajsArgs?: object;
  expectedRequest: unknown;
  response: unknown;
  /** Matched with toMatchObject against kafkajs's decode followed by its parse. */
  expectedKafkajsResponse?: Record<string, unknown>;
  /** When kafkajs's parse must throw: the kafkajs error type it must carry. */
  expectedKafkajsErrorType?: string;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** kafkajs reports the throttle time as clientSideThrottleTime from the KIP-219 versions on. */
function throttle(kip219: boolean, throttleTimeMs: number): Record<string, number> {
  return kip219 ? { throttleTime: 0, clientSideThrottleTime: throttleTimeMs } : { throttleTime: throttleTimeMs };
}

const apiVersionsCases: GoldenCase[] = range(0, 2).map((version) => ({
  name: `api-versions-v${version}`,
  api: apiVersionsApi as AnyApiDefinition,
  version,
  kafkajsApiName: 'ApiVersions',
  expectedRequest: {},
  response: { errorCode: ErrorCode.NONE, apiKeys: apiVersionsTable(), throttleTimeMs: 3 },
  expectedKafkajsResponse: {
    errorCode: 0,
    apiVersions: [
      { apiKey: 3, minVersion: 0, maxVersion: 6 },
      { apiKey: 18, minVersion: 0, maxVersion: 2 },
      { apiKey: 19, minVersion: 0, maxVersion: 3 },
      { apiKey: 20, minVersion: 0, maxVersion: 1 },
      { apiKey: 32, minVersion: 0, maxVersion: 2 },
      { apiKey: 33, minVersion: 0, maxVersion: 1 },
      { apiKey: 37, minVersion: 0, maxVersion: 1 },
      { apiKey: 55, minVersion: 0, maxVersion: 2 },
      { apiKey: 60, minVersion: 0, maxVersion: 0 },
      { apiKey: 80, minVersion: 0, maxVersion: 0 },
      { apiKey: 81, minVersion: 0, maxVersion: 0 },
      { apiKey: 82, minVersion: 0, maxVersion: 0 },
    ],
    ...(version === 0 ? {} : throttle(version >= 2, 3)),
  },
}));

function metadataResponse() {
  return {
    throttleTimeMs: 7,
    brokers: [
      { nodeId: 1, host: 'node-1.quorum', port: 9092, rack: 'rack-a' },
      { nodeId: 2, host: 'node-2.quorum', port: 9093, rack: null },
    ],
    clusterId: 'q-cluster-Ax9',
    controllerId: 2,
    topics: [
      {
        errorCode: 0,
        name: 'orders',
        isInternal: false,
        partitions: [
          { errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1, 2], isrNodes: [1, 2], offlineReplicas: [] },
          { errorCode: 0, partitionIndex: 1, leaderId: 2, replicaNodes: [2, 1, 3], isrNodes: [2], offlineReplicas: [3] },
        ],
      },
    ],
  };
}

function kafkajsMetadata(version: number): Record<string, unknown> {
  const v1 = version >= 1;
  const partition = (id: number, leader: number, replicas: number[], isr: number[], offline: number[]) => ({
    partitionErrorCode: 0,
    partitionId: id,
    leader,
    replicas,
    isr,
    ...(version >= 5 ? { offlineReplicas: offline } : {}),
  });
  return {
    brokers: [
      { nodeId: 1, host: 'node-1.quorum', port: 9092, ...(v1 ? { rack: 'rack-a' } : {}) },
      { nodeId: 2, host: 'node-2.quorum', port: 9093, ...(v1 ? { rack: null } : {}) },
    ],
    ...(v1 ? { controllerId: 2 } : {}),
    ...(version >= 2 ? { clusterId: 'q-cluster-Ax9' } : {}),
    ...(version >= 3 ? throttle(version >= 6, 7) : {}),
    topicMetadata: [
      {
        topicErrorCode: 0,
        topic: 'orders',
        ...(v1 ? { isInternal: false } : {}),
        partitionMetadata: [partition(0, 1, [1, 2], [1, 2], []), partition(1, 2, [2, 1, 3], [2], [3])],
      },
    ],
  };
}

const metadataCases: GoldenCase[] = range(0, 6).flatMap((version) => [
  {
    name: `metadata-v${version}`,
    api: metadataApi as AnyApiDefinition,
    version,
    kafkajsApiName: 'Metadata',
    kafkajsArgs: { topics: ['orders', 'payments'], allowAutoTopicCreation: false },
    expectedRequest: { topics: ['orders', 'payments'], allowAutoTopicCreation: version < 4 },
    response: metadataResponse(),
    expectedKafkajsResponse: kafkajsMetadata(version),
  },
  {
    // kafkajs asks for every topic with an empty list, which it writes as null from v1 on.
    name: `metadata-v${version}-all-topics`,
    api: metadataApi as AnyApiDefinition,
    version,
    kafkajsApiName: 'Metadata',
    kafkajsArgs: { topics: [] },
    expectedRequest: { topics: null, allowAutoTopicCreation: true },
    response: { ...metadataResponse(), topics: [] },
    expectedKafkajsResponse: { ...kafkajsMetadata(version), topicMetadata: [] },
  },
]);

const createTopicsCases: GoldenCase[] = range(0, 3).flatMap((version) => {
  const kafkajsArgs = {
    topics: [
      {
        topic: 'orders',
        numPartitions: 3,
        replicationFactor: 2,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'retention.ms', value: '86400000' },
        ],
      },
      { topic: 'placed', replicaAssignment: [{ partition: 0, replicas: [1, 2] }, { partition: 1, replicas: [2, 3] }] },
    ],
    validateOnly: true,
    timeout: 4500,
  };
  const expectedRequest = {
    topics: [
      {
        name: 'orders',
        numPartitions: 3,
        replicationFactor: 2,
        assignments: [],
        configs: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'retention.ms', value: '86400000' },
        ],
      },
      {
        name: 'placed',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [
          { partitionIndex: 0, brokerIds: [1, 2] },
          { partitionIndex: 1, brokerIds: [2, 3] },
        ],
        configs: [],
      },
    ],
    timeoutMs: 4500,
    validateOnly: version >= 1,
  };
  const ok = {
    name: `create-topics-v${version}`,
    api: createTopicsApi as AnyApiDefinition,
    version,
    kafkajsApiName: 'CreateTopics',
    kafkajsArgs,
    expectedRequest,
    response: {
      throttleTimeMs: 11,
      topics: [
        { name: 'placed', errorCode: 0, errorMessage: null },
        { name: 'orders', errorCode: 0, errorMessage: null },
      ],
    },
    expectedKafkajsResponse: {
      ...(version >= 2 ? throttle(version >= 3, 11) : {}),
      // kafkajs sorts the topics by name.
      topicErrors: [
        { topic: 'orders', errorCode: 0, ...(version >= 1 ? { errorMessage: null } : {}) },
        { topic: 'placed', errorCode: 0, ...(version >= 1 ? { errorMessage: null } : {}) },
      ],
    },
  };
  const exists = {
    ...ok,
    name: `create-topics-v${version}-already-exists`,
    response: {
      throttleTimeMs: 0,
      topics: [
        { name: 'orders', errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: "Topic 'orders' already exists." },
        { name: 'placed', errorCode: 0, errorMessage: null },
      ],
    },
    expectedKafkajsResponse: undefined,
    expectedKafkajsErrorType: 'TOPIC_ALREADY_EXISTS',
  };
  return [ok, exists];
});

const deleteTopicsCases: GoldenCase[] = range(0, 1).map((version) => ({
  name: `delete-topics-v${version}`,
  api: deleteTopicsApi as AnyApiDefinition,
  version,
  kafkajsApiName: 'DeleteTopics',
  kafkajsArgs: { topics: ['orders', 'payments'], timeout: 3000 },
  expectedRequest: { topicNames: ['orders', 'payments'], timeoutMs: 3000 },
  response: {
    throttleTimeMs: 5,
    responses: [
      { name: 'payments', errorCode: 0 },
      { name: 'orders', errorCode: 0 },
    ],
  },
  expectedKafkajsResponse: {
    ...(version >= 1 ? throttle(true, 5) : {}),
    topicErrors: [
      { topic: 'orders', errorCode: 0 },
      { topic: 'payments', errorCode: 0 },
    ],
  },
}));

const deleteUnknownCase: GoldenCase = {
  ...(deleteTopicsCases[1] as GoldenCase),
  name: 'delete-topics-v1-unknown-topic',
  response: {
    throttleTimeMs: 0,
    responses: [
      { name: 'orders', errorCode: 0 },
      { name: 'payments', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    ],
  },
  expectedKafkajsResponse: undefined,
  expectedKafkajsErrorType: 'UNKNOWN_TOPIC_OR_PARTITION',
};

const createPartitionsCases: GoldenCase[] = range(0, 1).map((version) => ({
  name: `create-partitions-v${version}`,
  api: createPartitionsApi as AnyApiDefinition,
  version,
  kafkajsApiName: 'CreatePartitions',
  kafkajsArgs: {
    topicPartitions: [
      { topic: 'orders', count: 5 },
      { topic: 'placed', count: 3, assignments: [[1, 2], [3, 1]] },
    ],
    validateOnly: false,
    timeout: 2500,
  },
  expectedRequest: {
    topics: [
      // kafkajs writes an empty assignment list as null (the controller places the partitions).
      { name: 'orders', count: 5, assignments: null },
      { name: 'placed', count: 3, assignments: [{ brokerIds: [1, 2] }, { brokerIds: [3, 1] }] },
    ],
    timeoutMs: 2500,
    validateOnly: false,
  },
  response: {
    throttleTimeMs: 9,
    results: [
      { name: 'orders', errorCode: 0, errorMessage: null },
      { name: 'placed', errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: 'Topic already has 3 partitions.' },
    ],
  },
  expectedKafkajsErrorType: 'INVALID_PARTITIONS',
}));

const createPartitionsOkCase: GoldenCase = {
  ...(createPartitionsCases[1] as GoldenCase),
  name: 'create-partitions-v1-ok',
  response: { throttleTimeMs: 9, results: [{ name: 'orders', errorCode: 0, errorMessage: null }] },
  expectedKafkajsErrorType: undefined,
  expectedKafkajsResponse: { ...throttle(true, 9), topicErrors: [{ topic: 'orders', errorCode: 0, errorMessage: null }] },
};

const describeConfigsCases: GoldenCase[] = range(0, 2).map((version) => ({
  name: `describe-configs-v${version}`,
  api: describeConfigsApi as AnyApiDefinition,
  version,
  kafkajsApiName: 'DescribeConfigs',
  kafkajsArgs: {
    resources: [
      { type: 2, name: 'orders', configNames: ['cleanup.policy', 'retention.ms'] },
      { type: 4, name: '1' },
    ],
    includeSynonyms: true,
  },
  expectedRequest: {
    resources: [
      { resourceType: 2, resourceName: 'orders', configurationKeys: ['cleanup.policy', 'retention.ms'] },
      { resourceType: 4, resourceName: '1', configurationKeys: null },
    ],
    includeSynonyms: version >= 1,
  },
  response: {
    throttleTimeMs: 4,
    results: [
      {
        errorCode: 0,
        errorMessage: null,
        resourceType: 2,
        resourceName: 'orders',
        configs: [
          {
            name: 'cleanup.policy',
            value: 'compact',
            readOnly: false,
            isDefault: false,
            configSource: ConfigSource.TOPIC_CONFIG,
            isSensitive: false,
            synonyms: [{ name: 'cleanup.policy', value: 'compact', source: ConfigSource.TOPIC_CONFIG }],
          },
          {
            name: 'retention.ms',
            value: '604800000',
            readOnly: false,
            isDefault: true,
            configSource: ConfigSource.DEFAULT_CONFIG,
            isSensitive: false,
            synonyms: [],
          },
        ],
      },
    ],
  },
  expectedKafkajsResponse: {
    ...throttle(version >= 2, 4),
    resources: [
      {
        errorCode: 0,
        errorMessage: null,
        resourceType: 2,
        resourceName: 'orders',
        configEntries: [
          {
            configName: 'cleanup.policy',
            configValue: 'compact',
            readOnly: false,
            isDefault: false,
            configSource: ConfigSource.TOPIC_CONFIG,
            isSensitive: false,
            ...(version >= 1
              ? { configSynonyms: [{ configName: 'cleanup.policy', configValue: 'compact', configSource: 1 }] }
              : {}),
          },
          {
            configName: 'retention.ms',
            configValue: '604800000',
            readOnly: false,
            isDefault: true,
            configSource: ConfigSource.DEFAULT_CONFIG,
            isSensitive: false,
          },
        ],
      },
    ],
  },
}));

const alterConfigsCases: GoldenCase[] = range(0, 1).map((version) => ({
  name: `alter-configs-v${version}`,
  api: alterConfigsApi as AnyApiDefinition,
  version,
  kafkajsApiName: 'AlterConfigs',
  kafkajsArgs: {
    resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
    validateOnly: true,
  },
  expectedRequest: {
    resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '3600000' }] }],
    validateOnly: true,
  },
  response: {
    throttleTimeMs: 2,
    responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' }],
  },
  expectedKafkajsResponse: {
    ...throttle(version >= 1, 2),
    resources: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' }],
  },
}));

const alterConfigsErrorCase: GoldenCase = {
  ...(alterConfigsCases[0] as GoldenCase),
  name: 'alter-configs-v0-invalid-config',
  response: {
    throttleTimeMs: 0,
    responses: [{ errorCode: ErrorCode.INVALID_CONFIG, errorMessage: 'bad value', resourceType: 2, resourceName: 'orders' }],
  },
  expectedKafkajsResponse: undefined,
  expectedKafkajsErrorType: 'INVALID_CONFIG',
};

export const goldenCases: readonly GoldenCase[] = [
  ...apiVersionsCases,
  ...metadataCases,
  ...createTopicsCases,
  ...deleteTopicsCases,
  deleteUnknownCase,
  ...createPartitionsCases,
  createPartitionsOkCase,
  ...describeConfigsCases,
  ...alterConfigsCases,
  alterConfigsErrorCase,
];
