/**
 * The metadata log on disk: a directory of segment files `<baseOffset:20 digits>.log`, each a
 * run of CRC-framed entries (record-frame.ts) whose payload is one LogEntry (offset, epoch, the
 * batch of metadata records) in the binary format of batch-codec.ts (JSON payloads of the first
 * format are still read). The newest segment is appended to until it reaches
 * `segmentBytes`, then a new one starts. Truncation cuts the segment holding the offset and
 * removes every later one; deleting a prefix removes whole segments only, as Kafka does.
 *
 * The byte position and epoch of every entry are kept in memory so truncation is exact, and so
 * the store can tell whether the log continues a snapshot.
 *
 * All IO is synchronous on purpose: the host must not feed the core between `ready()` and
 * `advance()`, and blocking the one thread while the log is written and fsynced is the simplest
 * way to guarantee that (the metadata log is small and written in batches, like KRaft's).
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, fsyncSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEntry } from '../../core/host-interface.js';
import type { MetadataBatch } from '../../core/metadata-log.js';
import { fsyncDirectory } from './atomic-file.js';
import { decodeEntry, decodeEntryHeader, encodeEntry } from './batch-codec.js';
import { encodeFrame, forEachFrameOfFile, FRAME_HEADER_BYTES } from './record-frame.js';

const SEGMENT_NAME = /^([0-9]{20})\.log$/;

/** No single entry may be larger than this (a length field above it is corruption). */
export const ENTRY_PAYLOAD_MAX_BYTES = 64 * 1024 * 1024;

interface Segment {
  baseOffset: number;
  path: string;
  sizeBytes: number;
  /** Byte position of each entry, by offset - baseOffset. */
  positions: number[];
  epochs: number[];
}

export interface OpenedLog {
  log: SegmentedLog;
  /** Every entry found at or after `decodeFromOffset`, in offset order. */
  entries: LogEntry<MetadataBatch>[];
}

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

export class SegmentedLog {
  private activeFd: number | null = null;
  private activeDirty = false;
  private directoryDirty = false;

