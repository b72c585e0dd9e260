/**
 * Metadata records to bytes and back, and the record digest the `committed` node events carry.
 *
 * Records are encoded in the binary format (record-binary.ts, version 2). The first byte names the
 * format: 2 for binary, "{" for the JSON format of version 1 (record-json.ts), which `decodeRecord`
 * still reads. Both encodings depend only on a record's field values, never on how the object was
 * built, so equal records have equal bytes, and equal digests, on every node.
 */
import { Fnv1a64 } from './fnv1a64.js';
import { BINARY_FORMAT_VERSION, decodeBinary, encodeBinary, encodeBinaryRun, RecordFormatError } from './record-binary.js';
import { decodeJson } from './record-json.js';
import type { MetadataRecord } from './records.js';

export { RecordFormatError } from './record-binary.js';
export { recordFromObject, recordToJson, JSON_FORMAT_VERSION } from './record-json.js';

/** The version `encodeRecord` writes. */
export const RECORD_FORMAT_VERSION = BINARY_FORMAT_VERSION;

const OPEN_BRACE = 0x7b;

export function encodeRecord(record: MetadataRecord): Uint8Array {
  return encodeBinary(record);
}

/** Records as a record run: u32 count, then count × (u32 length, `encodeRecord` bytes), big-endian. */
export function encodeRecordRun(records: readonly MetadataRecord[]): Uint8Array {
  return encodeBinaryRun(records);
}

/**
 * Reads a record in either format from bytes[start, end) (the whole array by default); throws
 * RecordFormatError naming what is wrong.
 */
export function decodeRecord(bytes: Uint8Array, start = 0, end = bytes.length): MetadataRecord {
  if (end <= start) throw new RecordFormatError('metadata record is empty');
  if (bytes[start] === BINARY_FORMAT_VERSION) return decodeBinary(bytes, start, end);
  if (bytes[start] === OPEN_BRACE) return decodeJson(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
  throw new RecordFormatError(`metadata record starts with byte ${bytes[start]}, which names no known format version`);
}

/** A digest of a record's canonical (binary) bytes: 16 hex digits of FNV-1a 64. */
export function recordDigest(recordOrBytes: MetadataRecord | Uint8Array): string {
  const bytes = recordOrBytes instanceof Uint8Array ? recordOrBytes : encodeRecord(recordOrBytes);
  return new Fnv1a64().update(bytes).hex();
}
