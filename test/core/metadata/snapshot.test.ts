import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerRead,
  applyRecords,
  imageDigest,
  loadSnapshot,
  MetadataImage,
  MetadataSnapshot,
  metadataSnapshotOf,
  planWrite,
  encodeRecordRun,
  snapshotRecordRuns,
  snapshotRecords,
  topicIdSourceFrom,
  type MetadataImage as Image,
  type MetadataWriteOperation,
} from '../../../src/core/metadata/index.js';
import { MetadataDriver } from './metadata-driver.js';
import { runRandomWorkload, seededRandom } from './random-workload.js';

const SEED = Number(process.env.METADATA_TEST_SEED ?? 631);

const NEXT_WRITES: MetadataWriteOperation[] = [
  { type: 'fenceBroker', brokerId: 1 },
  { type: 'brokerHeartbeat', brokerId: 2, brokerEpoch: 0 },
  { type: 'createTopic', name: 'new', numPartitions: 4, replicationFactor: -1 },
  { type: 'createPartitions', name: 'a', totalCount: 9 },
];

/** Everything a client can observe of an image. */
function observe(image: Image): unknown {
  const topics = image.topicNames().map((name) => [
    answerRead(image, { type: 'describeTopic', name }),
    answerRead(image, { type: 'describeConfigs', name }),
  ]);
  return { topics, cluster: answerRead(image, { type: 'describeCluster' }), brokers: image.brokers() };
}

describe('snapshots', () => {
  it('record runs written from the image\'s columns are the bytes of its snapshot records, run by run, and load back to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 250 }), fc.constantFrom(1, 2, 3, 7, 64, 2048), fc.integer({ min: 0, max: 2 }),
        (workloadSeed, operations, recordsPerRun, headerBytes) => {
          const driver = new MetadataDriver();
          runRandomWorkload(driver, seededRandom(workloadSeed), operations);
          const records = [...snapshotRecords(driver.image)];
          const runs = [...snapshotRecordRuns(driver.image, recordsPerRun, headerBytes)];
          expect(runs.length).toBe(Math.ceil(records.length / recordsPerRun));
          runs.forEach((run, i) => {
            const expected = encodeRecordRun(records.slice(i * recordsPerRun, (i + 1) * recordsPerRun));
            expect(Buffer.from(run.subarray(0, headerBytes)).equals(Buffer.alloc(headerBytes))).toBe(true);
            expect(Buffer.from(run.subarray(headerBytes)).equals(Buffer.from(expected))).toBe(true);
          });
          expect(imageDigest(loadSnapshot(records))).toBe(imageDigest(driver.image));
        }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('loading a snapshot of a prefix and applying the rest of the log equals applying the whole log', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 250 }), fc.double({ min: 0, max: 1, noNaN: true }), (workloadSeed, operations, cutFraction) => {
        const driver = new MetadataDriver();
        runRandomWorkload(driver, seededRandom(workloadSeed), operations);
        const cut = Math.floor(cutFraction * driver.log.length);
        const prefix = applyRecords(MetadataImage.empty(), driver.log.slice(0, cut));
        const restored = applyRecords(loadSnapshot(snapshotRecords(prefix)), driver.log.slice(cut));
        expect(imageDigest(restored)).toBe(imageDigest(driver.image));
        expect([...snapshotRecords(restored)]).toEqual([...snapshotRecords(driver.image)]);
        expect(observe(restored)).toEqual(observe(driver.image));
        // A controller elected on the restored node plans exactly what one that replayed would.
        for (const op of NEXT_WRITES) {
          const context = { nextOffset: driver.log.length, newTopicId: topicIdSourceFrom('next') };
          const fromFull = planWrite(driver.image, op, context);
          expect(planWrite(restored, op, { ...context, newTopicId: topicIdSourceFrom('next') })).toEqual(fromFull);
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('a snapshot lists brokers by id, then each topic by name with its partitions and configs', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(2, 1);
    driver.must({ type: 'createTopic', name: 'zeta', numPartitions: 1, replicationFactor: 1 });
    driver.must({ type: 'createTopic', name: 'alpha', numPartitions: 2, replicationFactor: 1, configs: { 'retention.ms': '5' } });
    const shape = [...snapshotRecords(driver.image)].map((r) =>
      r.type === 'Topic' ? `Topic ${r.name}` : r.type === 'RegisterBroker' ? `Broker ${r.brokerId}` : r.type,
    );
    expect(shape).toEqual(['Broker 1', 'Broker 2', 'Topic alpha', 'Partition', 'Partition', 'Config', 'Topic zeta', 'Partition']);
  });

  it('images that differ have different digests; an empty image has a fixed digest', () => {
    const driver = new MetadataDriver();
    const empty = imageDigest(driver.image);
    expect(empty).toBe(imageDigest(MetadataImage.empty()));
    driver.addBrokers(1);
    const withBroker = imageDigest(driver.image);
    expect(withBroker).not.toBe(empty);
    driver.must({ type: 'fenceBroker', brokerId: 1 });
    expect(imageDigest(driver.image)).not.toBe(withBroker);
  });

  it('a MetadataSnapshot is frozen: writes to the image it was taken of, or to images made from it, never show in it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 150 }), (workloadSeed, before, after) => {
        const driver = new MetadataDriver();
        const random = seededRandom(workloadSeed);
        runRandomWorkload(driver, random, before);
        const digestThen = imageDigest(driver.image);
        const recordsThen = [...snapshotRecords(driver.image)];
        const logLengthThen = driver.log.length;
        const snapshot = MetadataSnapshot.of(driver.image);
        const restored = snapshot.toImage();
        runRandomWorkload(driver, random, after);
        // An image made from the snapshot, given the same writes, equals the live one.
        applyRecords(restored, driver.log.slice(logLengthThen));
        expect(imageDigest(restored)).toBe(imageDigest(driver.image));
        expect(snapshot.digest()).toBe(digestThen);
        expect([...snapshot.records()]).toEqual(recordsThen);
        expect(imageDigest(snapshot.toImage())).toBe(digestThen);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('metadataSnapshotOf names what a host passed when it is not a MetadataSnapshot', () => {
    const snapshot = MetadataSnapshot.of(MetadataImage.empty());
    expect(metadataSnapshotOf(snapshot)).toBe(snapshot);
    expect(() => metadataSnapshotOf({ records: [] })).toThrow(/must be a MetadataSnapshot, got Object/);
    expect(() => metadataSnapshotOf(undefined)).toThrow(/got undefined/);
  });
});
