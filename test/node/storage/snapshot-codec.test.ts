/**
 * The real server's FetchSnapshot bytes (storage/snapshot-codec.ts): a leader serves the pieces
 * of a snapshot from its durable file, the same bytes as encoding it; with no file yet it encodes
 * in memory; if the file goes while it is served (a newer snapshot replaced it), the pieces go on
 * from an encoding in memory (of the same format, so the same bytes and size).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetadataSnapshot } from '../../../src/core/metadata/index.js';
import { fileFormatSnapshotCodec } from '../../../src/node/storage/snapshot-codec.js';
import { snapshotFileName, writeSnapshot } from '../../../src/node/storage/snapshot-files.js';
import { encodeSnapshot } from '../../../src/node/storage/snapshot-format.js';
import { bigTopicRecords, described } from './test-snapshots.js';
import { tempDirsRemovedAfterEach } from '../../support/temp-dirs.js';

const freshDir = tempDirsRemovedAfterEach('quorumd-codec-');

function readAll(bytes: { size: number; read(position: number, maxBytes: number): Uint8Array }, pieceBytes: number): Buffer {
  const pieces: Uint8Array[] = [];
  for (let position = 0; position < bytes.size; position += pieceBytes) pieces.push(bytes.read(position, pieceBytes));
  return Buffer.concat(pieces);
}

describe('the file-format snapshot codec', () => {
  const snapshot = { endOffset: 90, lastEpoch: 3, state: MetadataSnapshot.fromRecords(bigTopicRecords(3000)) };

  it('serves the durable file by position: the same bytes as encoding, which decode to the snapshot', () => {
    const dir = freshDir();
    writeSnapshot(dir, snapshot);
    const bytes = fileFormatSnapshotCodec(dir).bytesOf(snapshot);
    const whole = readAll(bytes, 4096);
    expect(whole.equals(encodeSnapshot(snapshot))).toBe(true);
    expect(described(fileFormatSnapshotCodec(dir).decode(whole) as typeof snapshot)).toEqual(described(snapshot));
  });

  it('encodes in memory when there is no file yet', () => {
    const bytes = fileFormatSnapshotCodec(freshDir()).bytesOf(snapshot);
    expect(readAll(bytes, 1 << 20).equals(encodeSnapshot(snapshot))).toBe(true);
  });

  it('with the newest durable snapshot given, serves files only: read through a descriptor that outlives the file, none without one', () => {
    const dir = freshDir();
    const codec = fileFormatSnapshotCodec(dir, () => ({ endOffset: 90, epoch: 3 }));
    expect(codec.newestDurable!()).toEqual({ endOffset: 90, epoch: 3 });
    expect(codec.fileBytes!({ endOffset: 90, epoch: 3 })).toBeNull();
    writeSnapshot(dir, snapshot);
    const bytes = codec.fileBytes!({ endOffset: 90, epoch: 3 })!;
    expect(bytes.read(0, 100)).toHaveLength(100);
    // A newer snapshot's publication unlinks it: the fetch under way still reads it whole.
    rmSync(join(dir, snapshotFileName(90, 3)));
    expect(readAll(bytes, 4096).equals(encodeSnapshot(snapshot))).toBe(true);
    bytes.release!();
    expect(() => bytes.read(0, 100)).toThrow(/released/);
  });

  it('goes on from an encoding in memory when the file goes while served', () => {
    const dir = freshDir();
    writeSnapshot(dir, snapshot);
    const bytes = fileFormatSnapshotCodec(dir).bytesOf(snapshot);
    const fileSize = bytes.size;
    expect(bytes.read(0, 100)).toHaveLength(100);
    rmSync(join(dir, snapshotFileName(90, 3)));
    const piece = bytes.read(100, 100);
    expect(piece).toHaveLength(100);
    expect(bytes.size).toBe(fileSize);
    expect(readAll(bytes, 4096).equals(encodeSnapshot(snapshot))).toBe(true);
  });
});
