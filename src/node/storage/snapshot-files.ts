/**
 * Snapshots of the metadata image as files named as KRaft names them,
 * `<endOffset:20 digits>-<epoch:10 digits>.checkpoint`, written atomically (a temporary file,
 * fsynced, renamed). Recovery takes the newest one that reads back whole; damaged ones are
 * reported and skipped. Only the newest is kept once a new one is durable.
 *
 * A file is a run of CRC frames (record-frame.ts), written and read one frame at a time, so a
 * million-record image is never one giant buffer or string:
 *
 *   header:  u8 0, u8 SNAPSHOT_FORMAT_VERSION, f64 endOffset, u32 lastEpoch, u32 batch count
 *   chunk:   u8 1, u32 batch index, record run (batch-codec.ts) of up to RECORDS_PER_CHUNK records;
 *            every batch has at least one chunk (so empty batches survive), in order
 *   trailer: u8 2, u32 chunk count, f64 record count (a file cut short lacks it)
 *
 * Files of the first format (one frame holding the JSON of the snapshot) are still read.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotData } from '../../core/host-interface.js';
import type { MetadataBatch } from '../../core/metadata-log.js';
import type { MetadataRecord } from '../../core/metadata/records.js';
import { fsyncDirectory } from './atomic-file.js';
import { decodeRecordRun, encodeRecordRun } from './batch-codec.js';
import { encodeFrame, forEachFrame } from './record-frame.js';

const SNAPSHOT_NAME = /^([0-9]{20})-([0-9]{10})\.checkpoint$/;
export const SNAPSHOT_FORMAT_VERSION = 2;
/** Records per chunk frame: ~250 KiB of partition records, one CRC each. */
export const RECORDS_PER_CHUNK = 8192;
/** Writes are gathered into buffers of about this size before each write(2). */
const WRITE_BUFFER_BYTES = 1 << 20;
const KIND_HEADER = 0;
const KIND_CHUNK = 1;
const KIND_TRAILER = 2;
const OPEN_BRACE = 0x7b;

export function snapshotFileName(endOffset: number, epoch: number): string {
  return `${String(endOffset).padStart(20, '0')}-${String(epoch).padStart(10, '0')}.checkpoint`;
}

