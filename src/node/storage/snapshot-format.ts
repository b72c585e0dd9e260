/**
 * The bytes of a metadata snapshot, on disk and on the wire: a run of CRC frames (record-frame.ts),
 * produced and consumed one frame at a time, so a two-million-partition image is never one giant
 * buffer, string or array of records.
 *
 * Format version 3 (written):
 *   header:  u8 0, u8 3, f64 endOffset, u32 lastEpoch
 *   control: u8 3, the JSON of the quorum's own state at endOffset (SnapshotControl: kraft.version
 *            and voter set; KRaft puts these first in its snapshots too), when the raft layer
 *            gave one: a few hundred bytes, read once per restart, in the raft layer's own shape
 *   chunk:   u8 1, record run (batch-codec.ts) of up to RECORDS_PER_CHUNK records, in the
 *            snapshot's canonical order (core/metadata/snapshot.ts)
 *   trailer: u8 2, u32 chunk count, f64 record count (a file cut short lacks it)
 *
 * Version 2 (read only) had the same frames with the records split into batches: a u32 batch count
 * after the header's epoch, and a u32 batch index after each chunk's kind byte. Its batches are
 * read in order as one run of records. Version 1 (read only, by snapshot-files.ts) was one frame
 * holding the JSON of the whole snapshot.
 *
 * Reading goes over the frames twice: first it checks them all (CRCs, kinds, order, the trailer's
 * counts), then it replays each record into an image as soon as it is decoded (in place, from the
 * frame's bytes), so no list of records is ever held, and a file damaged further on costs no
 * replay. A file is read a block at a time (`decodeSnapshotFile`), never whole: a follower decodes
 * a fetched 64 MB snapshot from its partial file without holding its bytes.
 */
import type { BeforeSnapshotBuild, SnapshotControl, SnapshotData } from '../../core/host-interface.js';
import { MetadataImage, MetadataSnapshot, type MetadataRecord } from '../../core/metadata/index.js';
import { forEachRecordOfRun } from './batch-codec.js';
import { encodeFrame, forEachFrame, forEachFrameOfFile, type FrameScan } from './record-frame.js';

export const SNAPSHOT_FORMAT_VERSION = 3;
/**
 * Records per chunk frame: ~70 KiB of partition records, one CRC each, about a millisecond to
 * encode (a background writer yields the event loop between frames).
 */
export const RECORDS_PER_CHUNK = 2048;
/** Larger frames are corruption (a chunk of RECORDS_PER_CHUNK records stays far below). */
export const SNAPSHOT_FRAME_MAX_BYTES = 64 * 1024 * 1024;

const KIND_HEADER = 0;
const KIND_CHUNK = 1;
const KIND_TRAILER = 2;
const KIND_CONTROL = 3;
const HEADER_V2_BYTES = 1 + 1 + 8 + 4 + 4;
const HEADER_V3_BYTES = 1 + 1 + 8 + 4;
const TRAILER_BYTES = 1 + 4 + 8;

/** Why bytes are not a whole snapshot of a version we read; the message says where and what. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/**
 * The frames of `snapshot`, one at a time: pulling the next one encodes the next chunk, so a
 * writer can stop between frames (to yield the event loop) and resume.
 */
export function* snapshotFrames(snapshot: SnapshotData<MetadataSnapshot>): Generator<Buffer> {
  const header = Buffer.alloc(HEADER_V3_BYTES);
  header.writeUInt8(KIND_HEADER, 0);
  header.writeUInt8(SNAPSHOT_FORMAT_VERSION, 1);
  header.writeDoubleBE(snapshot.endOffset, 2);
  header.writeUInt32BE(snapshot.lastEpoch, 10);
  yield encodeFrame(header);
  if (snapshot.control !== undefined) {
    yield encodeFrame(Buffer.concat([Buffer.of(KIND_CONTROL), Buffer.from(JSON.stringify(snapshot.control), 'utf8')]));
  }
  let chunks = 0;
  let records = 0;
  // Each chunk's records are written straight from the frozen image's columns (no record objects).
  for (const run of snapshot.state.recordRuns(RECORDS_PER_CHUNK, 1)) {
    const payload = Buffer.from(run.buffer, run.byteOffset, run.byteLength);
    payload.writeUInt8(KIND_CHUNK, 0);
    chunks++;
    records += payload.readUInt32BE(1);
    yield encodeFrame(payload);
  }
  const trailer = Buffer.alloc(TRAILER_BYTES);
  trailer.writeUInt8(KIND_TRAILER, 0);
  trailer.writeUInt32BE(chunks, 1);
  trailer.writeDoubleBE(records, 5);
  yield encodeFrame(trailer);
}

