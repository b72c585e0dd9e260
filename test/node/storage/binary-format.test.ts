/**
 * The binary storage format: log entries and chunked snapshots round-trip real metadata records
 * (images larger than a chunk); a snapshot cut or changed anywhere is skipped with a log line,
 * never half-loaded; snapshots of format version 2 and of the first (JSON) format are still read.
 */
import { copyFileSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, encodeRecordRun, StorageFormatError } from '../../../src/node/storage/batch-codec.js';
import { METADATA_PARTITION_DIR, MetadataStore } from '../../../src/node/storage/metadata-store.js';
import { encodeFrame, FRAME_HEADER_BYTES } from '../../../src/node/storage/record-frame.js';
import { segmentFileName } from '../../../src/node/storage/segmented-log.js';
import { RECORDS_PER_CHUNK, SNAPSHOT_FORMAT_VERSION, snapshotFileName, writeSnapshot } from '../../../src/node/storage/snapshot-files.js';
import { decodeSnapshot } from '../../../src/node/storage/snapshot-format.js';
import { testEntries } from './log-entries.js';
import { bigTopicRecords, described, snapshotOfEntries } from './test-snapshots.js';
import { tempDirsRemovedAfterEach } from '../../support/temp-dirs.js';

const FIXTURES = new URL('../../../fixtures/node', import.meta.url).pathname;

const CLUSTER_ID = 'BinaryFormatCluster';
const freshDir = tempDirsRemovedAfterEach('quorumd-format-');

function open(dir: string, lines: string[] = []) {
  return MetadataStore.open({ metadataLogDir: dir, clusterId: CLUSTER_ID, segmentBytes: 1 << 20, log: (line) => lines.push(line) });
}

