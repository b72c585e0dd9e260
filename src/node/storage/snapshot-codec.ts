/**
 * quorumd's snapshots as FetchSnapshot bytes: the snapshot file's own format (snapshot-format.ts,
 * CRC frames), so a follower's partial file, once whole, is a snapshot file it renames into place,
 * and decoding verifies every frame's CRC before anything is installed.
 *
 * A leader serves a snapshot from its file when the file is there (durable, published whole):
 * each piece is read from disk, so a 45-70 MB snapshot of two million partitions is neither held
 * in memory nor encoded again on the event loop. Until the file exists (a background write still
 * running), or if it goes (a newer snapshot replaced it) while served, the snapshot is encoded in
 * memory once; its size may then differ from the file's (an older format version on disk), which
 * a follower sees as another size and answers by fetching again from byte 0.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotBytes, SnapshotCodec, SnapshotData } from '../../core/host-interface.js';
import { metadataSnapshotOf } from '../../core/metadata/index.js';
import { inMemoryBytes } from '../../core/metadata/snapshot-bytes.js';
import { snapshotFileName } from './snapshot-files.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-format.js';

/** The codec of a node whose snapshot files live in `snapshotDir` (the metadata partition directory). */
export function fileFormatSnapshotCodec(snapshotDir: string): SnapshotCodec {
  return {
    bytesOf: (snapshot) => servedFromFile(snapshotDir, snapshot),
    decode: (bytes: Uint8Array) => decodeSnapshot(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)),
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
          return readRange(path, position, Math.max(0, Math.min(maxBytes, fileSize - position)));
        } catch {
          fallback = encodedInMemory(snapshot);
        }
      }
      return fallback.read(position, maxBytes);
    },
  };
}

function readRange(path: string, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const read = readSync(fd, bytes, done, length - done, position + done);
      if (read === 0) throw new Error(`${path} ends at byte ${position + done}, before ${position + length}`);
      done += read;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}