  private constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
    private segments: Segment[],
  ) {}

  /**
   * Reads every segment, cutting a torn or corrupt tail (and anything after it) with a log line.
   * Every entry is checked and its position and epoch kept, but only entries at or after
   * `decodeFromOffset` (the snapshot's end) are decoded: the prefix a snapshot covers may hold
   * millions of records that a restart would otherwise decode only to drop.
   */
  static open(dir: string, segmentBytes: number, log: (line: string) => void, decodeFromOffset = 0): OpenedLog {
    const names = readdirSync(dir).filter((name) => SEGMENT_NAME.test(name)).sort();
    const segments: Segment[] = [];
    const entries: LogEntry<MetadataBatch>[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const segment: Segment = { baseOffset: Number(SEGMENT_NAME.exec(name)![1]), path: join(dir, name), sizeBytes: 0, positions: [], epochs: [] };
      const previous = segments[segments.length - 1];
      const expectedBase = previous === undefined ? segment.baseOffset : previous.baseOffset + previous.positions.length;
      let problem: string | undefined;
      let damagedFrom = i + 1;
      if (segment.baseOffset !== expectedBase) {
        problem = `segment ${segment.path} starts at offset ${segment.baseOffset}, but the log before it ends at ${expectedBase}`;
        damagedFrom = i;
      } else {
        problem = readSegment(segment, entries, decodeFromOffset);
        segments.push(segment);
        if (problem !== undefined) {
          log(`Found a torn or corrupt record in ${segment.path} at byte ${segment.sizeBytes} (${problem}): ` +
            `truncating the log to offset ${segment.baseOffset + segment.positions.length}`);
          ftruncateFile(segment.path, segment.sizeBytes);
        }
      }
      if (problem === undefined) continue;
      if (damagedFrom === i) log(`Found a gap in the metadata log: ${problem}`);
      for (const later of names.slice(damagedFrom)) {
        log(`Deleting log segment ${join(dir, later)}, which follows the damaged part of the log`);
        rmSync(join(dir, later), { force: true });
      }
      fsyncDirectory(dir);
      break;
    }
    const opened = new SegmentedLog(dir, segmentBytes, segments);
    return { log: opened, entries };
  }

  /** The offset the next append must have (null when the log has no segment yet). */
  get endOffset(): number | null {
    const last = this.segments[this.segments.length - 1];
    return last === undefined ? null : last.baseOffset + last.positions.length;
  }

  get startOffset(): number | null {
    return this.segments[0]?.baseOffset ?? null;
  }

  /**
   * The entry at `offset`, read from its segment and decoded (its frame was checked when the log
   * was opened); undefined if the log does not hold it.
   */
  readEntry(offset: number): LogEntry<MetadataBatch> | undefined {
    const segment = this.segmentHolding(offset);
    if (segment === undefined) return undefined;
    const index = offset - segment.baseOffset;
    const position = segment.positions[index]!;
    const end = segment.positions[index + 1] ?? segment.sizeBytes;
    const frame = Buffer.allocUnsafe(end - position);
    const fd = openSync(segment.path, 'r');
    try {
      for (let done = 0; done < frame.length;) {
        const read = readSync(fd, frame, done, frame.length - done, position + done);
        if (read === 0) throw new Error(`${segment.path} ends at byte ${position + done}, inside the entry at offset ${offset}`);
        done += read;
      }
    } finally {
      closeSync(fd);
    }
    const entry = decodeEntry(frame.subarray(FRAME_HEADER_BYTES));
    if (entry.offset !== offset) throw new Error(`${segment.path}: the entry at byte ${position} has offset ${entry.offset}, not ${offset}`);
    return entry;
  }

  /** The epoch of the entry at `offset`, if the log holds it. */
  epochAt(offset: number): number | undefined {
    const segment = this.segmentHolding(offset);
    return segment?.epochs[offset - segment.baseOffset];
  }

  /**
   * Appends in one write per segment touched: the frames of consecutive entries are gathered and
   * written together (one syscall for a whole burst rather than one per entry).
   */
  append(entries: readonly LogEntry<MetadataBatch>[]): void {
    let pending: Buffer[] = [];
    let pendingStart = 0;
    let pendingBytes = 0;
    const flush = (): void => {
      if (pending.length === 0) return;
      writeAll(this.activeDescriptor(), pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes), pendingStart);
      this.activeDirty = true;
      pending = [];
      pendingBytes = 0;
    };
    for (const entry of entries) {
      const end = this.endOffset;
      if (end !== null && entry.offset !== end) {
        flush();
        throw new Error(`metadata log: append at offset ${entry.offset} does not continue the log ending at ${end}`);
      }
      let active = this.segments[this.segments.length - 1];
      if (active === undefined || (active.sizeBytes >= this.segmentBytes && active.positions.length > 0)) {
        flush();
        active = this.roll(entry.offset);
      }
      const frame = encodeFrame(encodeEntry(entry));
      if (pending.length === 0) pendingStart = active.sizeBytes;
      pending.push(frame);
      pendingBytes += frame.length;
      active.positions.push(active.sizeBytes);
      active.epochs.push(entry.epoch);
      active.sizeBytes += frame.length;
    }
    flush();
  }

  /** Drops every entry at offset >= `offset`. */
  truncateTo(offset: number): void {
    const end = this.endOffset;
    if (end === null || offset >= end) return;
    const start = this.startOffset as number;
    if (offset <= start) {
      this.resetTo(offset);
      return;
    }
    this.closeActive();
    while (this.segments.length > 0 && this.segments[this.segments.length - 1]!.baseOffset > offset - 1) {
      this.removeSegment(this.segments.pop()!);
    }
    const segment = this.segments[this.segments.length - 1]!;
    const keep = offset - segment.baseOffset;
    if (keep < segment.positions.length) {
      segment.sizeBytes = segment.positions[keep] as number;
      segment.positions.length = keep;
      segment.epochs.length = keep;
      ftruncateFile(segment.path, segment.sizeBytes);
    }
  }

  /** Removes whole segments that hold only entries below `offset`; the newest segment stays. */
  deleteBefore(offset: number): void {
    while (this.segments.length > 1) {
      const next = this.segments[1] as Segment;
      if (next.baseOffset > offset) break;
      this.removeSegment(this.segments.shift()!);
    }
  }

  /** Empties the log; the next append starts a segment at `offset` (after a fetched snapshot). */
  resetTo(offset: number): void {
    this.closeActive();
    for (const segment of this.segments) this.removeSegment(segment);
    this.segments = [];
    this.roll(offset);
  }

  /** fsync of what was written since the last sync, and of the directory if files came or went. */
  sync(): void {
    // fdatasync: appends change the data and the size, both of which it flushes; the mtime it
    // skips is never read back. Files created or removed are covered by the directory fsync.
    if (this.activeFd !== null && this.activeDirty) fdatasyncSync(this.activeFd);
    this.activeDirty = false;
    if (this.directoryDirty) fsyncDirectory(this.dir);
    this.directoryDirty = false;
  }

  close(): void {
    this.closeActive();
  }

  private roll(baseOffset: number): Segment {
    // The old active segment is made durable before it is closed: a later sync cannot reach it.
    this.sync();
    this.closeActive();
    const segment: Segment = { baseOffset, path: join(this.dir, segmentFileName(baseOffset)), sizeBytes: 0, positions: [], epochs: [] };
    closeSync(openSync(segment.path, 'w', 0o644));
    this.segments.push(segment);
    this.directoryDirty = true;
    return segment;
  }

  private activeDescriptor(): number {
    if (this.activeFd === null) this.activeFd = openSync(this.segments[this.segments.length - 1]!.path, 'r+');
    return this.activeFd;
  }

  private closeActive(): void {
    if (this.activeFd === null) return;
    if (this.activeDirty) fsyncSync(this.activeFd);
    this.activeDirty = false;
    closeSync(this.activeFd);
    this.activeFd = null;
  }

  private removeSegment(segment: Segment): void {
    rmSync(segment.path, { force: true });
    this.directoryDirty = true;
  }

  private segmentHolding(offset: number): Segment | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i] as Segment;
      if (offset >= segment.baseOffset) return offset < segment.baseOffset + segment.positions.length ? segment : undefined;
    }
    return undefined;
  }
}

