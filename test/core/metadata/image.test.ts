import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRecords,
  imageDigest,
  MetadataImage,
  MetadataInvariantError,
  planWrite,
  rebuildLatest,
  topicIdSourceFrom,
  type MetadataRecord,
  type MetadataWriteOperation,
} from '../../../src/core/metadata/index.js';
import { MetadataDriver } from './metadata-driver.js';
import { randomOperation, runRandomWorkload, seededRandom } from './random-workload.js';

const SEED = Number(process.env.METADATA_TEST_SEED ?? 841);
const TOPIC_ID = '0123456789abcdef0123456789abcdef';

const forkTopicIds = topicIdSourceFrom('fork');

/** Plans a write on the clone directly (the driver owns its own image); refusals append nothing. */
function plan(image: MetadataImage, op: MetadataWriteOperation, nextOffset: number): MetadataRecord[] {
  const result = planWrite(image, op, { nextOffset, newTopicId: forkTopicIds });
  return result.ok ? result.records : [];
}

function replay(log: readonly MetadataRecord[]): MetadataImage {
  return applyRecords(MetadataImage.empty(), log);
}

describe('copy-on-write clones', () => {
  it('a clone and its original evolve independently: each equals a fresh replay of its own log', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (workloadSeed) => {
        const random = seededRandom(workloadSeed);
        const original = new MetadataDriver();
        runRandomWorkload(original, random, 60);
        const forkLog = [...original.log];
        const fork = original.image.clone();
        const forkDigestAtClone = imageDigest(fork);
        // Writes to the original must not reach the clone...
        runRandomWorkload(original, random, 60);
        expect(imageDigest(fork)).toBe(forkDigestAtClone);
        // ...and writes to the clone must not reach the original.
        const originalDigest = imageDigest(original.image);
        for (let i = 0; i < 60; i++) {
          const records = plan(fork, randomOperation(random, original), forkLog.length);
          for (const record of records) {
            fork.apply(record);
            forkLog.push(record);
          }
        }
        expect(imageDigest(original.image)).toBe(originalDigest);
        expect(imageDigest(original.image)).toBe(imageDigest(replay(original.log)));
        expect(imageDigest(fork)).toBe(imageDigest(replay(forkLog)));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('a clone shares every map until one side writes it: a write to topics, names, brokers or configs on any of three images shows on that one alone', () => {
    const topicA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const topicB = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    const broker = (brokerId: number, brokerEpoch: number): MetadataRecord => ({
      type: 'RegisterBroker', brokerId, incarnationId: `i${brokerId}`, brokerEpoch, endpoints: [], rack: null, fenced: false,
    });
    const config = (name: string, value: string | null): MetadataRecord => ({ type: 'Config', resourceType: 'topic', resourceName: 'a', name, value });
    const base: MetadataRecord[] = [
      broker(1, 1), broker(2, 2),
      { type: 'Topic', name: 'a', topicId: topicA },
      { type: 'Partition', topicId: topicA, partitionId: 0, replicas: [1, 2], isr: [1, 2], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
      config('retention.ms', '1000'), config('segment.ms', '2000'),
    ];
    const original = replay(base);
    // A snapshot of the original, and the image a restart would take from that snapshot.
    const snapshot = original.clone();
    const restarted = snapshot.clone();
    const logs = { original: [...base], snapshot: [...base], restarted: [...base] };
    const write = (name: keyof typeof logs, image: MetadataImage, records: MetadataRecord[]): void => {
      for (const record of records) image.apply(record);
      logs[name].push(...records);
    };
    write('original', original, [
      config('retention.ms', null), config('segment.ms', '3000'), broker(3, 3),
      { type: 'Topic', name: 'b', topicId: topicB },
    ]);
    write('restarted', restarted, [
      config('segment.ms', null), { type: 'FenceBroker', brokerId: 2, brokerEpoch: 2 },
      { type: 'PartitionChange', topicId: topicA, partitionId: 0, isr: [1], leader: null },
    ]);
    write('snapshot', snapshot, [
      { type: 'Topic', name: 'a.b', topicId: topicB },
      { type: 'Config', resourceType: 'topic', resourceName: 'a.b', name: 'retention.ms', value: '5' },
    ]);
    for (const [name, image] of [['original', original], ['snapshot', snapshot], ['restarted', restarted]] as const) {
      expect(imageDigest(image), name).toBe(imageDigest(replay(logs[name])));
    }
    expect(original.configs('topic', 'a')).toEqual({ 'segment.ms': '3000' });
    expect(snapshot.configs('topic', 'a')).toEqual({ 'retention.ms': '1000', 'segment.ms': '2000' });
    expect(restarted.configs('topic', 'a')).toEqual({ 'retention.ms': '1000' });
    expect(snapshot.configResourceNames('topic')).toEqual(['a', 'a.b']);
    expect(original.configResourceNames('topic')).toEqual(['a']);
    expect(snapshot.collidingTopic('a_b')).toBe('a.b');
    expect(original.collidingTopic('a_b')).toBeUndefined();
    expect(original.broker(2)?.fenced).toBe(false);
    expect(snapshot.broker(3)).toBeUndefined();
    expect(restarted.partition(topicA, 0)?.isr).toEqual([1]);
    expect(original.partition(topicA, 0)?.isr).toEqual([1, 2]);
    restarted.apply({ type: 'RemoveTopic', topicId: topicA });
    expect(restarted.configResourceNames('topic')).toEqual([]);
    expect(original.configs('topic', 'a')).toEqual({ 'segment.ms': '3000' });
    expect(snapshot.partition(topicA, 0)?.isr).toEqual([1, 2]);
  });

  it('unfencedBrokerIds follows every broker record, on an image and on its clone alike', () => {
    const register = (brokerId: number, brokerEpoch: number, fenced: boolean): MetadataRecord => ({
      type: 'RegisterBroker', brokerId, incarnationId: `i${brokerId}`, brokerEpoch, endpoints: [], rack: null, fenced,
    });
    const image = replay([register(3, 1, false), register(1, 2, false), register(2, 3, true)]);
    expect(image.unfencedBrokerIds()).toEqual([1, 3]);
    const clone = image.clone();
    image.apply({ type: 'UnfenceBroker', brokerId: 2, brokerEpoch: 3 });
    expect(image.unfencedBrokerIds()).toEqual([1, 2, 3]);
    expect(clone.unfencedBrokerIds()).toEqual([1, 3]);
    clone.apply({ type: 'FenceBroker', brokerId: 3, brokerEpoch: 1 });
    expect(clone.unfencedBrokerIds()).toEqual([1]);
    image.apply(register(1, 4, true));
    expect(image.unfencedBrokerIds()).toEqual([2, 3]);
    expect(clone.unfencedBrokerIds()).toEqual([1]);
  });

  it('topicNames follows every topic record, on an image and on its clone alike, and its list is the caller\'s', () => {
    const topic = (name: string, n: number): MetadataRecord => ({ type: 'Topic', name, topicId: n.toString(16).padStart(32, '0') });
    const image = replay([topic('b', 1), topic('c', 2), topic('a', 3)]);
    expect(image.topicNames()).toEqual(['a', 'b', 'c']);
    const clone = image.clone();
    image.apply(topic('aa', 4));
    expect(image.topicNames()).toEqual(['a', 'aa', 'b', 'c']);
    expect(clone.topicNames()).toEqual(['a', 'b', 'c']);
    clone.apply({ type: 'RemoveTopic', topicId: (2).toString(16).padStart(32, '0') });
    expect(clone.topicNames()).toEqual(['a', 'b']);
    expect(image.topicNames()).toEqual(['a', 'aa', 'b', 'c']);
    image.apply({ type: 'RemoveTopic', topicId: (1).toString(16).padStart(32, '0') });
    expect(image.topicNames()).toEqual(['a', 'aa', 'c']);
    const names = image.topicNames();
    names.push('x');
    expect(image.topicNames()).toEqual(['a', 'aa', 'c']);
  });

  it('rebuildLatest gives the committed image plus the uncommitted records, leaving the committed image as it was', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2, 3);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 3, replicationFactor: 2 });
    const committedLength = driver.log.length;
    driver.must({ type: 'fenceBroker', brokerId: 1 });
    driver.must({ type: 'createPartitions', name: 't', totalCount: 5 });
    const committed = replay(driver.log.slice(0, committedLength));
    const committedDigest = imageDigest(committed);
    const latest = rebuildLatest(committed, driver.log.slice(committedLength));
    expect(imageDigest(latest)).toBe(imageDigest(driver.image));
    expect(imageDigest(committed)).toBe(committedDigest);
    expect(committed.topic('t')?.partitionCount).toBe(3);
  });
});


