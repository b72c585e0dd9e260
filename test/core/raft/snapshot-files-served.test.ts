/**
 * A leader whose host keeps snapshot files (the real server's codec, over a real directory)
 * serves FetchSnapshot only from files (issue 12): it points a follower behind its log start at
 * the newest snapshot whose file is durable, never encodes one in memory (at two million
 * partitions that took 1.2-3.0 s on its event loop, and followers' fetches timed out), and holds
 * a fetch while no file would do. A fetch under way finishes from the snapshot it started on when
 * a newer one becomes durable meanwhile, instead of going back to byte 0.
 *
 * The test decides which of the leader's snapshots are durable: it writes their files with the
 * real snapshot writer, as the store's background writes do once each is durable.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PeerEnvelope, SnapshotCodec, SnapshotData, SnapshotId } from '../../../src/core/host-interface.js';
import { metadataSnapshotOf } from '../../../src/core/metadata/index.js';
import { fileFormatSnapshotCodec } from '../../../src/node/storage/snapshot-codec.js';
import { snapshotFileName, writeSnapshot } from '../../../src/node/storage/snapshot-files.js';
import { createTopicOk, settleLeader } from '../../support/settled-leader.js';
import { TinyCluster } from '../../support/tiny-cluster.js';
import { tempDirsRemovedAfterEach } from '../../support/temp-dirs.js';

const freshDir = tempDirsRemovedAfterEach('quorumd-served-');

interface SnapshotMessage { type: string; snapshotId?: SnapshotId; position?: number; size?: number; bytes?: Uint8Array; error?: string }

/** Node `id`'s codec: files in its own directory, durable as the test says; counts encodings in memory. */
class FileHost {
  readonly dir: string;
  durable: SnapshotId | null = null;
  encodedInMemory = 0;
  readonly codec: SnapshotCodec;

  constructor(root: string, id: number) {
    this.dir = join(root, `node-${id}`);
    mkdirSync(this.dir, { recursive: true });
    const files = fileFormatSnapshotCodec(this.dir, () => this.durable);
    this.codec = {
      ...files,
      bytesOf: (snapshot) => {
        this.encodedInMemory++;
        return files.bytesOf(snapshot);
      },
    };
  }

  /** The snapshot's file is written and durable, as a background write ends. */
  publish(snapshot: SnapshotData): void {
    writeSnapshot(this.dir, { ...snapshot, state: metadataSnapshotOf(snapshot.state) });
    this.durable = { endOffset: snapshot.endOffset, epoch: snapshot.lastEpoch };
  }

  hasFile(id: SnapshotId): boolean {
    return existsSync(join(this.dir, snapshotFileName(id.endOffset, id.epoch)));
  }
}

function setUp(pieceBytes: number) {
  const root = freshDir();
  const hosts = new Map([1, 2, 3].map((id) => [id, new FileHost(root, id)]));
  const cluster = new TinyCluster([1, 2, 3], [], { snapshotIntervalEntries: 3, fetchSnapshotMaxBytes: pieceBytes });
  cluster.snapshotCodecOf = (id) => hosts.get(id)!.codec;
  for (const id of [1, 2, 3]) cluster.start(id, false);
  const messages: PeerEnvelope[] = [];
  cluster.wire = (envelope) => {
    const type = (envelope.message as SnapshotMessage).type;
    if (type === 'fetch-snapshot' || type === 'fetch-snapshot-response') messages.push(envelope);
    return envelope;
  };
  const { leader, lagging } = settleLeader(cluster);
  cluster.crash(lagging);
  let created = 0;
  const create = (count: number): void => {
    for (let i = 0; i < count; i++) {
      createTopicOk(cluster, leader, `t${created++}`, 4);
    }
  };
  return { cluster, hosts, messages, leader, lagging, create, created: () => created };
}

