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
import { MetadataImage } from './image.js';
import { decodeRecord, encodeRecordRun } from './record-codec.js';
import { MetadataSnapshot, metadataSnapshotOf } from './snapshot.js';

const DIGEST_CHARS = 16;
const U32_BYTES = 4;

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
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const run = encodeRecordRun([...metadataSnapshotOf(snapshot.state).records()]);
  const bodyLength = U32_BYTES + headerBytes.length + run.length;
  const bytes = new Uint8Array(bodyLength + DIGEST_CHARS);
  new DataView(bytes.buffer).setUint32(0, headerBytes.length);
  bytes.set(headerBytes, U32_BYTES);
  bytes.set(run, U32_BYTES + headerBytes.length);
  const digest = new Fnv1a64().update(bytes, 0, bodyLength).hex();
  for (let i = 0; i < DIGEST_CHARS; i++) bytes[bodyLength + i] = digest.charCodeAt(i);
  return bytes;
}

/** Verifies the digest, reads the header, calls `beforeBuild` with its id, then builds the image. */
export function decodeMetadataSnapshot(bytes: Uint8Array, beforeBuild?: BeforeSnapshotBuild): SnapshotData<MetadataSnapshot> {
  if (bytes.length < U32_BYTES + DIGEST_CHARS) throw new SnapshotBytesError(`${bytes.length} bytes are too few for a snapshot`);
  const bodyLength = bytes.length - DIGEST_CHARS;
  const digest = String.fromCharCode(...bytes.subarray(bodyLength));
  if (new Fnv1a64().update(bytes, 0, bodyLength).hex() !== digest) {
    throw new SnapshotBytesError(`the digest of ${bytes.length} snapshot bytes does not match (damaged or cut short)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerLength = view.getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(U32_BYTES, U32_BYTES + headerLength))) as {
    endOffset: number; lastEpoch: number; control?: SnapshotControl;
  };
  beforeBuild?.({ endOffset: header.endOffset, epoch: header.lastEpoch });
  let at = U32_BYTES + headerLength;
  const count = view.getUint32(at);
  at += U32_BYTES;
  const image = MetadataImage.empty();
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(at);
    at += U32_BYTES;
    image.apply(decodeRecord(bytes, at, at + length));
    at += length;
  }
  if (at !== bodyLength) throw new SnapshotBytesError(`${bodyLength - at} bytes follow the snapshot's ${count} records`);
  const snapshot: SnapshotData<MetadataSnapshot> = { endOffset: header.endOffset, lastEpoch: header.lastEpoch, state: MetadataSnapshot.of(image) };
  if (header.control !== undefined) snapshot.control = header.control;
  return snapshot;
}