describe('applying records that break the image invariants stops loudly', () => {
  const topic: MetadataRecord = { type: 'Topic', name: 't', topicId: TOPIC_ID };
  const partition: MetadataRecord = { type: 'Partition', topicId: TOPIC_ID, partitionId: 0, replicas: [1, 2], isr: [1, 2], leader: 1, leaderEpoch: 0, partitionEpoch: 0 };
  it.each<[string, MetadataRecord[], RegExp]>([
    ['a partition of an unknown topic', [partition], /does not exist/],
    ['a partition id that leaves a gap', [topic, { ...partition, partitionId: 1 } as MetadataRecord], /the next partition is 0/],
    ['a leader outside the ISR', [topic, { ...partition, leader: 3 } as MetadataRecord], /leader 3 outside its ISR/],
    ['an ISR member that is not a replica', [topic, { ...partition, isr: [1, 5] } as MetadataRecord], /ISR member 5/],
    ['a change to a missing partition', [topic, { type: 'PartitionChange', topicId: TOPIC_ID, partitionId: 0, isr: null, leader: null }], /partition 0 of 0/],
    ['a second topic of the same name', [topic, { type: 'Topic', name: 't', topicId: 'f'.repeat(32) }], /already exists/],
    ['a fence with the wrong epoch', [{ type: 'RegisterBroker', brokerId: 1, incarnationId: 'i', brokerEpoch: 5, endpoints: [], rack: null, fenced: false }, { type: 'FenceBroker', brokerId: 1, brokerEpoch: 4 }], /epoch 4/],
    ['a config of a missing topic', [{ type: 'Config', resourceType: 'topic', resourceName: 'x', name: 'retention.ms', value: '1' }], /does not exist/],
    ['removing a missing topic', [{ type: 'RemoveTopic', topicId: TOPIC_ID }], /does not exist/],
  ])('%s', (_what, records, message) => {
    expect(() => replay(records)).toThrow(MetadataInvariantError);
    expect(() => replay(records)).toThrow(message);
  });
});