export function writeSnapshot(dir: string, snapshot: SnapshotData<MetadataBatch>): void {
  const name = snapshotFileName(snapshot.endOffset, snapshot.lastEpoch);
  const path = join(dir, name);
  const tmpPath = `${path}.tmp`;
  const fd = openSync(tmpPath, 'w', 0o644);
  try {
    const writer = new BufferedWriter(fd);
    const header = Buffer.alloc(1 + 1 + 8 + 4 + 4);
    header.writeUInt8(KIND_HEADER, 0);
    header.writeUInt8(SNAPSHOT_FORMAT_VERSION, 1);
    header.writeDoubleBE(snapshot.endOffset, 2);
    header.writeUInt32BE(snapshot.lastEpoch, 10);
    header.writeUInt32BE(snapshot.records.length, 14);
    writer.write(encodeFrame(header));
    let chunks = 0;
    let records = 0;
    snapshot.records.forEach((batch, batchIndex) => {
      for (let from = 0; from === 0 || from < batch.length; from += RECORDS_PER_CHUNK) {
        const to = Math.min(batch.length, from + RECORDS_PER_CHUNK);
        const chunk = encodeRecordRun(batch, 5, from, to);
        chunk.writeUInt8(KIND_CHUNK, 0);
        chunk.writeUInt32BE(batchIndex, 1);
        writer.write(encodeFrame(chunk));
        chunks++;
        records += to - from;
      }
    });
    const trailer = Buffer.alloc(1 + 4 + 8);
    trailer.writeUInt8(KIND_TRAILER, 0);
    trailer.writeUInt32BE(chunks, 1);
    trailer.writeDoubleBE(records, 5);
    writer.write(encodeFrame(trailer));
    writer.flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmpPath, path);
  fsyncDirectory(dir);
  for (const other of listSnapshots(dir)) {
    if (other.name !== name) rmSync(join(dir, other.name), { force: true });
  }
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

function listSnapshots(dir: string): SnapshotFile[] {
  const files: SnapshotFile[] = [];
  for (const name of readdirSync(dir)) {
    const match = SNAPSHOT_NAME.exec(name);
    if (match !== null) files.push({ name, endOffset: Number(match[1]), epoch: Number(match[2]) });
  }
  return files.sort((a, b) => b.endOffset - a.endOffset || b.epoch - a.epoch);
}

/** The newest snapshot that reads back whole, or null; `log` hears of every damaged one. */
export function readLatestSnapshot(dir: string, log: (line: string) => void): SnapshotData<MetadataBatch> | null {
  for (const file of listSnapshots(dir)) {
    const path = join(dir, file.name);
    const problem = checkSnapshot(path, file);
    if (typeof problem !== 'string') return problem;
    log(`Skipping damaged snapshot ${path}: ${problem}`);
  }
  return null;
}

function checkSnapshot(path: string, file: SnapshotFile): SnapshotData<MetadataBatch> | string {
  const bytes = readFileSync(path);
  if (bytes.length > 8 && bytes[8] === OPEN_BRACE) return checkJsonSnapshot(bytes, file);
  let snapshot: SnapshotData<MetadataBatch> | null = null;
  let batches: MetadataRecord[][] = [];
  let chunks = 0;
  let records = 0;
  let trailerSeen = false;
  const scan = forEachFrame(bytes, bytes.length, (payload) => {
    if (trailerSeen) return 'frames after the trailer';
    const kind = payload[0];
    if (snapshot === null) {
      if (kind !== KIND_HEADER || payload.length !== 18) return 'the first frame is not a snapshot header';
      if (payload[1] !== SNAPSHOT_FORMAT_VERSION) return `snapshot format version ${payload[1]} is not ${SNAPSHOT_FORMAT_VERSION}`;
      batches = Array.from({ length: payload.readUInt32BE(14) }, () => []);
      snapshot = { endOffset: payload.readDoubleBE(2), lastEpoch: payload.readUInt32BE(10), records: batches };
      return undefined;
    }
    if (kind === KIND_CHUNK) {
      const batch = batches[payload.readUInt32BE(1)];
      if (batch === undefined) return `chunk ${chunks} names batch ${payload.readUInt32BE(1)} of ${batches.length}`;
      const before = batch.length;
      try {
        if (decodeRecordRun(payload, 5, batch) !== payload.length) return `chunk ${chunks} has bytes after its records`;
      } catch (error) {
        return `chunk ${chunks}: ${(error as Error).message}`;
      }
      chunks++;
      records += batch.length - before;
      return undefined;
    }
    if (kind === KIND_TRAILER && payload.length === 13) {
      if (payload.readUInt32BE(1) !== chunks || payload.readDoubleBE(5) !== records) {
        return `trailer counts ${payload.readUInt32BE(1)} chunks and ${payload.readDoubleBE(5)} records, the file holds ${chunks} and ${records}`;
      }
      trailerSeen = true;
      return undefined;
    }
    return `frame of unknown kind ${kind}`;
  });
  if (scan.problem !== undefined) return scan.problem;
  if (snapshot === null) return 'empty file';
  if (!trailerSeen) return 'no trailer (the file was cut short)';
  return matchesName(snapshot, file);
}

function checkJsonSnapshot(bytes: Buffer, file: SnapshotFile): SnapshotData<MetadataBatch> | string {
  let payload: Buffer | null = null;
  const scan = forEachFrame(bytes, bytes.length, (frame) => {
    if (payload !== null) return 'not exactly one frame';
    payload = frame;
    return undefined;
  });
  if (scan.problem !== undefined) return scan.problem;
  if (payload === null) return 'not exactly one frame';
  let snapshot: SnapshotData<MetadataBatch>;
  try {
    snapshot = JSON.parse((payload as Buffer).toString('utf8')) as SnapshotData<MetadataBatch>;
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (!Array.isArray(snapshot.records)) return 'no records array';
  return matchesName(snapshot, file);
}

function matchesName(snapshot: SnapshotData<MetadataBatch>, file: SnapshotFile): SnapshotData<MetadataBatch> | string {
  if (snapshot.endOffset !== file.endOffset || snapshot.lastEpoch !== file.epoch) {
    return `content does not match its name (endOffset ${snapshot.endOffset}, lastEpoch ${snapshot.lastEpoch})`;
  }
  return snapshot;
}

/** Removes temporary files a crash left behind mid-write. */
export function removeStaleTemporaries(dir: string): void {
  for (const name of readdirSync(dir)) if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
}