/**
 * Reads one segment, a block at a time: the position and epoch of every entry, and the entries at
 * or after `decodeFromOffset` into `entries`; returns why it stopped early, if it did.
 */
function readSegment(segment: Segment, entries: LogEntry<MetadataBatch>[], decodeFromOffset: number): string | undefined {
  const fd = openSync(segment.path, 'r');
  try {
    const scan = forEachFrameOfFile(fd, fstatSync(fd).size, ENTRY_PAYLOAD_MAX_BYTES, (payload, position) => {
      const expected = segment.baseOffset + segment.positions.length;
      let entry: { offset: number; epoch: number };
      try {
        entry = expected >= decodeFromOffset ? decodeEntry(payload) : decodeEntryHeader(payload);
      } catch (error) {
        return `undecodable entry: ${(error as Error).message}`;
      }
      if (entry.offset !== expected) return `entry has offset ${entry.offset}, expected ${expected}`;
      segment.positions.push(position);
      segment.epochs.push(entry.epoch);
      if (expected >= decodeFromOffset) entries.push(entry as LogEntry<MetadataBatch>);
      return undefined;
    });
    segment.sizeBytes = scan.validEnd;
    return scan.problem;
  } finally {
    closeSync(fd);
  }
}

function ftruncateFile(path: string, sizeBytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, sizeBytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, position + written);
}