describe('partition changes', () => {
  it('bump the partition epoch always, and the leader epoch only when the leader changes', () => {
    const image = replay([
      { type: 'Topic', name: 't', topicId: TOPIC_ID },
      { type: 'Partition', topicId: TOPIC_ID, partitionId: 0, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1, leaderEpoch: 7, partitionEpoch: 9 },
      { type: 'PartitionChange', topicId: TOPIC_ID, partitionId: 0, isr: [1, 2], leader: null },
    ]);
    expect(image.partition(TOPIC_ID, 0)).toMatchObject({ isr: [1, 2], leader: 1, leaderEpoch: 7, partitionEpoch: 10 });
    image.apply({ type: 'PartitionChange', topicId: TOPIC_ID, partitionId: 0, isr: null, leader: 2 });
    expect(image.partition(TOPIC_ID, 0)).toMatchObject({ isr: [1, 2], leader: 2, leaderEpoch: 8, partitionEpoch: 11 });
  });

  it('partitions share interned replica lists: a thousand partitions over three brokers hold a handful of lists', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2, 3);
    for (let i = 0; i < 10; i++) driver.must({ type: 'createTopic', name: `t${i}`, numPartitions: 100, replicationFactor: 3 });
    expect(driver.image.partitionCount).toBe(1000);
    expect(driver.image.internedReplicaLists).toBeLessThanOrEqual(6);
  });
});
