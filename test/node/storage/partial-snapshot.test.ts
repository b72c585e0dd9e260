/**
 * A snapshot fetched in FetchSnapshot pieces (issue 12): the pieces go to a partial file that never
 * counts as a snapshot. A crash halfway leaves a partial file that the next start removes and that
 * recovery never reads; a whole one, once the core installs the snapshot, is renamed into place
 * byte for byte instead of encoded again.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SnapshotChunk } from '../../../src/core/host-interface.js';
import { MetadataSnapshot } from '../../../src/core/metadata/index.js';
import { METADATA_PARTITION_DIR, MetadataStore } from '../../../src/node/storage/metadata-store.js';
import { snapshotFileName } from '../../../src/node/storage/snapshot-files.js';
import { encodeSnapshot } from '../../../src/node/storage/snapshot-format.js';
import { bigTopicRecords, described } from './test-snapshots.js';
import { tempDirsRemovedAfterEach } from '../../support/temp-dirs.js';

const CLUSTER_ID = 'PartialSnapshotCluster';
const freshDir = tempDirsRemovedAfterEach('quorumd-partial-');

function open(dir: string) {
  return MetadataStore.open({ metadataLogDir: dir, clusterId: CLUSTER_ID, segmentBytes: 1024, log: () => undefined });
}

function fetchedSnapshot() {
  const snapshot = { endOffset: 120, lastEpoch: 4, state: MetadataSnapshot.fromRecords(bigTopicRecords(2000)) };
  return { snapshot, bytes: encodeSnapshot(snapshot) };
}

function pieces(bytes: Buffer, endOffset: number, lastEpoch: number, pieceBytes: number): SnapshotChunk[] {
  const chunks: SnapshotChunk[] = [];
  for (let position = 0; position < bytes.length; position += pieceBytes) {
    chunks.push({ endOffset, lastEpoch, position, size: bytes.length, bytes: bytes.subarray(position, position + pieceBytes) });
  }
  return chunks;
}

describe('a snapshot fetched in pieces', () => {
  it('is discarded at start-up when a crash left it half written, and never recovered as a snapshot', () => {
    const dir = freshDir();
    const { store } = open(dir);
    const { bytes } = fetchedSnapshot();
    const all = pieces(bytes, 120, 4, 4096);
    expect(all.length).toBeGreaterThan(4);
    for (const chunk of all.slice(0, Math.floor(all.length / 2))) store.snapshotReceiver.write(chunk);
    const partitionDir = join(dir, METADATA_PARTITION_DIR);
    const partialName = `${snapshotFileName(120, 4)}.partial`;
    expect(readdirSync(partitionDir)).toContain(partialName);
    // The process dies here: no close, no install. The next start:
    const reopened = open(dir);
    expect(reopened.recovered).toBeNull();
    expect(readdirSync(partitionDir).filter((name) => name.includes('.checkpoint'))).toEqual([]);
    reopened.store.close();
    store.close();
  });

  it('is renamed into place, the very bytes fetched, when the core installs it whole', () => {
    const dir = freshDir();
    const { store } = open(dir);
    const { snapshot, bytes } = fetchedSnapshot();
    const all = pieces(bytes, 120, 4, 4096);
    for (const chunk of all) store.snapshotReceiver.write(chunk);
    // The core decodes what the receiver kept, then installs it (raft-node.ts).
    const decoded = store.snapshotReceiver.decode();
    expect(described(decoded)).toEqual(described(snapshot));
    store.persist({ truncateToOffset: 0, snapshot: decoded, deleteBeforeOffset: 120 }, true);
    const partitionDir = join(dir, METADATA_PARTITION_DIR);
    expect(readdirSync(partitionDir).filter((name) => name.includes('.checkpoint'))).toEqual([snapshotFileName(120, 4)]);
    expect(readFileSync(join(partitionDir, snapshotFileName(120, 4))).equals(bytes)).toBe(true);
    store.close();
    const recovered = open(dir);
    expect(described(recovered.recovered!.snapshot)).toEqual(described(snapshot));
    recovered.store.close();
  });

  it('that is missing a piece is refused and not published: the install writes the snapshot itself', () => {
    const dir = freshDir();
    const { store } = open(dir);
    const { snapshot, bytes } = fetchedSnapshot();
    const all = pieces(bytes, 120, 4, 4096);
    store.snapshotReceiver.write(all[0]!);
    expect(() => store.snapshotReceiver.write(all[2]!)).toThrow(/does not continue the partial file/);
    expect(() => store.snapshotReceiver.decode()).toThrow(/no whole partial snapshot/);
    store.persist({ truncateToOffset: 0, snapshot, deleteBeforeOffset: 120 }, true);
    const partitionDir = join(dir, METADATA_PARTITION_DIR);
    expect(existsSync(join(partitionDir, `${snapshotFileName(120, 4)}.partial`))).toBe(false);
    store.close();
    const recovered = open(dir);
    expect(described(recovered.recovered!.snapshot)).toEqual(described(snapshot));
    recovered.store.close();
  });
});
