import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES } from '../../../src/node/storage/record-frame.js';
import { METADATA_PARTITION_DIR, MetadataStore } from '../../../src/node/storage/metadata-store.js';
import { segmentFileName } from '../../../src/node/storage/segmented-log.js';
import { snapshotFileName } from '../../../src/node/storage/snapshot-files.js';
import { testEntries } from './log-entries.js';
import { described, snapshotOfEntries } from './test-snapshots.js';
import { tempDirsRemovedAfterEach } from '../../support/temp-dirs.js';

const CLUSTER_ID = 'StoreTestCluster';
const freshDir = tempDirsRemovedAfterEach('quorumd-store-');

function open(dir: string, lines: string[] = [], segmentBytes = 1024) {
  return MetadataStore.open({ metadataLogDir: dir, clusterId: CLUSTER_ID, segmentBytes, log: (line) => lines.push(line) });
}

function partition(dir: string): string {
  return join(dir, METADATA_PARTITION_DIR);
}

/** A closed store of entries 0-39 with a durable snapshot at 30 that asked to keep the log from `deleteBeforeOffset`. */
async function closedStoreWithSnapshotAt30(deleteBeforeOffset: number) {
  const dir = freshDir();
  const { store } = open(dir);
  const log = testEntries(0, 40);
  store.persist({ append: log }, true);
  store.persist({ snapshot: snapshotOfEntries(log, 30, 1), deleteBeforeOffset }, true);
  await store.snapshotsSettled();
  store.close();
  return { dir, log };
}