/** The whole encoding of `snapshot` in one buffer (for small snapshots and tests). */
export function encodeSnapshot(snapshot: SnapshotData<MetadataSnapshot>): Buffer {
  return Buffer.concat([...snapshotFrames(snapshot)]);
}

/**
 * Reads a snapshot of format version 2 or 3 from `bytes`; throws SnapshotFormatError naming the
 * first problem (a bad frame, a missing trailer, a count that disagrees, records that do not
 * decode or do not replay). `beforeBuild` is called once every frame checked, before any record
 * is replayed.
 */
export function decodeSnapshot(bytes: Buffer, beforeBuild?: BeforeSnapshotBuild): SnapshotData<MetadataSnapshot> {
  return decodeFrames((visit) => forEachFrame(bytes, SNAPSHOT_FRAME_MAX_BYTES, visit), beforeBuild);
}

/** `decodeSnapshot` of the first `sizeBytes` of the file open as `fd`, read a block at a time. */
export function decodeSnapshotFile(fd: number, sizeBytes: number, beforeBuild?: BeforeSnapshotBuild): SnapshotData<MetadataSnapshot> {
  return decodeFrames((visit) => forEachFrameOfFile(fd, sizeBytes, SNAPSHOT_FRAME_MAX_BYTES, visit), beforeBuild);
}

/** Walks a snapshot's frames, handing each payload (a view, valid during the call) to `visit`. */
type FrameWalk = (visit: (payload: Buffer) => undefined) => Omit<FrameScan, 'frames'>;

function decodeFrames(walk: FrameWalk, beforeBuild?: BeforeSnapshotBuild): SnapshotData<MetadataSnapshot> {
  const checked = readFrames(walk, null);
  beforeBuild?.({ endOffset: checked.endOffset, epoch: checked.lastEpoch });
  const image = MetadataImage.empty();
  const reader = readFrames(walk, (record, recordsRead) => {
    try {
      image.apply(record);
    } catch (error) {
      throw new SnapshotFormatError(`record ${recordsRead} does not replay: ${(error as Error).message}`, { cause: error });
    }
  });
  const snapshot: SnapshotData<MetadataSnapshot> = { endOffset: reader.endOffset, lastEpoch: reader.lastEpoch, state: MetadataSnapshot.of(image) };
  if (reader.control !== undefined) snapshot.control = reader.control;
  return snapshot;
}

/** One pass over the frames: `visit` null checks them only (records counted, not decoded). */
function readFrames(walk: FrameWalk, visit: RecordVisit | null): SnapshotReader {
  const reader = new SnapshotReader();
  const scan = walk((payload) => reader.take(payload, visit));
  if (scan.problem !== undefined) throw new SnapshotFormatError(`frame at byte ${scan.validEnd}: ${scan.problem}`);
  reader.finish();
  return reader;
}

type RecordVisit = (record: MetadataRecord, recordsRead: number) => void;

/** Reads the frames of one snapshot in order, checking them, and hands each record over as it decodes. */
class SnapshotReader {
  endOffset = 0;
  lastEpoch = 0;
  /** Records handed over (or counted) so far. */
  recordsRead = 0;
  control: SnapshotControl | undefined;
  private version = 0;
  private frames = 0;
  private chunks = 0;
  private lastBatch = 0;
  private trailerSeen = false;

  take(payload: Buffer, visit: RecordVisit | null): undefined {
    const index = this.frames++;
    if (index === 0) return this.readHeader(payload);
    if (this.trailerSeen) throw new SnapshotFormatError('frames after the trailer');
    const kind = payload[0];
    if (kind === KIND_CHUNK) {
      this.readChunk(payload, visit);
    } else if (kind === KIND_TRAILER) {
      this.readTrailer(payload);
    } else if (kind === KIND_CONTROL && this.version >= 3 && index === 1) {
      this.readControl(payload);
    } else {
      throw new SnapshotFormatError(`frame ${index} is of unknown kind ${kind}`);
    }
    return undefined;
  }

