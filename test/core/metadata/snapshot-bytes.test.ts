import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SnapshotControl } from '../../../src/core/host-interface.js';
import {
  encodeRecordRun,
  Fnv1a64,
  imageDigest,
  MetadataSnapshot,
  snapshotRecordRuns,
  snapshotRecords,
  type MetadataImage,
} from '../../../src/core/metadata/index.js';
import { decodeMetadataSnapshot, encodeMetadataSnapshot, SnapshotBytesError } from '../../../src/core/metadata/snapshot-bytes.js';
import { snapshotRecordRun } from '../../../src/core/metadata/snapshot.js';
import { MetadataDriver } from './metadata-driver.js';
import { runRandomWorkload, seededRandom } from './random-workload.js';

const SEED = Number(process.env.METADATA_TEST_SEED ?? 7301);
const CONTROL: SnapshotControl = { kraftVersion: 1, voters: [{ id: 1, directoryId: 'AAAAAAAAAAAAAAAAAAAAAA', endpoints: [] }] };

/**
 * An image from a random workload, plus what the workload never writes: a broker with endpoints
 * (one host not ASCII), a rack, broker configs, and a topic config value that is not ASCII.
 */
function imageOf(workloadSeed: number, operations: number): MetadataImage {
  const driver = new MetadataDriver();
  runRandomWorkload(driver, seededRandom(workloadSeed), operations);
  const image = driver.image;
  image.apply({
    type: 'RegisterBroker', brokerId: 9, incarnationId: 'inc-9', brokerEpoch: 1_000_000, rack: 'rack-ü',
    endpoints: [{ name: 'PLAINTEXT', host: 'höst', port: 9092, securityProtocol: 'PLAINTEXT' }, { name: 'B', host: 'h', port: 0, securityProtocol: 'SSL' }],
    fenced: workloadSeed % 2 === 0,
  });
  image.apply({ type: 'Config', resourceType: 'broker', resourceName: '9', name: 'log.dirs', value: '/d' });
  image.apply({ type: 'Config', resourceType: 'broker', resourceName: '10', name: 'x', value: 'y' });
  const topic = image.topicNames()[0];
  if (topic !== undefined) image.apply({ type: 'Config', resourceType: 'topic', resourceName: topic, name: 'z.note', value: 'naïve' });
  return image;
}

/** The format as snapshot-bytes.ts describes it, from the snapshot's records: u32 header length, JSON header, record run, hex digest. */
function referenceBytes(image: MetadataImage, header: object): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const run = encodeRecordRun([...snapshotRecords(image)]);
  const body = new Uint8Array(4 + headerBytes.length + run.length);
  new DataView(body.buffer).setUint32(0, headerBytes.length);
  body.set(headerBytes, 4);
  body.set(run, 4 + headerBytes.length);
  return Buffer.concat([body, Buffer.from(new Fnv1a64().update(body).hex(), 'ascii')]);
}

describe('the pure snapshot codec (snapshot-bytes.ts)', () => {
  it('writes the bytes of its format from the snapshot records, and decodes them back to an equal image', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 250 }), fc.boolean(), (workloadSeed, operations, withControl) => {
        const image = imageOf(workloadSeed, operations);
        const snapshot = { endOffset: 40 + operations, lastEpoch: 3, state: MetadataSnapshot.of(image), ...(withControl ? { control: CONTROL } : {}) };
        const bytes = encodeMetadataSnapshot(snapshot);
        const header = { endOffset: snapshot.endOffset, lastEpoch: 3, ...(withControl ? { control: CONTROL } : {}) };
        expect(Buffer.from(bytes).equals(Buffer.from(referenceBytes(image, header)))).toBe(true);
        const decoded = decodeMetadataSnapshot(bytes);
        expect({ endOffset: decoded.endOffset, lastEpoch: decoded.lastEpoch, control: decoded.control }).toEqual({
          endOffset: snapshot.endOffset, lastEpoch: 3, control: withControl ? CONTROL : undefined,
        });
        expect(decoded.state.digest()).toBe(imageDigest(image));
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('writes the whole run in one pass as the run-by-run writer does, between room for a header and a trailer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 250 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 17 }),
        (workloadSeed, operations, headerBytes, trailerBytes) => {
          const image = imageOf(workloadSeed, operations);
          const [byRuns] = [...snapshotRecordRuns(image, Number.MAX_SAFE_INTEGER, headerBytes)];
          const whole = snapshotRecordRun(image, headerBytes, trailerBytes);
          expect(Buffer.from(whole.subarray(0, whole.length - trailerBytes)).equals(Buffer.from(byRuns!))).toBe(true);
          expect(whole.subarray(whole.length - trailerBytes).every((byte) => byte === 0)).toBe(true);
        }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('refuses bytes that are damaged, cut short, or whose records run past the run, naming why', () => {
    const image = imageOf(5, 120);
    const bytes = encodeMetadataSnapshot({ endOffset: 9, lastEpoch: 1, state: MetadataSnapshot.of(image) });
    const damaged = bytes.slice();
    damaged[damaged.length - 40] = (damaged[damaged.length - 40] as number) ^ 1;
    expect(() => decodeMetadataSnapshot(damaged)).toThrow(SnapshotBytesError);
    expect(() => decodeMetadataSnapshot(damaged)).toThrow(/digest of \d+ snapshot bytes does not match/);
    expect(() => decodeMetadataSnapshot(bytes.subarray(0, bytes.length - 1))).toThrow(/does not match/);
    expect(() => decodeMetadataSnapshot(bytes.subarray(0, 10))).toThrow(/too few for a snapshot/);
    // A record length past the run's end, with a digest that matches: refused by the run's reader.
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
    const body = bytes.slice(0, bytes.length - 16);
    new DataView(body.buffer).setUint32(4 + headerLength + 4, 1 << 20);
    const resealed = Buffer.concat([body, Buffer.from(new Fnv1a64().update(body).hex(), 'ascii')]);
    expect(() => decodeMetadataSnapshot(resealed)).toThrow(/record 0 of the snapshot's \d+ runs past its end/);
  });
});
