/**
 * The real kafkajs Admin against three combined quorumd processes: every admin call the
 * harness uses, with the answers and Kafka errors a Kafka cluster would give.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, errorTypes } from './support/admin-client.js';
import { LocalCluster } from './support/local-cluster.js';

let cluster: LocalCluster;
let admin: Admin;

beforeAll(async () => {
  cluster = await LocalCluster.start({ controllers: 3 });
  admin = await connectAdmin(cluster.bootstrapServers);
}, 60_000);

afterAll(async () => {
  await admin?.disconnect();
  await cluster?.stop();
});

/** The offsets every node's event log says it committed so far. */
function committedOffsets(): Set<number> {
  const offsets = new Set<number>();
  for (const id of [1, 2, 3]) {
    const path = join(cluster.directory, `data-${id}`, 'quorumd-events.jsonl');
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.includes('"committed"')) continue;
      const event = JSON.parse(line) as { kind: string; offset?: number };
      if (event.kind === 'committed' && event.offset !== undefined) offsets.add(event.offset);
    }
  }
  return offsets;
}

describe('kafkajs Admin against 3 combined quorumd nodes', () => {
  it('describeCluster lists the three brokers, a real controller and the formatted cluster id', async () => {
    const description = await admin.describeCluster();
    expect(description.clusterId).toBe(cluster.clusterId);
    expect(description.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect([1, 2, 3]).toContain(description.controller);
    for (const broker of description.brokers) expect(`${broker.host}:${broker.port}`).toBe(`127.0.0.1:${cluster.node(broker.nodeId).brokerPort}`);
  });

  it('createTopics, then fetchTopicMetadata and listTopics see the topic on any broker at once', async () => {
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 3 }] })).toBe(true);
    const metadata = await admin.fetchTopicMetadata({ topics: ['orders'] });
    const partitions = metadata.topics[0]!.partitions;
    expect(partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    for (const partition of partitions) {
      expect([...partition.replicas].sort()).toEqual([1, 2, 3]);
      expect(partition.isr.length).toBe(3);
      expect(partition.replicas).toContain(partition.leader);
    }
    for (const server of cluster.bootstrapServers) {
      const one = await connectAdmin([server]);
      try {
        expect(await one.listTopics()).toContain('orders');
      } finally {
        await one.disconnect();
      }
    }
    // kafkajs reports an existing topic as false rather than an error.
    expect(await admin.createTopics({ topics: [{ topic: 'orders' }] })).toBe(false);
  });

  it('createTopics of many topics is one write: one batch in the metadata log, and each topic answered on its own', async () => {
    // KRaft plans a whole CreateTopics request as one write; one topic per write put 300 entries in the log.
    const offsetsBefore = committedOffsets();
    const names = Array.from({ length: 300 }, (_, i) => `many-${i}`);
    expect(await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 3 })) })).toBe(true);
    const listed = new Set(await admin.listTopics());
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
    const added = [...committedOffsets()].filter((offset) => !offsetsBefore.has(offset));
    expect(added.length, `log entries committed for 300 topics: ${added.join(', ')}`).toBeGreaterThanOrEqual(1);
    expect(added.length).toBeLessThanOrEqual(5);
    // One request, several answers: kafkajs reports every error but TOPIC_ALREADY_EXISTS; the good topic is created.
    const errors = await errorTypes(admin.createTopics({ topics: [{ topic: 'many-fresh' }, { topic: 'many-0' }, { topic: 'many bad!' }] }));
    expect(errors.sort()).toEqual(['INVALID_TOPIC_EXCEPTION', 'TOPIC_ALREADY_EXISTS']);
    expect(await admin.listTopics()).toContain('many-fresh');
  });

  it('createTopics refuses bad requests with Kafka\'s error codes', async () => {
    const create = (topic: Record<string, unknown>) => admin.createTopics({ topics: [{ topic: 'x', ...topic } as never] });
    expect(await errorTypes(create({ topic: 'bad name!' }))).toEqual(['INVALID_TOPIC_EXCEPTION']);
    expect(await errorTypes(create({ topic: 'no-partitions', numPartitions: 0 }))).toEqual(['INVALID_PARTITIONS']);
    expect(await errorTypes(create({ topic: 'too-many-replicas', replicationFactor: 5 }))).toEqual(['INVALID_REPLICATION_FACTOR']);
    expect(await errorTypes(create({ topic: 'bad-config', configEntries: [{ name: 'retention.ms', value: 'never' }] }))).toEqual(['INVALID_CONFIG']);
    expect(await errorTypes(create({ topic: 'assigned', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }))).toEqual(['INVALID_REQUEST']);
    expect(await admin.listTopics()).not.toContain('no-partitions');
  });

  it('validateOnly creates nothing', async () => {
    // waitForLeaders off: kafkajs would otherwise wait for the leaders of a topic that was never meant to exist.
    expect(await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'dry-run', numPartitions: 2 }] })).toBe(true);
    expect(await admin.listTopics()).not.toContain('dry-run');
  });

  it('createPartitions grows a topic and refuses a count at or below the current one', async () => {
    await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 4 }] });
    const metadata = await admin.fetchTopicMetadata({ topics: ['grow'] });
    expect(metadata.topics[0]!.partitions.length).toBe(4);
    expect(await errorTypes(admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 4 }] }))).toEqual(['INVALID_PARTITIONS']);
    expect(await errorTypes(admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 2 }] }))).toEqual(['INVALID_PARTITIONS']);
    expect(await errorTypes(admin.createPartitions({ topicPartitions: [{ topic: 'no-such-topic', count: 2 }] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
  });

  it('describeConfigs and alterConfigs: a full replace of the topic\'s configs', async () => {
    await admin.createTopics({ topics: [{ topic: 'configured', configEntries: [{ name: 'retention.ms', value: '1000' }, { name: 'cleanup.policy', value: 'compact' }] }] });
    const TOPIC = 2;
    const setConfigs = async (): Promise<Record<string, string>> => {
      const described = await admin.describeConfigs({ resources: [{ type: TOPIC, name: 'configured' }], includeSynonyms: false });
      const entries = described.resources[0]!.configEntries.filter((e) => !e.isDefault);
      return Object.fromEntries(entries.map((e) => [e.configName, e.configValue]));
    };
    expect(await setConfigs()).toEqual({ 'cleanup.policy': 'compact', 'retention.ms': '1000' });
    await admin.alterConfigs({ resources: [{ type: TOPIC, name: 'configured', configEntries: [{ name: 'segment.ms', value: '60000' }] }], validateOnly: false });
    expect(await setConfigs()).toEqual({ 'segment.ms': '60000' });
    expect(await errorTypes(admin.alterConfigs({
      resources: [{ type: TOPIC, name: 'configured', configEntries: [{ name: 'segment.ms', value: 'soon' }] }], validateOnly: false,
    }))).toEqual(['INVALID_CONFIG']);
    expect(await errorTypes(admin.describeConfigs({ resources: [{ type: TOPIC, name: 'no-such-topic' }], includeSynonyms: false })))
      .toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
    const broker = await admin.describeConfigs({ resources: [{ type: 4, name: '1' }], includeSynonyms: false });
    expect(broker.resources[0]).toMatchObject({ errorCode: 0, configEntries: [] });
  });

  it('deleteTopics removes a topic everywhere; deleting an unknown topic is UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await admin.createTopics({ topics: [{ topic: 'doomed' }] });
    await admin.deleteTopics({ topics: ['doomed'] });
    expect(await admin.listTopics()).not.toContain('doomed');
    expect(await errorTypes(admin.deleteTopics({ topics: ['doomed'] }))).toEqual(['UNKNOWN_TOPIC_OR_PARTITION']);
  });
});
