/**
 * The image equals a fresh replay of its log after every change, however it was built: written in
 * place, cloned (copy-on-write) for a snapshot that the live image keeps writing past, or restarted
 * from a snapshot plus the log after it, as a node does. Small random workloads check it after
 * every write; a synthetic image of 2,000,000 partitions checks it at Kafka's scale, including a
 * round trip through the snapshot file format.
 *
 * CI runs all of it (the 2M part takes about 20-40 s on two shared cores and under 1 GiB of
 * heap). METADATA_TEST_SEED replays a seed; SCALE_TEST_PARTITIONS shrinks the large part.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRecords,
  imageDigest,
  MetadataImage,
  MetadataSnapshot,
  planWrite,
  snapshotRecords,
  topicIdSourceFrom,
  type MetadataRecord,
  type MetadataWriteOperation,
} from '../../../src/core/metadata/index.js';
import { decodeSnapshot, encodeSnapshot } from '../../../src/node/storage/snapshot-format.js';
import { MetadataDriver } from './metadata-driver.js';
import { randomOperation, seededRandom } from './random-workload.js';

const SEED = Number(process.env.METADATA_TEST_SEED ?? 2_000_000);
const PARTITIONS = Number(process.env.SCALE_TEST_PARTITIONS ?? 2_000_000);
const PARTITIONS_PER_TOPIC = 10_000;
/** Brokers 1-5 hold the base topics; 6 and 7 only topics created later, so fencing them is cheap. */
const BROKERS = [1, 2, 3, 4, 5];
const LATE_BROKERS = [6, 7];

function replay(records: Iterable<MetadataRecord>): MetadataImage {
  return applyRecords(MetadataImage.empty(), records);
}

/**
 * Two images' snapshot records, compared record by record as they are generated (at 2M
 * partitions, several times faster than digesting both, and no list is held).
 */
function expectSameRecords(actual: Iterable<MetadataRecord>, expected: Iterable<MetadataRecord>, what: string): void {
  const other = expected[Symbol.iterator]();
  let index = 0;
  for (const record of actual) {
    const next = other.next();
    if (next.done === true) expect.fail(`${what}: record ${index} ${JSON.stringify(record)} is extra`);
    if (!sameRecord(record, next.value)) expect(record, `${what}: record ${index}`).toEqual(next.value);
    index++;
  }
  const rest = other.next();
  if (rest.done !== true) expect.fail(`${what}: record ${index} ${JSON.stringify(rest.value)} is missing`);
}

function sameRecord(a: MetadataRecord, b: MetadataRecord): boolean {
  const fieldsA = a as unknown as Record<string, unknown>;
  const fieldsB = b as unknown as Record<string, unknown>;
  const keys = Object.keys(fieldsA);
  if (keys.length !== Object.keys(fieldsB).length) return false;
  for (const key of keys) {
    const x = fieldsA[key];
    const y = fieldsB[key];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y)) return JSON.stringify(x) === JSON.stringify(y);
    if (x.length !== y.length || x.some((value, i) => value !== y[i])) return false;
  }
  return true;
}

