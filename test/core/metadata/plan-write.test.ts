import { describe, expect, it } from 'vitest';
import { answerRead, METADATA_ERROR_CODES, type RegisterBrokerOperation, type WriteResult } from '../../../src/core/metadata/index.js';
import { MetadataDriver } from './metadata-driver.js';

function errorOf(result: WriteResult): string {
  return result.ok ? 'accepted' : result.error;
}

function clusterOf(...brokerIds: number[]): MetadataDriver {
  const driver = new MetadataDriver();
  driver.addBrokers(...brokerIds);
  return driver;
}

describe('createTopic', () => {
  it('creates a topic with a Topic record, its configs and one Partition record per partition', () => {
    const driver = clusterOf(1, 2, 3);
    const result = driver.write({ type: 'createTopic', name: 'orders', numPartitions: 3, replicationFactor: 2, configs: { 'retention.ms': '1000' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.records.map((r) => r.type)).toEqual(['Topic', 'Config', 'Partition', 'Partition', 'Partition']);
    const topic = driver.image.topic('orders');
    expect(topic?.partitionCount).toBe(3);
    expect(result.reply).toEqual({ topicId: topic?.topicId, numPartitions: 3, replicationFactor: 2 });
    for (const p of driver.image.partitions(topic?.topicId ?? '')) {
      expect(p.replicas).toHaveLength(2);
      expect(new Set(p.replicas).size).toBe(2);
      expect(p.isr).toEqual(p.replicas);
      expect(p.leader).toBe(p.replicas[0]);
    }
    expect(driver.image.configs('topic', 'orders')).toEqual({ 'retention.ms': '1000' });
  });

  it('create of an existing topic answers TOPIC_ALREADY_EXISTS', () => {
    const driver = clusterOf(1);
    driver.must({ type: 'createTopic', name: 'a', numPartitions: 1, replicationFactor: 1 });
    const before = driver.log.length;
    const result = driver.write({ type: 'createTopic', name: 'a', numPartitions: 2, replicationFactor: 1 });
    expect(errorOf(result)).toBe('TOPIC_ALREADY_EXISTS');
    expect(!result.ok && result.code).toBe(METADATA_ERROR_CODES.TOPIC_ALREADY_EXISTS);
    expect(driver.log.length).toBe(before);
  });

  it.each([0, -2, -100, 1.5])('numPartitions %s answers INVALID_PARTITIONS', (numPartitions) => {
    expect(errorOf(clusterOf(1).write({ type: 'createTopic', name: 't', numPartitions, replicationFactor: 1 }))).toBe('INVALID_PARTITIONS');
  });

  it('more partitions in one write than partitionsPerWriteMax answers POLICY_VIOLATION naming the limit', () => {
    const driver = new MetadataDriver({ partitionsPerWriteMax: 10 });
    driver.addBrokers(1);
    const result = driver.write({ type: 'createTopic', name: 't', numPartitions: 11, replicationFactor: 1 });
    expect(errorOf(result)).toBe('POLICY_VIOLATION');
    expect(!result.ok && result.message).toContain('partitionsPerWriteMax');
    driver.must({ type: 'createTopic', name: 't', numPartitions: 10, replicationFactor: 1 });
    expect(errorOf(driver.write({ type: 'createPartitions', name: 't', totalCount: 21 }))).toBe('POLICY_VIOLATION');
    expect(driver.write({ type: 'createPartitions', name: 't', totalCount: 20 }).ok).toBe(true);
  });

  it('the default partition count is checked against the limit too', () => {
    const driver = new MetadataDriver({ partitionsPerWriteMax: 4, defaultNumPartitions: 5 });
    driver.addBrokers(1);
    expect(errorOf(driver.write({ type: 'createTopic', name: 't', numPartitions: -1, replicationFactor: 1 }))).toBe('POLICY_VIOLATION');
  });

  it('settings that make no sense are refused, naming the setting', () => {
    const driver = new MetadataDriver({ defaultNumPartitions: 0 });
    expect(() => driver.write({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 1 })).toThrow(/defaultNumPartitions/);
  });

  it.each([0, -2, 2.5])('replication factor %s answers INVALID_REPLICATION_FACTOR', (replicationFactor) => {
    expect(errorOf(clusterOf(1, 2).write({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor }))).toBe(
      'INVALID_REPLICATION_FACTOR',
    );
  });

  it('replication factor above unfenced brokers answers INVALID_REPLICATION_FACTOR', () => {
    const driver = clusterOf(1, 2, 3);
    driver.must({ type: 'fenceBroker', brokerId: 3 });
    const result = driver.write({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 3 });
    expect(errorOf(result)).toBe('INVALID_REPLICATION_FACTOR');
    expect(!result.ok && result.message).toContain('only 2 broker(s)');
  });

  it('a topic with no unfenced brokers answers INVALID_REPLICATION_FACTOR, even with the default', () => {
    const driver = new MetadataDriver();
    expect(errorOf(driver.write({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: -1 }))).toBe(
      'INVALID_REPLICATION_FACTOR',
    );
  });

  it('-1 partitions and -1 replication factor use the defaults: 1 partition, min(3, unfenced brokers) replicas', () => {
    const small = clusterOf(1, 2);
    expect(small.must({ type: 'createTopic', name: 't', numPartitions: -1, replicationFactor: -1 })).toMatchObject({
      numPartitions: 1,
      replicationFactor: 2,
    });
    const large = clusterOf(1, 2, 3, 4, 5);
    expect(large.must({ type: 'createTopic', name: 't', numPartitions: -1, replicationFactor: -1 })).toMatchObject({
      numPartitions: 1,
      replicationFactor: 3,
    });
  });

  it('configured defaults replace the built-in ones', () => {
    const driver = new MetadataDriver({ defaultNumPartitions: 6, defaultReplicationFactor: 1 });
    driver.addBrokers(1, 2, 3);
    expect(driver.must({ type: 'createTopic', name: 't', numPartitions: -1, replicationFactor: -1 })).toMatchObject({
      numPartitions: 6,
      replicationFactor: 1,
    });
  });

  it.each([
    ['', 'empty'],
    ['.', '"."'],
    ['..', '".."'],
    ['a'.repeat(250), '250 characters'],
    ['has space', 'characters other than'],
    ['ünïcode', 'characters other than'],
    ['slash/name', 'characters other than'],
  ])('invalid topic name %j answers INVALID_TOPIC_EXCEPTION (17) saying %s', (name, why) => {
    const result = clusterOf(1).write({ type: 'createTopic', name, numPartitions: 1, replicationFactor: 1 });
    expect(errorOf(result)).toBe('INVALID_TOPIC_EXCEPTION');
    expect(!result.ok && result.code).toBe(17);
    expect(!result.ok && result.message).toContain(why);
  });

  it('a name of 249 legal characters is accepted', () => {
    const name = 'a.b_c-D9'.repeat(31) + 'x';
    expect(name.length).toBe(249);
    expect(clusterOf(1).write({ type: 'createTopic', name, numPartitions: 1, replicationFactor: 1 }).ok).toBe(true);
  });

  it('a name colliding with an existing one on "." versus "_" answers INVALID_TOPIC_EXCEPTION', () => {
    const driver = clusterOf(1);
    driver.must({ type: 'createTopic', name: 'a.b', numPartitions: 1, replicationFactor: 1 });
    const result = driver.write({ type: 'createTopic', name: 'a_b', numPartitions: 1, replicationFactor: 1 });
    expect(errorOf(result)).toBe('INVALID_TOPIC_EXCEPTION');
    expect(!result.ok && result.message).toContain('collides with existing topic: a.b');
  });

  it.each([
    [{ 'no.such.config': '1' }, 'unknown topic config no.such.config'],
    [{ 'retention.ms': 'soon' }, 'retention.ms'],
    [{ 'retention.ms': '-2' }, 'retention.ms'],
    [{ 'cleanup.policy': 'shred' }, 'cleanup.policy'],
    [{ 'cleanup.policy': 'delete,delete' }, 'repeats'],
    [{ 'segment.bytes': '13' }, 'segment.bytes'],
    [{ 'min.insync.replicas': '0' }, 'min.insync.replicas'],
  ])('configs %j answer INVALID_CONFIG naming %s', (configs, named) => {
    const result = clusterOf(1).write({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 1, configs });
    expect(errorOf(result)).toBe('INVALID_CONFIG');
    expect(!result.ok && result.message).toContain(named);
  });

  it('valid configs of every supported kind are accepted', () => {
    const configs = {
      'cleanup.policy': 'compact,delete',
      'compression.type': 'zstd',
      'max.message.bytes': '1000000',
      'min.insync.replicas': '2',
      'retention.bytes': '-1',
      'retention.ms': '-1',
      'segment.bytes': '14',
      'segment.ms': '60000',
    };
    const driver = clusterOf(1);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 1, configs });
    expect(driver.image.configs('topic', 't')).toEqual(configs);
  });

  it('replicas are placed only on unfenced brokers', () => {
    const driver = clusterOf(1, 2, 3, 4);
    driver.must({ type: 'fenceBroker', brokerId: 2 });
    driver.must({ type: 'createTopic', name: 't', numPartitions: 12, replicationFactor: 3 });
    const topicId = driver.image.topic('t')?.topicId ?? '';
    for (const p of driver.image.partitions(topicId)) expect(p.replicas).not.toContain(2);
  });
});