describe('binary log entries', () => {
  it('round-trip and are much smaller than their JSON', () => {
    for (const entry of testEntries(123_456, 3, 7)) {
      const bytes = encodeEntry(entry);
      expect(decodeEntry(bytes)).toEqual(entry);
      expect(bytes.length).toBeLessThan(Buffer.byteLength(JSON.stringify(entry)));
    }
  });

  it('name what is wrong with a bad payload', () => {
    const bytes = encodeEntry(testEntries(0, 1)[0]!);
    expect(() => decodeEntry(Buffer.from([9, 1, 2]))).toThrow(/byte 9, which names no known format/);
    expect(() => decodeEntry(bytes.subarray(0, bytes.length - 1))).toThrow(StorageFormatError);
    expect(() => decodeEntry(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/1 bytes after its records/);
  });

  it('a segment of the first (JSON) format is still read, and continued in binary', () => {
    const dir = freshDir();
    open(dir).store.close();
    const segment = join(dir, METADATA_PARTITION_DIR, segmentFileName(0));
    writeFileSync(segment, Buffer.concat(testEntries(0, 3, 2).map((entry) => encodeFrame(Buffer.from(JSON.stringify(entry))))));
    const { store, recovered } = open(dir);
    expect(recovered!.log).toEqual(testEntries(0, 3, 2));
    store.persist({ append: testEntries(3, 2, 2) }, true);
    store.close();
    expect(open(dir).recovered!.log).toEqual(testEntries(0, 5, 2));
  });
});

describe('binary snapshots', () => {
  it('round-trip an image larger than a chunk (format version 3, one CRC frame per chunk)', async () => {
    const dir = freshDir();
    const { store } = open(dir);
    const log = [{ offset: 0, epoch: 3, record: bigTopicRecords(RECORDS_PER_CHUNK * 2 + 5) }, ...testEntries(1, 11, 3)];
    const snapshot = snapshotOfEntries(log, 9, 3);
    store.persist({ append: log }, true);
    store.persist({ snapshot }, true);
    await store.snapshotsSettled();
    store.close();
    const bytes = readFileSync(join(dir, METADATA_PARTITION_DIR, snapshotFileName(9, 3)));
    expect(bytes[FRAME_HEADER_BYTES + 1]).toBe(SNAPSHOT_FORMAT_VERSION);
    const recovered = open(dir).recovered!;
    expect(described(recovered.snapshot)).toEqual(described(snapshot));
    expect(recovered.snapshot!.state.partitionCount).toBe(RECORDS_PER_CHUNK * 2 + 5);
    expect(recovered.log).toEqual(log.slice(9));
  });

  it('keeps the quorum\'s control state (kraft.version and voters) with the snapshot', async () => {
    const dir = freshDir();
    const { store } = open(dir);
    const log = testEntries(0, 6, 2);
    const control = { kraftVersion: 1, voters: [{ id: 1, directoryId: 'AAAAAAAAAAAAAAAAAAAAAQ', endpoints: [{ name: 'CONTROLLER', host: 'a', port: 9093 }] }] };
    store.persist({ append: log }, true);
    store.persist({ snapshot: { ...snapshotOfEntries(log, 5, 2), control } }, true);
    await store.snapshotsSettled();
    store.close();
    expect(open(dir).recovered!.snapshot!.control).toEqual(control);
  });

  it('a snapshot cut at any byte, or with any byte changed, is skipped and the log used instead', () => {
    const dir = freshDir();
    const { store } = open(dir);
    const log = [{ offset: 0, epoch: 1, record: bigTopicRecords(40) }, ...testEntries(1, 9)];
    store.persist({ append: log }, true);
    writeSnapshot(join(dir, METADATA_PARTITION_DIR), snapshotOfEntries(log, 10, 1));
    store.close();
    const path = join(dir, METADATA_PARTITION_DIR, snapshotFileName(10, 1));
    const original = readFileSync(path);
    const check = (what: string): void => {
      const lines: string[] = [];
      const { store: reopened, recovered } = open(dir, lines);
      reopened.close();
      expect(recovered!.snapshot, what).toBeNull();
      expect(recovered!.log, what).toEqual(log);
      expect(lines.join('\n'), what).toMatch(/Skipping damaged snapshot/);
    };
    for (let cut = 0; cut < original.length; cut++) {
      writeFileSync(path, original);
      truncateSync(path, cut);
      check(`cut at byte ${cut}`);
    }
    // Every 7th byte keeps the loop short; CRC32 catches any single changed byte alike.
    for (let position = 0; position < original.length; position += 7) {
      const damaged = Buffer.from(original);
      damaged[position] = (damaged[position] as number) ^ 0x21;
      writeFileSync(path, damaged);
      check(`byte ${position} changed`);
    }
  });

  it('frames that check out but hold records that do not replay make the snapshot damaged, named', () => {
    const dir = freshDir();
    open(dir).store.close();
    // A Partition record of a topic the snapshot never created.
    const orphan = bigTopicRecords(2).slice(1);
    const header = Buffer.alloc(14);
    header.writeUInt8(0, 0);
    header.writeUInt8(SNAPSHOT_FORMAT_VERSION, 1);
    header.writeDoubleBE(4, 2);
    header.writeUInt32BE(1, 10);
    const chunk = encodeRecordRun(orphan, 1);
    chunk.writeUInt8(1, 0);
    const trailer = Buffer.alloc(13);
    trailer.writeUInt8(2, 0);
    trailer.writeUInt32BE(1, 1);
    trailer.writeDoubleBE(2, 5);
    expect(() => decodeSnapshot(Buffer.concat([encodeFrame(header), encodeFrame(chunk), encodeFrame(trailer)])))
      .toThrow(/record 0 does not replay: Partition record names topic id abab/);
  });

  it('a snapshot of format version 2 (records in batches) is still read', () => {
    const dir = freshDir();
    open(dir).store.close();
    const name = '00000000000000000042-0000000003.checkpoint';
    copyFileSync(join(FIXTURES, 'snapshot-v2', name), join(dir, METADATA_PARTITION_DIR, name));
    const recovered = open(dir).recovered!;
    expect(recovered.snapshot!.endOffset).toBe(42);
    expect(recovered.snapshot!.lastEpoch).toBe(3);
    // The digest the version-2 writer's image had (fixtures/node/snapshot-v2).
    expect(recovered.snapshot!.state.digest()).toBe('5b6fee32c1463443');
    expect(recovered.snapshot!.state.partitionCount).toBe(3);
  });

  it('a snapshot of the first (JSON) format is still read', () => {
    const dir = freshDir();
    const { store } = open(dir);
    const log = testEntries(0, 6);
    store.persist({ append: log }, true);
    store.close();
    const json = { endOffset: 4, lastEpoch: 1, records: log.slice(0, 4).map((entry) => entry.record) };
    writeFileSync(join(dir, METADATA_PARTITION_DIR, snapshotFileName(4, 1)), encodeFrame(Buffer.from(JSON.stringify(json))));
    const recovered = open(dir).recovered!;
    expect(described(recovered.snapshot)).toEqual(described(snapshotOfEntries(log, 4, 1)));
    expect(recovered.log).toEqual(testEntries(4, 2));
  });

  it('leaves no temporary file and only the newest snapshot; a snapshot taken while one is written waits its turn', async () => {
    const dir = freshDir();
    const { store } = open(dir);
    const log = testEntries(0, 6);
    store.persist({ append: log }, true);
    store.persist({ snapshot: snapshotOfEntries(log, 3, 1) }, true);
    store.persist({ snapshot: snapshotOfEntries(log, 4, 1) }, true);
    store.persist({ snapshot: snapshotOfEntries(log, 5, 1) }, true);
    await store.snapshotsSettled();
    store.close();
    expect(readdirSync(join(dir, METADATA_PARTITION_DIR)).filter((name) => !name.endsWith('.log')).sort())
      .toEqual([snapshotFileName(5, 1)]);
  });
});
