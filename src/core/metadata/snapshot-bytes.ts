/**
 * A metadata snapshot as bytes, pure: the codec a core uses when its host gives none (the
 * simulator, tests), so FetchSnapshot's pieces are real bytes there too. The real server gives its
 * own (storage/snapshot-format.ts, CRC frames), the same bytes as its snapshot files.
 *
 *   u32 header length, header (UTF-8 JSON: endOffset, lastEpoch, control when known),
 *   record run (record-codec.ts: u32 count, then count × (u32 length, record)),
 *   16 ASCII hex digits: FNV-1a 64 of every byte before them.
 *
 * Decoding checks the digest before it reads anything, so a snapshot cut short or damaged is
 * refused whole, never half installed.
 */
import type { BeforeSnapshotBuild, SnapshotBytes, SnapshotCodec, SnapshotControl, SnapshotData } from '../host-interface.js';
import { Fnv1a64 } from './fnv1a64.js';
import { decodeRecord } from './record-codec.js';
import type { MetadataRecord } from './records.js';
import { MetadataSnapshot, metadataSnapshotOf } from './snapshot.js';

const DIGEST_CHARS = 16;
const U32_BYTES = 4;
/**
 * Made once: a TextEncoder or TextDecoder made per call cost more than the rest of encoding or
 * decoding a simulated node's kilobyte snapshot (FetchSnapshot's bytes), which a leader makes, and
 * a follower decodes, several times a simulated second.
 */
const headerEncoder = new TextEncoder();
const headerDecoder = new TextDecoder();

/** Why bytes are not a whole snapshot; the message says what. */
export class SnapshotBytesError extends Error {
  override readonly name = 'SnapshotBytesError';
}

export const METADATA_SNAPSHOT_CODEC: SnapshotCodec = {
  bytesOf: (snapshot) => inMemoryBytes(encodeMetadataSnapshot(snapshot)),
  decode: (bytes, beforeBuild) => decodeMetadataSnapshot(bytes, beforeBuild),
};

/** Bytes held in memory, read by position. */
export function inMemoryBytes(bytes: Uint8Array): SnapshotBytes {
  return {
    size: bytes.length,
    read: (position, maxBytes) => bytes.subarray(position, Math.min(bytes.length, position + maxBytes)),
  };
}

export function encodeMetadataSnapshot(snapshot: SnapshotData): Uint8Array {
  const header: { endOffset: number; lastEpoch: number; control?: SnapshotControl } = { endOffset: snapshot.endOffset, lastEpoch: snapshot.lastEpoch };
  if (snapshot.control !== undefined) header.control = snapshot.control;
  const headerBytes = headerEncoder.encode(JSON.stringify(header));
  // The run is written from the image in one pass, between room for the header and for the digest
  // (snapshotRecordRun: the bytes encodeRecordRun gives for the snapshot's records): one array, no copy.
  const bytes = metadataSnapshotOf(snapshot.state).recordRun(U32_BYTES + headerBytes.length, DIGEST_CHARS);
  const bodyLength = bytes.length - DIGEST_CHARS;
  new DataView(bytes.buffer, bytes.byteOffset, bytes.length).setUint32(0, headerBytes.length);
  bytes.set(headerBytes, U32_BYTES);
  const digest = new Fnv1a64().update(bytes, 0, bodyLength).hex();
  for (let i = 0; i < DIGEST_CHARS; i++) bytes[bodyLength + i] = digest.charCodeAt(i);
  return bytes;
}

/** Verifies the digest, reads the header, calls `beforeBuild` with its id, then builds the image. */
export function decodeMetadataSnapshot(bytes: Uint8Array, beforeBuild?: BeforeSnapshotBuild): SnapshotData<MetadataSnapshot> {
  if (bytes.length < U32_BYTES + DIGEST_CHARS) throw new SnapshotBytesError(`${bytes.length} bytes are too few for a snapshot`);
  const bodyLength = bytes.length - DIGEST_CHARS;
  const digest = new Fnv1a64().update(bytes, 0, bodyLength).hex();
  for (let i = 0; i < DIGEST_CHARS; i++) {
    if (bytes[bodyLength + i] !== digest.charCodeAt(i)) {
      throw new SnapshotBytesError(`the digest of ${bytes.length} snapshot bytes does not match (damaged or cut short)`);
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerLength = view.getUint32(0);
  const header = JSON.parse(headerDecoder.decode(bytes.subarray(U32_BYTES, U32_BYTES + headerLength))) as {
    endOffset: number; lastEpoch: number; control?: SnapshotControl;
  };
  beforeBuild?.({ endOffset: header.endOffset, epoch: header.lastEpoch });
  // The image is built here and held by the snapshot alone: nothing to copy it from.
  const state = MetadataSnapshot.fromRecords(recordsOfRun(bytes, view, U32_BYTES + headerLength, bodyLength));
  const snapshot: SnapshotData<MetadataSnapshot> = { endOffset: header.endOffset, lastEpoch: header.lastEpoch, state };
  if (header.control !== undefined) snapshot.control = header.control;
  return snapshot;
}

/**
 * The records of the record run at bytes[start, end), in a list (a plain loop: a generator here
 * cost more than the records' decoding in a kilobyte snapshot); throws SnapshotBytesError if a
 * record runs past `end` or bytes follow the last one.
 */
function recordsOfRun(bytes: Uint8Array, view: DataView, start: number, end: number): MetadataRecord[] {
  const count = view.getUint32(start);
  if (count > end - start) throw new SnapshotBytesError(`a run of ${count} records does not fit in the snapshot's ${end - start} bytes`);
  const records = new Array<MetadataRecord>(count);
  let at = start + U32_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + U32_BYTES > end) throw new SnapshotBytesError(`record ${i} of the snapshot's ${count} runs past its end`);
    const length = view.getUint32(at);
    at += U32_BYTES;
    if (at + length > end) throw new SnapshotBytesError(`record ${i} of the snapshot's ${count} runs past its end`);
    records[i] = decodeRecord(bytes, at, at + length);
    at += length;
  }
  if (at !== end) throw new SnapshotBytesError(`${end - at} bytes follow the snapshot's ${count} records`);
  return records;
}
