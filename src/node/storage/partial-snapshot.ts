/**
 * The snapshot a follower is fetching, piece by piece, in a partial file beside the snapshots:
 * `<snapshot file name>.partial`. It never counts as a snapshot: recovery reads only
 * `.checkpoint` files and start-up removes partial ones (snapshot-files.ts), so a fetch cut short by
 * a crash starts again from byte 0. Once the core has verified the whole snapshot and installs it,
 * the partial file, fsynced, is renamed into place: the bytes fetched are the snapshot file's
 * own (the leader serves its file format), so nothing is encoded a second time.
 *
 * It is the core's SnapshotReceiver (snapshot-codec.ts): the core writes each piece here as it
 * comes and holds none of the bytes, and decodes the whole snapshot from this file, a block at a
 * time (at 2M partitions the core held the 64 MB snapshot in memory while it decoded it).
 */
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BeforeSnapshotBuild, SnapshotChunk, SnapshotData, SnapshotReceiver } from '../../core/host-interface.js';
import type { MetadataSnapshot } from '../../core/metadata/index.js';
import { snapshotFileName } from './snapshot-files.js';
import { decodeSnapshotFile } from './snapshot-format.js';

export const PARTIAL_SNAPSHOT_SUFFIX = '.partial';

interface OpenPartial {
  name: string;
  path: string;
  fd: number;
  written: number;
  size: number;
}

export class PartialSnapshotFile implements SnapshotReceiver<MetadataSnapshot> {
  private open: OpenPartial | null = null;

  constructor(private readonly dir: string) {}

  /** Writes a piece: one at position 0 starts a new partial file, any other continues the open one. */
  write(chunk: SnapshotChunk): void {
    const name = snapshotFileName(chunk.endOffset, chunk.lastEpoch);
    if (chunk.position === 0) {
      this.discard();
      const path = join(this.dir, name + PARTIAL_SNAPSHOT_SUFFIX);
      // Read back too: the snapshot is decoded from this file.
      this.open = { name, path, fd: openSync(path, 'w+', 0o644), written: 0, size: chunk.size };
    }
    const open = this.open;
    if (open === null || open.name !== name || open.written !== chunk.position || open.size !== chunk.size) {
      // The core only hands over pieces that continue its partial snapshot, so this is a bug.
      this.discard();
      throw new Error(`a snapshot piece at ${chunk.position} of ${name} (${chunk.size} bytes) does not continue the partial file`);
    }
    let done = 0;
    while (done < chunk.bytes.length) done += writeSync(open.fd, chunk.bytes, done, chunk.bytes.length - done);
    open.written += chunk.bytes.length;
  }

  /**
   * Decodes the whole snapshot in the partial file, read a block at a time (snapshot-format.ts:
   * every frame checked first, then `beforeBuild`, then the image built). The file stays open for
   * `takeWhole`, which makes it the snapshot file once the core installs it.
   */
  decode(beforeBuild?: BeforeSnapshotBuild): SnapshotData<MetadataSnapshot> {
    const open = this.open;
    if (open === null || open.written !== open.size) {
      throw new Error(`no whole partial snapshot to decode (${open === null ? 'none open' : `${open.written} of ${open.size} bytes`})`);
    }
    return decodeSnapshotFile(open.fd, open.size, beforeBuild);
  }

  /**
   * The path of the partial file holding all of snapshot (endOffset, lastEpoch), fsynced and
   * closed, for the caller to rename into place; null when none is whole (the caller writes the
   * snapshot itself).
   */
  takeWhole(endOffset: number, lastEpoch: number): string | null {
    const open = this.open;
    if (open === null || open.name !== snapshotFileName(endOffset, lastEpoch) || open.written !== open.size) {
      this.discard();
      return null;
    }
    fsyncSync(open.fd);
    closeSync(open.fd);
    this.open = null;
    return open.path;
  }

  /** Closes and removes the partial file, if one is open. */
  discard(): void {
    const open = this.open;
    if (open === null) return;
    this.open = null;
    closeSync(open.fd);
    rmSync(open.path, { force: true });
  }
}
