import { describe, expect, it } from 'vitest';
import { UnanswerableRequest } from '../../../src/kafka/server/request-handler.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import { metadataApi } from '../../../src/kafka/apis/metadata/index.js';
import { encodeResponseFrame } from '../../../src/kafka/apis/message-frames.js';
import { EAGER_PARTITIONS_MAX } from '../../../src/kafka/handlers/metadata-handler.js';
import { BROKER_PORT_BASE, CLUSTER_ID } from './port-cluster.js';
import { context, settledCluster, withSeed } from './handler-fixture.js';

describe('Metadata', () => {
  it('lists the unfenced brokers with the endpoint of the listener asked for, the cluster id and a real controller id', async () => {
    const { cluster, handler } = settledCluster();
    const plain = await handler(2).metadata(context, { topics: [], allowAutoTopicCreation: false });
    expect(plain.clusterId).toBe(CLUSTER_ID);
    expect(plain.controllerId, withSeed('controller id')).toBe(cluster.leaderId());
    expect(plain.brokers).toEqual([1, 2, 3].map((id) => ({ nodeId: id, host: '127.0.0.1', port: BROKER_PORT_BASE + id, rack: null })));
    const internal = await handler(2, { listenerName: 'INTERNAL' }).metadata(context, { topics: [], allowAutoTopicCreation: false });
    expect(internal.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(['10.0.0.1:9092', '10.0.0.2:9092', '10.0.0.3:9092']);
  });

  it('describes a topic created through another node: leader, replicas, ISR, no offline replicas', async () => {
    const fixture = settledCluster();
    expect(await fixture.createTopic(1, { name: 'orders', numPartitions: 3 })).toMatchObject({ errorCode: ErrorCode.NONE });
    const response = await fixture.handler(3).metadata(context, { topics: ['orders'], allowAutoTopicCreation: false });
    const topic = response.topics[0]!;
    expect(topic).toMatchObject({ errorCode: ErrorCode.NONE, name: 'orders', isInternal: false });
    expect(topic.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2]);
    for (const partition of topic.partitions) {
      expect(partition.errorCode).toBe(ErrorCode.NONE);
      expect([...partition.replicaNodes].sort()).toEqual([1, 2, 3]);
      expect([...partition.isrNodes].sort()).toEqual([1, 2, 3]);
      expect(partition.replicaNodes).toContain(partition.leaderId);
      expect(partition.offlineReplicas).toEqual([]);
    }
  });

  it('answers every topic, sorted, when the request names none (null): at once when linearizable', async () => {
    const fixture = settledCluster();
    for (const name of ['b', 'a', 'c']) await fixture.createTopic(1, { name });
    const linearizable = fixture.handler(2, { readConsistency: 'linearizable' });
    const response = await linearizable.metadata(context, { topics: null, allowAutoTopicCreation: true });
    expect(response.topics.map((t) => t.name)).toEqual(['a', 'b', 'c']);
  });

  it('answers every topic from the local image when cached, which catches up within a fetch', async () => {
    const fixture = settledCluster();
    for (const name of ['b', 'a', 'c']) await fixture.createTopic(1, { name });
    fixture.cluster.run(fixture.cluster.nowMs + 1000);
    const response = await fixture.handler(2).metadata(context, { topics: null, allowAutoTopicCreation: true });
    expect(response.topics.map((t) => t.name)).toEqual(['a', 'b', 'c']);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist, and never creates it', async () => {
    const { handler } = settledCluster();
    const response = await handler(1).metadata(context, { topics: ['missing'], allowAutoTopicCreation: true });
    expect(response.topics[0]).toMatchObject({ name: 'missing', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partitions: [] });
    const again = await handler(2).metadata(context, { topics: null, allowAutoTopicCreation: true });
    expect(again.topics).toEqual([]);
  });

  it('answers INVALID_TOPIC_EXCEPTION for an illegal topic name', async () => {
    const { handler } = settledCluster();
    const response = await handler(1).metadata(context, { topics: ['bad name!'], allowAutoTopicCreation: false });
    expect(response.topics[0]!.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  it('answers LEADER_NOT_AVAILABLE, not UNKNOWN_TOPIC_OR_PARTITION, for a created topic this node has not applied', async () => {
    const fixture = settledCluster();
    const leader = fixture.cluster.leaderId()!;
    const lagging = [1, 2, 3].find((id) => id !== leader)!;
    fixture.cluster.isolate(lagging);
    expect(await fixture.createTopic(leader, { name: 'fresh' })).toMatchObject({ errorCode: ErrorCode.NONE });
    const handler = fixture.handler(lagging, { defaultRequestTimeoutMs: 300 });
    const during = await handler.metadata(context, { topics: ['fresh'], allowAutoTopicCreation: false });
    expect(during.topics[0]!.errorCode, withSeed('a topic the lagging node has not applied')).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    fixture.cluster.isolate(lagging, false);
    const after = await fixture.handler(lagging).metadata(context, { topics: ['fresh'], allowAutoTopicCreation: false });
    expect(after.topics[0]!.errorCode, withSeed('after the partition heals')).toBe(ErrorCode.NONE);
  });

  it('with linearizable reads, a node cut off from the leader answers LEADER_NOT_AVAILABLE even for topics it holds', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 'held' });
    const leader = fixture.cluster.leaderId()!;
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    fixture.cluster.run(fixture.cluster.nowMs + 1000);
    expect(fixture.cluster.nodes.get(follower)!.committedImage.topic('held')).toBeDefined();
    fixture.cluster.isolate(follower);
    const handler = fixture.handler(follower, { readConsistency: 'linearizable', defaultRequestTimeoutMs: 300 });
    const response = await handler.metadata(context, { topics: ['held'], allowAutoTopicCreation: false });
    expect(response.topics[0]!.errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    const cached = await fixture.handler(follower).metadata(context, { topics: ['held'], allowAutoTopicCreation: false });
    expect(cached.topics[0]!.errorCode, 'a cached read answers from the local image').toBe(ErrorCode.NONE);
  });

  it('with linearizable reads, a node cut off from the leader does not answer a request for every topic (the connection closes)', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 'held' });
    const leader = fixture.cluster.leaderId()!;
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    fixture.cluster.run(fixture.cluster.nowMs + 1000);
    fixture.cluster.isolate(follower);
    // Its image may be stale or empty (a broker restarted into a partition): a list from it would
    // carry no error saying so, so there is no answer at all.
    const handler = fixture.handler(follower, { readConsistency: 'linearizable', defaultRequestTimeoutMs: 300 });
    await expect(handler.metadata(context, { topics: null, allowAutoTopicCreation: false })).rejects.toBeInstanceOf(UnanswerableRequest);
    const cached = await fixture.handler(follower).metadata(context, { topics: null, allowAutoTopicCreation: false });
    expect(cached.topics.map((topic) => topic.name), 'a cached read lists the local image').toEqual(['held']);
  });

  it('drops a fenced broker from the broker list and lists it among the offline replicas', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 'spread', numPartitions: 3 });
    const leader = fixture.cluster.leaderId()!;
    const victim = [1, 2, 3].find((id) => id !== leader)!;
    fixture.cluster.isolate(victim);
    // Past broker.session.timeout.ms (9 s), the controller fences the silent broker.
    fixture.cluster.run(fixture.cluster.nowMs + 15_000);
    const response = await fixture.handler(leader).metadata(context, { topics: ['spread'], allowAutoTopicCreation: false });
    expect(response.brokers.map((b) => b.nodeId), withSeed('brokers after fencing')).toEqual([1, 2, 3].filter((id) => id !== victim));
    for (const partition of response.topics[0]!.partitions) {
      expect(partition.offlineReplicas).toEqual([victim]);
      expect(partition.isrNodes).not.toContain(victim);
      expect(partition.leaderId).not.toBe(victim);
    }
  });

  it('a response past EAGER_PARTITIONS_MAX builds each topic\'s partitions only as they are read, from the image as it was, with the same bytes', async () => {
    const fixture = settledCluster();
    const per = 10_000;
    const topics = Math.ceil((EAGER_PARTITIONS_MAX + 1) / per);
    for (let t = 0; t < topics; t++) {
      expect(await fixture.createTopic(1, { name: `big-${t}`, numPartitions: per }, 60_000)).toMatchObject({ errorCode: ErrorCode.NONE });
    }
    // Linearizable: node 2 answers once it applied every topic.
    const handler = fixture.handler(2, { readConsistency: 'linearizable' });
    const lazy = await handler.metadata(context, { topics: null, allowAutoTopicCreation: false });
    // Not built yet: each topic's partitions are a getter.
    expect(Object.getOwnPropertyDescriptor(lazy.topics[0]!, 'partitions')?.get).toBeTypeOf('function');
    // Changes after the answer was given do not show in it.
    expect(await fixture.createTopic(1, { name: 'big-0x', numPartitions: 1 })).toMatchObject({ errorCode: ErrorCode.NONE });
    // The same bytes as answers built topic by topic (each under the eager limit).
    const eager = { ...lazy, topics: [] as typeof lazy.topics };
    for (const topic of lazy.topics) {
      const one = await handler.metadata(context, { topics: [topic.name], allowAutoTopicCreation: false });
      eager.topics.push(one.topics[0]!);
    }
    expect(encodeResponseFrame(metadataApi, 6, 7, lazy).equals(encodeResponseFrame(metadataApi, 6, 7, eager))).toBe(true);
    expect(lazy.topics.map((t) => t.name)).not.toContain('big-0x');
  });
});