describe('deleteTopic', () => {
  it('delete of an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION', () => {
    expect(errorOf(clusterOf(1).write({ type: 'deleteTopic', name: 'nope' }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('delete removes the topic and its configs; a topic created again under the name is new', () => {
    const driver = clusterOf(1);
    const first = driver.must<{ topicId: string }>({ type: 'createTopic', name: 't', numPartitions: 2, replicationFactor: 1, configs: { 'retention.ms': '5' } });
    expect(driver.must({ type: 'deleteTopic', name: 't' })).toEqual({ topicId: first.topicId });
    expect(driver.image.topic('t')).toBeUndefined();
    expect(driver.image.partitionCount).toBe(0);
    const second = driver.must<{ topicId: string }>({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 1 });
    expect(second.topicId).not.toBe(first.topicId);
    expect(driver.image.configs('topic', 't')).toEqual({});
  });
});

describe('createPartitions', () => {
  it('grows a topic to the total count, keeping its replication factor', () => {
    const driver = clusterOf(1, 2, 3);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 2, replicationFactor: 2 });
    expect(driver.must({ type: 'createPartitions', name: 't', totalCount: 5 })).toEqual({ totalCount: 5 });
    const topicId = driver.image.topic('t')?.topicId ?? '';
    const partitions = driver.image.partitions(topicId);
    expect(partitions.map((p) => p.partitionId)).toEqual([0, 1, 2, 3, 4]);
    for (const p of partitions) expect(p.replicas).toHaveLength(2);
  });

  it.each([2, 1, 0])('CreatePartitions to a count of %s, not above the current 2, answers INVALID_PARTITIONS', (totalCount) => {
    const driver = clusterOf(1);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 2, replicationFactor: 1 });
    expect(errorOf(driver.write({ type: 'createPartitions', name: 't', totalCount }))).toBe('INVALID_PARTITIONS');
  });

  it('CreatePartitions of an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION', () => {
    expect(errorOf(clusterOf(1).write({ type: 'createPartitions', name: 'x', totalCount: 3 }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('CreatePartitions when too few brokers remain unfenced answers INVALID_REPLICATION_FACTOR', () => {
    const driver = clusterOf(1, 2);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 2 });
    driver.must({ type: 'fenceBroker', brokerId: 2 });
    expect(errorOf(driver.write({ type: 'createPartitions', name: 't', totalCount: 2 }))).toBe('INVALID_REPLICATION_FACTOR');
  });
});

describe('alterConfigs', () => {
  it('replaces the whole set: keys left out are deleted, changed keys set, unchanged keys untouched', () => {
    const driver = clusterOf(1);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 1, configs: { 'retention.ms': '1', 'segment.ms': '2', 'cleanup.policy': 'delete' } });
    const result = driver.write({ type: 'alterConfigs', name: 't', configs: { 'retention.ms': '1', 'segment.ms': '3', 'min.insync.replicas': '2' } });
    expect(result.ok && result.records).toEqual([
      { type: 'Config', resourceType: 'topic', resourceName: 't', name: 'cleanup.policy', value: null },
      { type: 'Config', resourceType: 'topic', resourceName: 't', name: 'min.insync.replicas', value: '2' },
      { type: 'Config', resourceType: 'topic', resourceName: 't', name: 'segment.ms', value: '3' },
    ]);
    expect(answerRead(driver.image, { type: 'describeConfigs', name: 't' })).toEqual({
      ok: true,
      reply: { configs: { 'min.insync.replicas': '2', 'retention.ms': '1', 'segment.ms': '3' } },
    });
  });

  it('an alter that changes nothing still appends a NoOp, so its reply waits for a commit', () => {
    const driver = clusterOf(1);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 1 });
    const result = driver.write({ type: 'alterConfigs', name: 't', configs: {} });
    expect(result.ok && result.records).toEqual([{ type: 'NoOp' }]);
  });

  it('alter of an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION; an invalid value answers INVALID_CONFIG', () => {
    const driver = clusterOf(1);
    expect(errorOf(driver.write({ type: 'alterConfigs', name: 'x', configs: {} }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    driver.must({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 1 });
    expect(errorOf(driver.write({ type: 'alterConfigs', name: 't', configs: { 'retention.ms': 'x' } }))).toBe('INVALID_CONFIG');
  });
});

describe('brokers', () => {
  it('a registration starts fenced, with the offset of its record as broker epoch; a heartbeat unfences it', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(7);
    const reply = driver.must<{ brokerEpoch: number }>({ type: 'registerBroker', brokerId: 1, incarnationId: 'x', endpoints: [] });
    expect(reply.brokerEpoch).toBe(driver.log.length - 1);
    expect(driver.image.broker(1)?.fenced).toBe(true);
    expect(driver.must({ type: 'brokerHeartbeat', brokerId: 1, brokerEpoch: reply.brokerEpoch })).toEqual({ isFenced: false });
    expect(driver.image.unfencedBrokerIds()).toEqual([1, 7]);
  });

  it('a heartbeat with an old broker epoch answers STALE_BROKER_EPOCH; of an unknown broker BROKER_ID_NOT_REGISTERED', () => {
    const driver = clusterOf(1);
    expect(errorOf(driver.write({ type: 'brokerHeartbeat', brokerId: 1, brokerEpoch: driver.epochOf(1) + 1 }))).toBe('STALE_BROKER_EPOCH');
    expect(errorOf(driver.write({ type: 'brokerHeartbeat', brokerId: 9, brokerEpoch: 0 }))).toBe('BROKER_ID_NOT_REGISTERED');
    expect(errorOf(driver.write({ type: 'fenceBroker', brokerId: 9 }))).toBe('BROKER_ID_NOT_REGISTERED');
  });

  it('a heartbeat that changes nothing appends no records', () => {
    const driver = clusterOf(1);
    const result = driver.write({ type: 'brokerHeartbeat', brokerId: 1, brokerEpoch: driver.epochOf(1) });
    expect(result).toEqual({ ok: true, records: [], reply: { isFenced: false } });
  });

  it('a new incarnation while the old one holds a live session answers DUPLICATE_BROKER_REGISTRATION', () => {
    const live = new Set<number>();
    const driver = new MetadataDriver({}, live);
    driver.addBrokers(1);
    live.add(1);
    const again = { type: 'registerBroker' as const, brokerId: 1, incarnationId: 'another', endpoints: [] };
    expect(errorOf(driver.write(again))).toBe('DUPLICATE_BROKER_REGISTRATION');
    live.delete(1);
    expect(driver.write(again).ok).toBe(true);
    expect(driver.image.broker(1)).toMatchObject({ incarnationId: 'another', fenced: true });
  });

  const endpoint = { name: 'PLAINTEXT', host: 'h', port: 9092, securityProtocol: 'PLAINTEXT' };
  it.each<[string, Partial<RegisterBrokerOperation>, string]>([
    ['a port out of range', { endpoints: [{ ...endpoint, port: 70000 }] }, 'endpoint 0 port 70000 is not 0..65535'],
    ['an empty host', { endpoints: [{ ...endpoint, host: '' }] }, 'endpoint 0 host must be a non-empty string'],
    ['a host of 256 characters', { endpoints: [{ ...endpoint, host: 'h'.repeat(256) }] }, 'endpoint 0 host is 256 characters long'],
    ['17 endpoints', { endpoints: Array.from({ length: 17 }, () => endpoint) }, '17 endpoints are more than the 16 allowed'],
    ['an empty incarnation id', { incarnationId: '' }, 'incarnation id must be a non-empty string'],
    ['a negative broker id', { brokerId: -1 }, 'broker id -1 is not an integer'],
    ['an empty rack', { rack: '' }, 'rack must be a non-empty string'],
  ])('a registration with %s answers INVALID_REQUEST naming it', (_what, change, message) => {
    const result = new MetadataDriver().write({ type: 'registerBroker', brokerId: 1, incarnationId: 'x', endpoints: [endpoint], ...change });
    expect(errorOf(result)).toBe('INVALID_REQUEST');
    expect(!result.ok && result.message).toContain(message);
  });
});
