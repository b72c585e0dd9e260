/**
 * End to end with the real kafkajs 2.2.4 Admin client against a real KafkaServer on 127.0.0.1:
 * it negotiates versions from our ApiVersions table, and every admin call it makes for topic
 * metadata is encoded by kafkajs, decoded by us, answered by an in-memory topic table written
 * for this test, encoded by us and parsed by kafkajs.
 */
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaServer } from '../../../src/kafka/server/kafka-server.js';
import { InMemoryTopicsHandler } from './in-memory-topics-handler.js';
import { RecordingLogger } from './recording-logger.js';

describe('kafkajs Admin against KafkaServer', () => {
  let server: KafkaServer;
  let handler: InMemoryTopicsHandler;
  let admin: Admin;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    let port = 0;
    handler = new InMemoryTopicsHandler({ nodeId: 1, host: '127.0.0.1', port: () => port }, 'e2e-cluster');
    server = await KafkaServer.listen({ host: '127.0.0.1', port: 0, handler, logger });
    port = server.port;
    const kafka = new Kafka({
      clientId: 'e2e-admin',
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await server?.close();
  });

  it('creates topics, waiting for leaders, and reports an existing topic as not created', async () => {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: 'orders', numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        { topic: 'payments' },
      ],
    });
    expect(created).toBe(true);
    expect(handler.topics.get('orders')?.partitionCount).toBe(3);
    expect(handler.topics.get('payments')?.partitionCount).toBe(1);
    expect(await admin.createTopics({ topics: [{ topic: 'orders' }] })).toBe(false);
  });

  it('rejects a replication factor the cluster cannot meet with Kafka’s error', async () => {
    await expect(admin.createTopics({ topics: [{ topic: 'wide', replicationFactor: 3 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR', topic: 'wide' })],
    });
  });

  it('fetches topic metadata and lists topics', async () => {
    const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
    expect(topics).toHaveLength(1);
    expect(topics[0]?.name).toBe('orders');
    expect(topics[0]?.partitions.map((p) => [p.partitionId, p.leader, p.replicas, p.isr])).toEqual([
      [0, 1, [1], [1]],
      [1, 1, [1], [1]],
      [2, 1, [1], [1]],
    ]);
    expect((await admin.listTopics()).sort()).toEqual(['orders', 'payments']);
  });

  it('creates partitions, and rejects shrinking with INVALID_PARTITIONS', async () => {
    await admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 5 }] });
    expect(handler.topics.get('orders')?.partitionCount).toBe(5);
    await expect(admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 2 }] })).rejects.toMatchObject({
      type: 'INVALID_PARTITIONS',
    });
  });

  it('describes and alters topic configs', async () => {
    const before = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders' }],
    });
    const entries = (result: typeof before) =>
      Object.fromEntries(
        (result.resources[0]?.configEntries ?? []).map((entry) => [entry.configName, [entry.configValue, entry.isDefault]]),
      );
    expect(entries(before)).toEqual({ 'cleanup.policy': ['compact', false], 'retention.ms': ['604800000', true] });

    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
    });
    const after = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['retention.ms', 'cleanup.policy'] }],
    });
    // AlterConfigs replaces the whole set: cleanup.policy falls back to its default.
    expect(entries(after)).toEqual({ 'retention.ms': ['3600000', false], 'cleanup.policy': ['delete', true] });
  });

  it('describes the cluster', async () => {
    expect(await admin.describeCluster()).toEqual({
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: server.port }],
      controller: 1,
      clusterId: 'e2e-cluster',
    });
  });

  it('deletes topics', async () => {
    await admin.deleteTopics({ topics: ['payments'] });
    expect(handler.topics.has('payments')).toBe(false);
    expect(await admin.listTopics()).toEqual(['orders']);
  });

  it('negotiated the highest version of every admin API, and closed no connection for a protocol error', () => {
    const expected = ['metadata v6', 'createTopics v3', 'deleteTopics v1', 'createPartitions v1', 'describeConfigs v2', 'alterConfigs v1'];
    expect([...new Set(handler.calls)].sort()).toEqual(expected.sort());
    expect(logger.entries.filter((entry) => entry.level === 'warn' || entry.level === 'error')).toEqual([]);
  });
});