describe('MetadataStore', () => {
  it('recovers what it persisted: quorum state, log across rolled segments', () => {
    const dir = freshDir();
    const { store, recovered } = open(dir);
    expect(recovered).toBeNull();
    store.persist({ quorumState: { epoch: 3, votedFor: 2, leaderId: null }, append: testEntries(0, 40, 3) }, true);
    store.close();
    const segments = readdirSync(partition(dir)).filter((name) => name.endsWith('.log'));
    expect(segments.length).toBeGreaterThan(2);
    const again = open(dir).recovered!;
    expect(again.quorumState).toEqual({ epoch: 3, votedFor: 2, leaderId: null });
    expect(again.snapshot).toBeNull();
    expect(again.log).toEqual(testEntries(0, 40, 3));
  });

  it('truncates across segments and appends after the cut', () => {
    const dir = freshDir();
    const { store } = open(dir);
    store.persist({ append: testEntries(0, 40) }, true);
    store.persist({ truncateToOffset: 7, append: testEntries(7, 3, 2) }, true);
    store.close();
    expect(open(dir).recovered!.log).toEqual([...testEntries(0, 7), ...testEntries(7, 3, 2)]);
  });

  it('deletes whole segments before an offset covered by a snapshot, never the newest, once the snapshot is durable', async () => {
    const dir = freshDir();
    const { store } = open(dir);
    const log = testEntries(0, 40);
    store.persist({ append: log }, true);
    const snapshot = snapshotOfEntries(log, 30, 1);
    store.persist({ snapshot, deleteBeforeOffset: 30 }, true);
    const segmentBases = (): number[] => readdirSync(partition(dir)).filter((name) => name.endsWith('.log')).map((name) => Number(name.slice(0, 20)));
    // Written in the background: until it is durable, the log keeps what it covers.
    expect(store.snapshotWritePending).toBe(true);
    expect(Math.min(...segmentBases())).toBe(0);
    await store.snapshotsSettled();
    expect(Math.min(...segmentBases())).toBeGreaterThan(0);
    expect(Math.min(...segmentBases())).toBeLessThanOrEqual(30);
    store.close();
    const recovered = open(dir).recovered!;
    expect(described(recovered.snapshot)).toEqual(described(snapshot));
    expect(recovered.log).toEqual(testEntries(30, 10));
    expect(existsSync(join(partition(dir), snapshotFileName(30, 1)))).toBe(true);
  });

  it('a node stopped while a snapshot is written keeps its whole log, and the write leaves no temporary file', async () => {
    const dir = freshDir();
    const { store } = open(dir);
    const log = testEntries(0, 40);
    store.persist({ append: log }, true);
    store.persist({ snapshot: snapshotOfEntries(log, 30, 1), deleteBeforeOffset: 30 }, true);
    store.close();
    await store.snapshotsSettled();
    expect(readdirSync(partition(dir)).filter((name) => !name.endsWith('.log'))).toEqual([]);
    const { store: reopened, recovered } = open(dir);
    reopened.close();
    expect(recovered!.snapshot).toBeNull();
    expect(recovered!.log).toEqual(log);
  });

  it('a fetched snapshot the log does not continue replaces the log, durably at once', () => {
    const dir = freshDir();
    const { store } = open(dir);
    store.persist({ append: testEntries(0, 5) }, true);
    const fetched = snapshotOfEntries(testEntries(0, 50, 4), 50, 4);
    store.persist({ snapshot: fetched, deleteBeforeOffset: 50 }, true);
    expect(store.snapshotWritePending).toBe(false);
    store.persist({ append: testEntries(50, 2, 4) }, true);
    store.close();
    const recovered = open(dir).recovered!;
    expect(described(recovered.snapshot)).toEqual(described(fetched));
    expect(recovered.log).toEqual(testEntries(50, 2, 4));
  });

  it('a local snapshot of entries appended in the same persist continues the log: written in the background, the log kept', async () => {
    // A follower catching up from the log a leader keeps behind its snapshot fetches, commits,
    // applies and snapshots entries in one input: the snapshot ends inside this persist's appends.
    const dir = freshDir();
    const { store } = open(dir);
    store.persist({ append: testEntries(0, 5) }, true);
    const log = testEntries(0, 20);
    store.persist({ snapshot: snapshotOfEntries(log, 15, 1), append: log.slice(5), deleteBeforeOffset: 12 }, true);
    expect(store.snapshotWritePending).toBe(true);
    store.persist({ append: testEntries(20, 2) }, true);
    await store.snapshotsSettled();
    store.close();
    const recovered = open(dir).recovered!;
    expect(recovered.snapshot?.endOffset).toBe(15);
    expect(recovered.log).toEqual(testEntries(15, 7));
  });

  it('keeps the log behind a snapshot that retention asks to keep: deletes only before the offset asked', async () => {
    const { dir } = await closedStoreWithSnapshotAt30(25);
    const bases = readdirSync(partition(dir)).filter((name) => name.endsWith('.log')).map((name) => Number(name.slice(0, 20)));
    // Whole segments only: the one holding offset 25 stays, and with it offsets 25-29 behind the snapshot.
    expect(Math.min(...bases)).toBeGreaterThan(0);
    expect(Math.min(...bases)).toBeLessThanOrEqual(25);
    const { store: reopened, recovered } = open(dir);
    reopened.close();
    expect(recovered!.snapshot?.endOffset).toBe(30);
    expect(recovered!.log).toEqual(testEntries(30, 10));
  });

  it('recovers the log kept behind its snapshot within retention, one entry more for its epoch, when asked to', async () => {
    const { dir, log } = await closedStoreWithSnapshotAt30(25);
    const reopen = (retention: { entries: number; records: number }) => {
      const opened = MetadataStore.open({ metadataLogDir: dir, clusterId: CLUSTER_ID, segmentBytes: 1024, log: () => undefined, retention });
      opened.store.close();
      return opened.recovered!;
    };
    // Up to 3 entries behind it (and the one before them), then everything after it.
    expect(reopen({ entries: 3, records: 1_000_000 }).log).toEqual(testEntries(26, 14));
    // The records bound stops sooner: the entry that passes it comes along, for its epoch only.
    const recordsEach = log[29]!.record.length;
    expect(reopen({ entries: 1000, records: recordsEach }).log).toEqual(testEntries(28, 12));
    // No more than the disk holds (its whole segments), nor without retention.
    expect(reopen({ entries: 1000, records: 1_000_000 }).log[0]!.offset).toBeLessThanOrEqual(25);
    expect(reopen({ entries: 0, records: 0 }).log).toEqual(testEntries(30, 10));
  });

  it('skips a damaged newest snapshot with a log line and refuses a log with nothing before it', async () => {
    const { dir } = await closedStoreWithSnapshotAt30(30);
    const path = join(partition(dir), snapshotFileName(30, 1));
    const bytes = readFileSync(path);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 0xff;
    writeFileSync(path, bytes);
    const lines: string[] = [];
    expect(() => open(dir, lines)).toThrow(/no valid snapshot covers the offsets before it/);
    expect(lines.join('\n')).toMatch(/Skipping damaged snapshot .*CRC mismatch/);
  });
});

