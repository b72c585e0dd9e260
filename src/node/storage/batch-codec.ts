/**
 * The binary payloads the node's storage writes inside CRC frames (record-frame.ts): a log entry
 * (offset, epoch and its batch of metadata records) and a run of records. Each record is the
 * metadata record codec's own bytes (record-codec.ts, ~30 B for a partition), prefixed with its
 * length, so nothing on disk is JSON and decoding never builds one giant string.
 *
 *   entry payload:  u8 ENTRY_FORMAT_VERSION, f64 offset, u32 epoch, then a record run
 *   record run:     u32 count, then count × (u32 length, record bytes)
 *
 * All integers are big-endian. Offsets are stored as f64 so any safe integer fits.
 */
import type { LogEntry } from '../../core/host-interface.js';
import { recordRunOf as coreRecordRunOf, rememberRecordRun, type MetadataBatch } from '../../core/metadata-log.js';
import { decodeRecord, encodeRecord } from '../../core/metadata/record-codec.js';
import type { MetadataRecord } from '../../core/metadata/records.js';

/** First byte of a binary entry payload; the JSON payloads of the first format start with "{". */
export const ENTRY_FORMAT_VERSION = 2;
const ENTRY_HEADER_BYTES = 1 + 8 + 4;
const OPEN_BRACE = 0x7b;

export class StorageFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageFormatError';
  }
}

/** Bytes of `records` as a record run, starting with `headerBytes` zeroed bytes for the caller. */
export function encodeRecordRun(records: readonly MetadataRecord[], headerBytes = 0, from = 0, to = records.length): Buffer {
  const encoded: Uint8Array[] = new Array<Uint8Array>(to - from);
  let total = headerBytes + 4;
  for (let i = from; i < to; i++) {
    const bytes = encodeRecord(records[i]!);
    encoded[i - from] = bytes;
    total += 4 + bytes.length;
  }
  const out = Buffer.allocUnsafe(total);
  out.fill(0, 0, headerBytes);
  let position = headerBytes;
  out.writeUInt32BE(to - from, position);
  position += 4;
  for (const bytes of encoded) {
    out.writeUInt32BE(bytes.length, position);
    out.set(bytes, position + 4);
    position += 4 + bytes.length;
  }
  return out;
}

/** Decodes the record run at `start` of `bytes` into `into`; returns where it ends. */
export function decodeRecordRun(bytes: Buffer, start: number, into: MetadataRecord[]): number {
  return forEachRecordOfRun(bytes, start, (record) => {
    into.push(record);
  });
}

/**
 * Decodes the record run at `start` of `bytes` one record at a time, each read in place and handed
 * to `visit` before the next is decoded (a snapshot replays millions this way without holding
 * them); returns where the run ends.
 */
export function forEachRecordOfRun(bytes: Buffer, start: number, visit: (record: MetadataRecord, index: number) => void): number {
  if (bytes.length - start < 4) throw new StorageFormatError(`record run at byte ${start}: no record count`);
  const count = bytes.readUInt32BE(start);
  let position = start + 4;
  for (let i = 0; i < count; i++) {
    if (bytes.length - position < 4) throw new StorageFormatError(`record ${i} of ${count}: no length`);
    const length = bytes.readUInt32BE(position);
    const end = position + 4 + length;
    if (end > bytes.length) throw new StorageFormatError(`record ${i} of ${count}: ${length} bytes, only ${bytes.length - position - 4} left`);
    visit(decodeRecord(bytes, position + 4, end), i);
    position = end;
  }
  return position;
}

/** The record run of `batch`, encoded once per batch (core/metadata-log.ts keeps it). */
export function recordRunOf(batch: MetadataBatch): Buffer {
  const run = coreRecordRunOf(batch);
  return Buffer.from(run.buffer, run.byteOffset, run.byteLength);
}

/** Decodes a record run that is a whole batch, remembers its bytes for `recordRunOf`, freezes it. */
export function batchOfRecordRun(run: Buffer): MetadataBatch {
  const records: MetadataRecord[] = [];
  const end = decodeRecordRun(run, 0, records);
  if (end !== run.length) throw new StorageFormatError(`a record run has ${run.length - end} bytes after its records`);
  const batch = Object.freeze(records);
  // A copy: `run` is usually a view into a larger frame that should not be kept alive with it.
  rememberRecordRun(batch, Buffer.from(run));
  return batch;
}

export function encodeEntry(entry: LogEntry<MetadataBatch>): Buffer {
  const run = recordRunOf(entry.record);
  const out = Buffer.allocUnsafe(ENTRY_HEADER_BYTES + run.length);
  out.writeUInt8(ENTRY_FORMAT_VERSION, 0);
  out.writeDoubleBE(entry.offset, 1);
  out.writeUInt32BE(entry.epoch, 9);
  run.copy(out, ENTRY_HEADER_BYTES);
  return out;
}

/**
 * The offset and epoch of an entry payload, without decoding its records (recovery reads every
 * entry's position but decodes only those after the snapshot). Throws StorageFormatError as
 * `decodeEntry` would for a bad header.
 */
export function decodeEntryHeader(payload: Buffer): { offset: number; epoch: number } {
  if (payload.length === 0 || payload[0] !== ENTRY_FORMAT_VERSION) return decodeEntry(payload);
  if (payload.length < ENTRY_HEADER_BYTES) throw new StorageFormatError(`entry payload of ${payload.length} bytes is shorter than its header`);
  const offset = payload.readDoubleBE(1);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new StorageFormatError(`entry offset ${offset} is not a non-negative integer`);
  return { offset, epoch: payload.readUInt32BE(9) };
}

/** Reads an entry payload in the binary format or the JSON one of the first format. */
export function decodeEntry(payload: Buffer): LogEntry<MetadataBatch> {
  if (payload.length === 0) throw new StorageFormatError('empty entry payload');
  if (payload[0] === OPEN_BRACE) {
    let entry: LogEntry<MetadataBatch>;
    try {
      entry = JSON.parse(payload.toString('utf8')) as LogEntry<MetadataBatch>;
    } catch (error) {
      throw new StorageFormatError(`not JSON: ${(error as Error).message}`);
    }
    if (!Number.isInteger(entry.offset) || !Number.isInteger(entry.epoch) || !Array.isArray(entry.record)) {
      throw new StorageFormatError('JSON entry lacks an integer offset, an integer epoch or a record array');
    }
    return entry;
  }
  if (payload[0] !== ENTRY_FORMAT_VERSION) throw new StorageFormatError(`entry payload starts with byte ${payload[0]}, which names no known format`);
  if (payload.length < ENTRY_HEADER_BYTES) throw new StorageFormatError(`entry payload of ${payload.length} bytes is shorter than its header`);
  const offset = payload.readDoubleBE(1);
  const epoch = payload.readUInt32BE(9);
  const records: MetadataRecord[] = [];
  const end = decodeRecordRun(payload, ENTRY_HEADER_BYTES, records);
  if (end !== payload.length) throw new StorageFormatError(`entry payload has ${payload.length - end} bytes after its records`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new StorageFormatError(`entry offset ${offset} is not a non-negative integer`);
  return { offset, epoch, record: records };
}
