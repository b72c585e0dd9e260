/**
 * The binary storage format: log entries and chunked snapshots round-trip real metadata records
 * (multi-chunk batches, empty batches); a snapshot cut or changed anywhere is skipped with a log
 * line, never half-loaded; files of the first (JSON) format are still read.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataRecord } from '../../../src/core/metadata/records.js';
import { decodeEntry, encodeEntry, StorageFormatError } from '../../../src/node/storage/batch-codec.js';
import { METADATA_PARTITION_DIR, MetadataStore } from '../../../src/node/storage/metadata-store.js';
import { encodeFrame } from '../../../src/node/storage/record-frame.js';
import { segmentFileName } from '../../../src/node/storage/segmented-log.js';
import { RECORDS_PER_CHUNK, snapshotFileName } from '../../../src/node/storage/snapshot-files.js';
import { testEntries } from './log-entries.js';

const CLUSTER_ID = 'BinaryFormatCluster';
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quorumd-format-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string, lines: string[] = []) {
  return MetadataStore.open({ metadataLogDir: dir, clusterId: CLUSTER_ID, segmentBytes: 1 << 20, log: (line) => lines.push(line) });
}

function partitionRecords(count: number): MetadataRecord[] {
  const records: MetadataRecord[] = [{ type: 'Topic', name: 'big', topicId: 'ab'.repeat(16) }];
  for (let partition = 0; partition < count; partition++) {
    records.push({
      type: 'Partition', topicId: 'ab'.repeat(16), partitionId: partition, replicas: [1, 2, 3], isr: [1, 2, 3],
      leader: 1 + (partition % 3), leaderEpoch: 0, partitionEpoch: 0,
    });
  }
  return records;
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
  it('round-trip batches larger than a chunk, empty batches and their order', () => {
    const dir = freshDir();
    const { store } = open(dir);
    const big = partitionRecords(RECORDS_PER_CHUNK * 2 + 5);
    const snapshot = { endOffset: 9, lastEpoch: 3, records: [big, [], testEntries(0, 1)[0]!.record, []] };
    store.persist({ append: testEntries(0, 12, 3) }, true);
    store.persist({ snapshot }, true);
    store.close();
    const recovered = open(dir).recovered!;
    expect(recovered.snapshot).toEqual(snapshot);
    expect(recovered.log).toEqual(testEntries(9, 3, 3));
  });

  it('a snapshot cut at any byte, or with any byte changed, is skipped and the log used instead', () => {
    const dir = freshDir();
    const { store } = open(dir);
    store.persist({ append: testEntries(0, 10) }, true);
    store.persist({ snapshot: { endOffset: 10, lastEpoch: 1, records: [partitionRecords(40), []] } }, true);
    store.close();
    const path = join(dir, METADATA_PARTITION_DIR, snapshotFileName(10, 1));
    const original = readFileSync(path);
    const check = (what: string): void => {
      const lines: string[] = [];
      const { store: reopened, recovered } = open(dir, lines);
      reopened.close();
      expect(recovered!.snapshot, what).toBeNull();
      expect(recovered!.log, what).toEqual(testEntries(0, 10));
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

  it('a snapshot of the first (JSON) format is still read', () => {
    const dir = freshDir();
    const { store } = open(dir);
    store.persist({ append: testEntries(0, 6) }, true);
    store.close();
    const snapshot = { endOffset: 4, lastEpoch: 1, records: [testEntries(0, 1)[0]!.record] };
    writeFileSync(join(dir, METADATA_PARTITION_DIR, snapshotFileName(4, 1)), encodeFrame(Buffer.from(JSON.stringify(snapshot))));
    const recovered = open(dir).recovered!;
    expect(recovered.snapshot).toEqual(snapshot);
    expect(recovered.log).toEqual(testEntries(4, 2));
  });

  it('leaves no temporary file and only the newest snapshot', () => {
    const dir = freshDir();
    const { store } = open(dir);
    store.persist({ append: testEntries(0, 6) }, true);
    store.persist({ snapshot: { endOffset: 3, lastEpoch: 1, records: [[]] } }, true);
    store.persist({ snapshot: { endOffset: 5, lastEpoch: 1, records: [[]] } }, true);
    store.close();
    expect(readdirSync(join(dir, METADATA_PARTITION_DIR)).filter((name) => !name.endsWith('.log')).sort())
      .toEqual([snapshotFileName(5, 1)]);
  });
});