  finish(): void {
    if (this.frames === 0) throw new SnapshotFormatError('empty file');
    if (!this.trailerSeen) throw new SnapshotFormatError('no trailer (the file was cut short)');
  }

  private readHeader(payload: Buffer): undefined {
    if (payload[0] !== KIND_HEADER || payload.length < 2) throw new SnapshotFormatError('the first frame is not a snapshot header');
    this.version = payload[1]!;
    const expectedBytes = this.version === 2 ? HEADER_V2_BYTES : this.version === 3 ? HEADER_V3_BYTES : undefined;
    if (expectedBytes === undefined) {
      throw new SnapshotFormatError(`snapshot format version ${this.version} is unknown (this node reads 1 to ${SNAPSHOT_FORMAT_VERSION})`);
    }
    if (payload.length !== expectedBytes) {
      throw new SnapshotFormatError(`a version ${this.version} header has ${expectedBytes} bytes, this one ${payload.length}`);
    }
    this.endOffset = payload.readDoubleBE(2);
    this.lastEpoch = payload.readUInt32BE(10);
    if (!Number.isSafeInteger(this.endOffset) || this.endOffset < 0) {
      throw new SnapshotFormatError(`end offset ${this.endOffset} is not a non-negative integer`);
    }
    return undefined;
  }

  private readChunk(payload: Buffer, visit: RecordVisit | null): void {
    let start = 1;
    if (this.version === 2) {
      // Batches only grouped records; they are read in the order they were written.
      if (payload.length < 5) throw new SnapshotFormatError(`chunk ${this.chunks} has no batch index`);
      const batch = payload.readUInt32BE(1);
      if (batch < this.lastBatch) throw new SnapshotFormatError(`chunk ${this.chunks} names batch ${batch} after batch ${this.lastBatch}`);
      this.lastBatch = batch;
      start = 5;
    }
    if (visit === null) {
      if (payload.length - start < 4) throw new SnapshotFormatError(`chunk ${this.chunks}: record run at byte ${start}: no record count`);
      this.recordsRead += payload.readUInt32BE(start);
      this.chunks++;
      return;
    }
    let end: number;
    try {
      end = forEachRecordOfRun(payload, start, (record) => {
        visit(record, this.recordsRead);
        this.recordsRead++;
      });
    } catch (error) {
      if (error instanceof SnapshotFormatError) throw error;
      throw new SnapshotFormatError(`chunk ${this.chunks}: ${(error as Error).message}`, { cause: error });
    }
    if (end !== payload.length) throw new SnapshotFormatError(`chunk ${this.chunks} has ${payload.length - end} bytes after its records`);
    this.chunks++;
  }
  private readControl(payload: Buffer): void {
    let control: Partial<SnapshotControl>;
    try {
      control = JSON.parse(payload.subarray(1).toString('utf8')) as Partial<SnapshotControl>;
    } catch (error) {
      throw new SnapshotFormatError(`the control frame is not JSON: ${(error as Error).message}`);
    }
    if (!Number.isInteger(control.kraftVersion) || (control.voters !== null && !Array.isArray(control.voters))) {
      throw new SnapshotFormatError('the control frame lacks an integer kraftVersion or a voters list (or null)');
    }
    this.control = control as SnapshotControl;
  }

  private readTrailer(payload: Buffer): void {
    if (payload.length !== TRAILER_BYTES) throw new SnapshotFormatError(`the trailer has ${payload.length} bytes, not ${TRAILER_BYTES}`);
    const chunks = payload.readUInt32BE(1);
    const records = payload.readDoubleBE(5);
    if (chunks !== this.chunks || records !== this.recordsRead) {
      throw new SnapshotFormatError(`the trailer counts ${chunks} chunks and ${records} records, the file holds ${this.chunks} and ${this.recordsRead}`);
    }
    this.trailerSeen = true;
  }
}