describe('the image equals a fresh replay of its log', () => {
  it('after every write of a random workload, with snapshots taken and restarts from them along the way', () => {
    console.log(`image-replay seed ${SEED} (METADATA_TEST_SEED replays it)`);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 120 }), (workloadSeed, operations) => {
        const random = seededRandom(workloadSeed);
        const driver = new MetadataDriver();
        // What a restarted node holds: the newest snapshot, and an image rebuilt from it plus the
        // log after it, which then keeps applying records as the live one does.
        let snapshot = { state: MetadataSnapshot.of(driver.image), endOffset: 0 };
        let restarted = snapshot.state.toImage();
        let restartedUpTo = 0;
        for (let i = 0; i < operations; i++) {
          driver.write(randomOperation(random, driver));
          const digest = imageDigest(driver.image);
          expect(imageDigest(replay(driver.log)), `after write ${i}`).toBe(digest);
          applyRecords(restarted, driver.log.slice(restartedUpTo));
          restartedUpTo = driver.log.length;
          expect(imageDigest(restarted), `restarted image after write ${i}`).toBe(digest);
          expect(snapshot.state.digest(), `snapshot at ${snapshot.endOffset} after write ${i}`)
            .toBe(imageDigest(replay(driver.log.slice(0, snapshot.endOffset))));
          const roll = random();
          if (roll < 0.2) snapshot = { state: MetadataSnapshot.of(driver.image), endOffset: driver.log.length };
          if (roll > 0.9) {
            restarted = applyRecords(snapshot.state.toImage(), driver.log.slice(snapshot.endOffset));
            restartedUpTo = driver.log.length;
          }
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it(`at ${PARTITIONS.toLocaleString('en')} partitions built synthetically: random changes, snapshots and a snapshot-file round trip`, { timeout: 600_000 }, () => {
    const topics = Math.ceil(PARTITIONS / PARTITIONS_PER_TOPIC);
    // The base log is generated, never held: 2M record objects would be ~460 MiB of heap.
    const baseLog = function* (): Generator<MetadataRecord> {
      for (const brokerId of [...BROKERS, ...LATE_BROKERS]) {
        yield { type: 'RegisterBroker', brokerId, incarnationId: `i${brokerId}`, brokerEpoch: brokerId, endpoints: [], rack: null, fenced: false };
      }
      for (let t = 0; t < topics; t++) {
        const topicId = (t + 1).toString(16).padStart(32, '0');
        yield { type: 'Topic', name: `topic-${t}`, topicId };
        const count = Math.min(PARTITIONS_PER_TOPIC, PARTITIONS - t * PARTITIONS_PER_TOPIC);
        for (let p = 0; p < count; p++) {
          const first = BROKERS[(t + p) % BROKERS.length]!;
          const replicas = [first, 1 + (first % 5), 1 + ((first + 1) % 5)];
          yield { type: 'Partition', topicId, partitionId: p, replicas, isr: replicas, leader: first, leaderEpoch: 0, partitionEpoch: 0 };
        }
      }
    };
    const image = replay(baseLog());
    expect(image.partitionCount).toBe(PARTITIONS);
    const tail: MetadataRecord[] = [];
    const random = seededRandom(SEED);
    const newTopicId = topicIdSourceFrom(`scale-${SEED}`);
    const write = (op: MetadataWriteOperation): void => {
      const result = planWrite(image, op, { nextOffset: tail.length, newTopicId, settings: { partitionsPerWriteMax: PARTITIONS_PER_TOPIC } });
      if (!result.ok) return;
      for (const record of result.records) {
        image.apply(record);
        tail.push(record);
      }
    };
    const timings: string[] = [];
    const timed = <T>(what: string, run: () => T): T => {
      const startedMs = performance.now();
      const value = run();
      timings.push(`${what} ${(performance.now() - startedMs).toFixed(0)} ms`);
      return value;
    };
    // A frozen snapshot of the base image; the live image moves on past it.
    const snapshot = MetadataSnapshot.of(image);
    timed('random changes and a fence', () => {
      for (let i = 0; i < 40; i++) write(largeImageOperation(random, image, topics));
      // A write of over a million records: fencing a broker of the base topics moves leadership
      // and ISR of every partition it holds.
      write({ type: 'fenceBroker', brokerId: BROKERS[Math.floor(random() * BROKERS.length)]! });
      for (let i = 0; i < 40; i++) write(largeImageOperation(random, image, topics));
    });
    timed('live = replay', () => expectSameRecords(snapshotRecords(applyRecords(replay(baseLog()), tail)), snapshotRecords(image), 'live image'));
    timed('snapshot unchanged', () => expectSameRecords(snapshot.records(), snapshotRecords(replay(baseLog())), 'snapshot'));
    timed('restart = live', () => expectSameRecords(snapshotRecords(applyRecords(snapshot.toImage(), tail)), snapshotRecords(image), 'restart from the snapshot'));
    // The snapshot file format round-trips the whole image.
    const bytes = timed('encode', () => encodeSnapshot({ endOffset: 123, lastEpoch: 7, state: MetadataSnapshot.of(image) }));
    const decoded = timed('decode', () => decodeSnapshot(bytes));
    expect(decoded.endOffset).toBe(123);
    expect(decoded.lastEpoch).toBe(7);
    expect(decoded.state.partitionCount).toBe(image.partitionCount);
    timed('file round trip', () => expectSameRecords(decoded.state.records(), snapshotRecords(image), 'snapshot file round trip'));
    console.log(timings.join(', '));
    console.log(`${image.partitionCount.toLocaleString('en')} partitions: ${tail.length} records of random changes, snapshot file ${(bytes.length / 2 ** 20).toFixed(1)} MiB`);
  });
});

/** Changes to single topics and partitions, and fencing of brokers that hold a few of them. */
function largeImageOperation(random: () => number, image: MetadataImage, topics: number): MetadataWriteOperation {
  const roll = random();
  const brokerId = LATE_BROKERS[Math.floor(random() * LATE_BROKERS.length)]!;
  const newName = `new-${Math.floor(random() * 20)}`;
  const baseName = `topic-${Math.floor(random() * topics)}`;
  if (roll < 0.1) return { type: 'fenceBroker', brokerId };
  if (roll < 0.2) {
    const broker = image.broker(brokerId);
    return { type: 'brokerHeartbeat', brokerId, brokerEpoch: broker?.brokerEpoch ?? 0, wantFence: false };
  }
  if (roll < 0.45) return { type: 'createTopic', name: newName, numPartitions: 1 + Math.floor(random() * 50), replicationFactor: 3 };
  if (roll < 0.55) return { type: 'deleteTopic', name: random() < 0.9 ? newName : baseName };
  if (roll < 0.7) {
    const name = random() < 0.5 ? newName : baseName;
    const count = image.topic(name)?.partitionCount ?? 1;
    return { type: 'createPartitions', name, totalCount: count + 1 + Math.floor(random() * 100) };
  }
  return { type: 'alterConfigs', name: random() < 0.5 ? newName : baseName, configs: random() < 0.5 ? { 'retention.ms': String(Math.floor(random() * 1e6)) } : {} };
}
