/**
 * Snapshots of the metadata image as files named as KRaft names them,
 * `<endOffset:20 digits>-<epoch:10 digits>.checkpoint`, written atomically (a temporary file,
 * fsynced, renamed) in the format of snapshot-format.ts. Recovery takes the newest one that reads
 * back whole; damaged ones are reported and skipped. Once a snapshot is durable, the older ones
 * are removed (never a newer one: a background write may finish after a fetched snapshot landed).
 *
 * `writeSnapshot` writes synchronously (a fetched snapshot, which must be durable before the log it
 * replaces goes; tests); snapshot-writer.ts writes a local one in the background. Files of the
 * first format (one frame holding the JSON of the snapshot) are still read.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotData } from '../../core/host-interface.js';
import type { MetadataBatch } from '../../core/metadata-log.js';
import { MetadataSnapshot } from '../../core/metadata/index.js';
import { fsyncDirectory } from './atomic-file.js';
import { forEachFrame } from './record-frame.js';
import { decodeSnapshotFile, SnapshotFormatError, snapshotFrames } from './snapshot-format.js';

export { RECORDS_PER_CHUNK, SNAPSHOT_FORMAT_VERSION } from './snapshot-format.js';

const SNAPSHOT_NAME = /^([0-9]{20})-([0-9]{10})\.checkpoint$/;
/** Writes are gathered into buffers of about this size before each write(2). */
const WRITE_BUFFER_BYTES = 1 << 20;
const OPEN_BRACE = 0x7b;

export function snapshotFileName(endOffset: number, epoch: number): string {
  return `${String(endOffset).padStart(20, '0')}-${String(epoch).padStart(10, '0')}.checkpoint`;
}

/** Writes `snapshot` durably before returning, then removes older snapshots. */
export function writeSnapshot(dir: string, snapshot: SnapshotData<MetadataSnapshot>): void {
  const name = snapshotFileName(snapshot.endOffset, snapshot.lastEpoch);
  const tmpPath = join(dir, `${name}.tmp`);
  const fd = openSync(tmpPath, 'w', 0o644);
  try {
    const writer = new BufferedWriter(fd);
    for (const frame of snapshotFrames(snapshot)) writer.write(frame);
    writer.flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  publishSnapshot(dir, tmpPath, name);
}

/**
 * Renames a durable temporary file into place as `name`, makes the rename durable, then removes
 * every older snapshot (by end offset, then epoch).
 */
export function publishSnapshot(dir: string, tmpPath: string, name: string): void {
  renameSync(tmpPath, join(dir, name));
  fsyncDirectory(dir);
  removeSnapshotsOlderThan(dir, name);
}

/** Removes every snapshot older (by end offset, then epoch) than the one named `name`. */
export function removeSnapshotsOlderThan(dir: string, name: string): void {
  for (const path of snapshotsOlderThan(dir, name)) rmSync(path, { force: true });
}

/** The paths of every snapshot older (by end offset, then epoch) than the one named `name`. */
export function snapshotsOlderThan(dir: string, name: string): string[] {
  const published = parseSnapshotName(name)!;
  return listSnapshots(dir).filter((other) => compareSnapshots(other, published) < 0).map((other) => join(dir, other.name));
}

/** Appends to a file descriptor through a buffer, so many small frames cost few syscalls. */
class BufferedWriter {
  private readonly buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private used = 0;

  constructor(private readonly fd: number) {}

  write(bytes: Buffer): void {
    if (this.used + bytes.length > this.buffer.length) this.flush();
    if (bytes.length >= this.buffer.length) {
      writeFully(this.fd, bytes);
      return;
    }
    bytes.copy(this.buffer, this.used);
    this.used += bytes.length;
  }

  flush(): void {
    writeFully(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

function writeFully(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

interface SnapshotFile {
  name: string;
  endOffset: number;
  epoch: number;
}

function parseSnapshotName(name: string): SnapshotFile | undefined {
  const match = SNAPSHOT_NAME.exec(name);
  return match === null ? undefined : { name, endOffset: Number(match[1]), epoch: Number(match[2]) };
}

function compareSnapshots(a: SnapshotFile, b: SnapshotFile): number {
  return a.endOffset - b.endOffset || a.epoch - b.epoch;
}

/** Snapshot files in `dir`, newest first. */
function listSnapshots(dir: string): SnapshotFile[] {
  const files: SnapshotFile[] = [];
  for (const name of readdirSync(dir)) {
    const file = parseSnapshotName(name);
    if (file !== undefined) files.push(file);
  }
  return files.sort((a, b) => compareSnapshots(b, a));
}

/** The newest snapshot that reads back whole, or null; `log` hears of every damaged one. */
export function readLatestSnapshot(dir: string, log: (line: string) => void): SnapshotData<MetadataSnapshot> | null {
  for (const file of listSnapshots(dir)) {
    const path = join(dir, file.name);
    const problem = checkSnapshot(path, file);
    if (typeof problem !== 'string') return problem;
    log(`Skipping damaged snapshot ${path}: ${problem}`);
  }
  return null;
}

/** The snapshot in `path` read a block at a time (a 64 MB file is never one buffer), or what is wrong with it. */
function checkSnapshot(path: string, file: SnapshotFile): SnapshotData<MetadataSnapshot> | string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const first = Buffer.alloc(9);
    if (readSync(fd, first, 0, first.length, 0) === first.length && first[8] === OPEN_BRACE) return checkJsonSnapshot(readFileSync(path), file);
    return matchesName(decodeSnapshotFile(fd, size), file);
  } catch (error) {
    if (error instanceof SnapshotFormatError) return error.message;
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** The first format: one frame holding `{endOffset, lastEpoch, records: batches}` as JSON. */
function checkJsonSnapshot(bytes: Buffer, file: SnapshotFile): SnapshotData<MetadataSnapshot> | string {
  let payload: Buffer | null = null;
  const scan = forEachFrame(bytes, bytes.length, (frame) => {
    if (payload !== null) return 'not exactly one frame';
    payload = frame;
    return undefined;
  });
  if (scan.problem !== undefined) return scan.problem;
  if (payload === null) return 'not exactly one frame';
  let json: { endOffset: number; lastEpoch: number; records: MetadataBatch[] };
  try {
    json = JSON.parse((payload as Buffer).toString('utf8')) as typeof json;
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (!Array.isArray(json.records) || !json.records.every(Array.isArray)) return 'no records array of batches';
  let state: MetadataSnapshot;
  try {
    state = MetadataSnapshot.fromRecords(json.records.flat());
  } catch (error) {
    return `records do not replay: ${(error as Error).message}`;
  }
  return matchesName({ endOffset: json.endOffset, lastEpoch: json.lastEpoch, state }, file);
}

function matchesName(snapshot: SnapshotData<MetadataSnapshot>, file: SnapshotFile): SnapshotData<MetadataSnapshot> | string {
  if (snapshot.endOffset !== file.endOffset || snapshot.lastEpoch !== file.epoch) {
    return `content does not match its name (endOffset ${snapshot.endOffset}, lastEpoch ${snapshot.lastEpoch})`;
  }
  return snapshot;
}

/** Removes temporary files a crash left behind mid-write. */
export function removeStaleTemporaries(dir: string): void {
  // `.partial`: a snapshot fetched in part before a crash (partial-snapshot.ts) never counts.
  for (const name of readdirSync(dir)) if (name.endsWith('.tmp') || name.endsWith('.partial')) rmSync(join(dir, name), { force: true });
}