describe('a leader that keeps snapshot files', () => {
  it('points a follower at its newest durable snapshot, not the newer one still being written, and encodes none in memory', () => {
    const { cluster, hosts, messages, leader, lagging, create, created } = setUp(256);
    create(6);
    const durable = cluster.disks.get(leader)!.snapshot!;
    hosts.get(leader)!.publish(durable);
    create(6);
    const newest = cluster.disks.get(leader)!.snapshot!;
    expect(newest.endOffset).toBeGreaterThan(durable.endOffset);
    cluster.start(lagging, true);
    const installed = (offset: number) => () => cluster.events.some((e) => e.node === lagging && e.kind === 'snapshot-loaded' && e.offset === offset);
    expect(cluster.run(cluster.nowMs + 20_000, installed(durable.endOffset))).toBe(true);
    const asked = messages.filter((m) => m.from === lagging).map((m) => (m.message as SnapshotMessage).snapshotId!.endOffset);
    expect(new Set(asked)).toEqual(new Set([durable.endOffset]));
    // The log after it went with the newer snapshot (no retention): that one is served once durable.
    hosts.get(leader)!.publish(newest);
    expect(cluster.run(cluster.nowMs + 20_000, () => cluster.nodes.get(lagging)!.committedImage.topicNames().length === created())).toBe(true);
    expect(hosts.get(leader)!.encodedInMemory).toBe(0);
  });

  it('holds a fetch while no snapshot file would do, and serves the snapshot once its file is durable', () => {
    const { cluster, hosts, messages, leader, lagging, create, created } = setUp(256);
    create(8);
    cluster.start(lagging, true);
    cluster.run(cluster.nowMs + 3_000);
    // No file: nothing served, nothing encoded, and the follower still follows (held fetches answer it).
    expect(messages.filter((m) => m.from === leader && (m.message as SnapshotMessage).bytes !== undefined)).toEqual([]);
    expect(hosts.get(leader)!.encodedInMemory).toBe(0);
    expect(cluster.nodes.get(lagging)!.debugState().state).toBe('follower');
    hosts.get(leader)!.publish(cluster.disks.get(leader)!.snapshot!);
    expect(cluster.run(cluster.nowMs + 20_000, () => cluster.nodes.get(lagging)!.committedImage.topicNames().length === created())).toBe(true);
    expect(hosts.get(leader)!.encodedInMemory).toBe(0);
  });

  it('finishes a fetch under way from the snapshot it started on when a newer one becomes durable and the old file goes', () => {
    const { cluster, hosts, messages, leader, lagging, create, created } = setUp(64);
    create(8);
    const first = cluster.disks.get(leader)!.snapshot!;
    hosts.get(leader)!.publish(first);
    cluster.start(lagging, true);
    // Part of the first snapshot arrives...
    expect(cluster.run(cluster.nowMs + 10_000, () => messages.filter((m) => m.to === lagging && (m.message as SnapshotMessage).bytes !== undefined).length >= 3)).toBe(true);
    // ...then, while the leader's answers to it wait on the link, a newer snapshot is taken and
    // made durable, and the first one's file is removed.
    cluster.held.add(`${leader}->${lagging}`);
    create(3);
    const second = cluster.disks.get(leader)!.snapshot!;
    expect(second.endOffset).toBeGreaterThan(first.endOffset);
    hosts.get(leader)!.publish(second);
    expect(hosts.get(leader)!.hasFile({ endOffset: first.endOffset, epoch: first.lastEpoch })).toBe(false);
    const piecesBefore = messages.filter((m) => m.to === lagging && (m.message as SnapshotMessage).snapshotId?.endOffset === first.endOffset).length;
    cluster.release();
    expect(cluster.run(cluster.nowMs + 20_000, () => cluster.nodes.get(lagging)!.committedImage.topicNames().length === created())).toBe(true);
    const pieces = messages.filter((m) => m.to === lagging).map((m) => m.message as SnapshotMessage);
    expect(pieces.filter((p) => p.error !== undefined)).toEqual([]);
    // One pass over the first snapshot, from byte 0 to its end, never back to 0.
    const ofFirst = pieces.filter((p) => p.snapshotId?.endOffset === first.endOffset);
    expect(ofFirst.filter((p) => p.position === 0)).toHaveLength(1);
    expect(ofFirst.reduce((sum, p) => sum + p.bytes!.length, 0)).toBe(ofFirst[0]!.size);
    // Pieces of it were served after the newer snapshot was durable and its file gone.
    expect(ofFirst.length).toBeGreaterThan(piecesBefore + 1);
    expect(cluster.events.some((e) => e.node === lagging && e.kind === 'snapshot-loaded' && e.offset === first.endOffset)).toBe(true);
    expect(hosts.get(leader)!.encodedInMemory).toBe(0);
  });
});