/**
 * Crash consistency: a crash can leave the last record of the newest segment cut anywhere, or
 * (a bad disk) with any byte changed. Recovery must keep every whole record before it, drop the
 * damaged one with a log line, and leave a log that later appends continue.
 */
describe('crash consistency of the log tail', () => {
  function writtenLog(): { dir: string; segmentPath: string; fullLength: number } {
    const dir = freshDir();
    const { store } = open(dir, [], 1_000_000);
    store.persist({ quorumState: { epoch: 2, votedFor: 1, leaderId: 1 }, append: testEntries(0, 6, 2) }, true);
    store.close();
    const segmentPath = join(partition(dir), segmentFileName(0));
    return { dir, segmentPath, fullLength: statSync(segmentPath).size };
  }

  /** Where the last frame starts: found by reopening a log of the first five entries. */
  function tailStartOf(): number {
    const dir = freshDir();
    const { store } = open(dir, [], 1_000_000);
    store.persist({ append: testEntries(0, 5, 2) }, true);
    store.close();
    return statSync(join(partition(dir), segmentFileName(0))).size;
  }

  it('a tail cut at every byte position loses only the cut record', () => {
    const { dir, segmentPath, fullLength } = writtenLog();
    const tailStart = tailStartOf();
    const original = readFileSync(segmentPath);
    for (let cut = tailStart; cut <= fullLength; cut++) {
      writeFileSync(segmentPath, original);
      truncateSync(segmentPath, cut);
      const lines: string[] = [];
      const { store, recovered } = open(dir, lines, 1_000_000);
      const expectedCount = cut === fullLength ? 6 : 5;
      expect(recovered!.log, `cut at byte ${cut}`).toEqual(testEntries(0, expectedCount, 2));
      expect(recovered!.quorumState).toEqual({ epoch: 2, votedFor: 1, leaderId: 1 });
      if (cut > tailStart && cut < fullLength) expect(lines.join('\n')).toMatch(/torn or corrupt record .* truncating the log to offset 5/);
      if (cut === tailStart || cut === fullLength) expect(lines).toEqual([]);
      // The repaired log continues where it ends.
      store.persist({ append: testEntries(expectedCount, 1, 3) }, true);
      store.close();
      expect(open(dir, [], 1_000_000).recovered!.log).toEqual([...testEntries(0, expectedCount, 2), ...testEntries(expectedCount, 1, 3)]);
    }
  });

  it('a changed byte at every position of the tail record drops that record only', () => {
    const { dir, segmentPath, fullLength } = writtenLog();
    const tailStart = tailStartOf();
    const original = readFileSync(segmentPath);
    for (let position = tailStart; position < fullLength; position++) {
      const damaged = Buffer.from(original);
      damaged[position] = (damaged[position] as number) ^ 0x5a;
      writeFileSync(segmentPath, damaged);
      const lines: string[] = [];
      const { store, recovered } = open(dir, lines, 1_000_000);
      store.close();
      expect(recovered!.log, `byte ${position} changed`).toEqual(testEntries(0, 5, 2));
      const where = position - tailStart < FRAME_HEADER_BYTES ? /(CRC mismatch|short frame|exceeds the maximum)/ : /CRC mismatch/;
      expect(lines.join('\n'), `byte ${position} changed`).toMatch(where);
      expect(statSync(segmentPath).size).toBe(tailStart);
    }
  });
});
