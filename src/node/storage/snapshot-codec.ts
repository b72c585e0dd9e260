/**
 * quorumd's snapshots as FetchSnapshot bytes: the snapshot file's own format (snapshot-format.ts,
 * CRC frames), so a follower's partial file, once whole, is a snapshot file it renames into place,
 * and decoding verifies every frame's CRC before anything is installed.
 *
 * A leader serves a snapshot from its file (durable, published whole): each piece is read from
 * disk, so a 45-70 MB snapshot of two million partitions is neither held in memory nor encoded
 * again on the event loop. The real server's leader serves only files (`newestDurable` and
 * `fileBytes`: it points followers at the newest snapshot whose file exists). `bytesOf`, for a
 * codec without them, encodes in memory once when there is no file yet, or if it goes while
 * served; its size may then differ from the file's (an older format version on disk), which a
 * follower sees as another size and answers by fetching again from byte 0.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BeforeSnapshotBuild, SnapshotBytes, SnapshotCodec, SnapshotData, SnapshotId, SnapshotReceiver } from '../../core/host-interface.js';
import { metadataSnapshotOf } from '../../core/metadata/index.js';
import { inMemoryBytes } from '../../core/metadata/snapshot-bytes.js';
import { snapshotFileName } from './snapshot-files.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-format.js';

/**
 * The codec of a node whose snapshot files live in `snapshotDir` (the metadata partition
 * directory). With `newestDurable` (the store's newest durable snapshot) a leader serves
 * FetchSnapshot only from files (`fileBytes`), never encoding a snapshot in memory. With
 * `receiver` (the store's partial file) a follower keeps a snapshot it fetches on disk, not in
 * memory, and decodes it from there.
 */
export function fileFormatSnapshotCodec(snapshotDir: string, newestDurable?: () => SnapshotId | null, receiver?: SnapshotReceiver): SnapshotCodec {
  return {
    bytesOf: (snapshot) => servedFromFile(snapshotDir, snapshot),
    decode: (bytes: Uint8Array, beforeBuild?: BeforeSnapshotBuild) =>
      decodeSnapshot(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), beforeBuild),
    ...(newestDurable === undefined ? {} : { newestDurable, fileBytes: (id: SnapshotId) => openedFile(snapshotDir, id) }),
    ...(receiver === undefined ? {} : { receiver }),
  };
}

/**
 * Snapshot `id` read from its file through a descriptor opened now and held until released: a
 * newer snapshot's publication unlinks the file, and the open descriptor still reads it, so a
 * fetch under way finishes. Null when there is no such file.
 */
export function openedFile(dir: string, id: SnapshotId): SnapshotBytes | null {
  const path = join(dir, snapshotFileName(id.endOffset, id.epoch));
  let fd: number | null;
  let size: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    size = fstatSync(fd).size;
  } catch {
    closeSync(fd);
    return null;
  }
  return {
    size,
    read(position: number, maxBytes: number): Uint8Array {
      if (fd === null) throw new Error(`${path} was released`);
      return readRange(fd, path, position, Math.max(0, Math.min(maxBytes, size - position)));
    },
    release(): void {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function encodedInMemory(snapshot: SnapshotData): SnapshotBytes {
  return inMemoryBytes(encodeSnapshot({ ...snapshot, state: metadataSnapshotOf(snapshot.state) }));
}

function servedFromFile(dir: string, snapshot: SnapshotData): SnapshotBytes {
  const path = join(dir, snapshotFileName(snapshot.endOffset, snapshot.lastEpoch));
  let fileSize: number;
  try {
    fileSize = statSync(path).size;
  } catch {
    return encodedInMemory(snapshot);
  }
  let fallback: SnapshotBytes | null = null;
  return {
    get size(): number {
      return fallback?.size ?? fileSize;
    },
    read(position: number, maxBytes: number): Uint8Array {
      if (fallback === null) {
        try {
          const fd = openSync(path, 'r');
          try {
            return readRange(fd, path, position, Math.max(0, Math.min(maxBytes, fileSize - position)));
          } finally {
            closeSync(fd);
          }
        } catch {
          fallback = encodedInMemory(snapshot);
        }
      }
      return fallback.read(position, maxBytes);
    },
  };
}

function readRange(fd: number, path: string, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, bytes, done, length - done, position + done);
    if (read === 0) throw new Error(`${path} ends at byte ${position + done}, before ${position + length}`);
    done += read;
  }
  return bytes;
}
