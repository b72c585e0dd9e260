/**
 * A follower installing a snapshot fetched from its leader (issue 12): with a host that keeps the
 * pieces (the real server's partial file, here on a real disk) the core holds none of the bytes
 * and decodes the snapshot from that file; and once the bytes verified, it drops its old image and
 * snapshot before building the new one, so at 2M partitions the two images (100-200 MiB each) and
 * the 64 MB of bytes are never held together. Bytes that do not verify leave the old state alone.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { BeforeSnapshotBuild, SnapshotCodec, SnapshotData, SnapshotId } from '../../../src/core/host-interface.js';
import type { MetadataImage } from '../../../src/core/metadata/index.js';
import { PartialSnapshotFile } from '../../../src/node/storage/partial-snapshot.js';
import { fileFormatSnapshotCodec } from '../../../src/node/storage/snapshot-codec.js';
import { snapshotFileName } from '../../../src/node/storage/snapshot-files.js';
import { createTopicOk, settleLeader } from '../../support/settled-leader.js';
import { TinyCluster } from '../../support/tiny-cluster.js';
import { tempDirsRemovedAfterEach } from '../../support/temp-dirs.js';

const freshDir = tempDirsRemovedAfterEach('quorumd-install-');

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What the follower held at the moment its new image began to be built. */
interface AtBuild {
  topics: number;
  snapshot: SnapshotData | null;
  /** Whether the image it had before the fetch was garbage once collected. */
  oldImageCollected: boolean;
  partialFileBytes: number;
}

/** A follower's host: its snapshot pieces go to a real partial file, decoded from there. */
class ReceivingHost {
  readonly partial: PartialSnapshotFile;
  readonly codec: SnapshotCodec;
  readonly builds: AtBuild[] = [];
  decodes = 0;
  /** Flips a byte of the partial file before the next decode (damage on disk). */
  damageNext = false;
  oldImage: WeakRef<MetadataImage> | null = null;

  /** The snapshot the follower asked for last (its partial file's name). */
  fetching: SnapshotId | null = null;

  constructor(readonly dir: string, cluster: TinyCluster, nodeId: number) {
    mkdirSync(dir, { recursive: true });
    this.partial = new PartialSnapshotFile(dir);
    const partial = this.partial;
    const receiver = {
      write: partial.write.bind(partial),
      discard: partial.discard.bind(partial),
      decode: (beforeBuild?: BeforeSnapshotBuild) => {
        this.decodes++;
        const path = this.partialPath();
        if (this.damageNext) {
          this.damageNext = false;
          const bytes = readFileSync(path);
          bytes[bytes.length >> 1]! ^= 0xff;
          writeFileSync(path, bytes);
        }
        return partial.decode((id: SnapshotId) => {
          beforeBuild?.(id);
          const node = cluster.nodes.get(nodeId)!;
          collectGarbage();
          this.builds.push({
            topics: node.committedImage.topicCount, snapshot: node.raftNode.snapshot,
            oldImageCollected: this.oldImage !== null && this.oldImage.deref() === undefined, partialFileBytes: statSync(path).size,
          });
        });
      },
    };
    this.codec = fileFormatSnapshotCodec(dir, undefined, receiver);
  }

  private partialPath(): string {
    return join(this.dir, `${snapshotFileName(this.fetching!.endOffset, this.fetching!.epoch)}.partial`);
  }
}

async function setUp() {
  const root = freshDir();
  const cluster = new TinyCluster([1, 2, 3], [], { snapshotIntervalEntries: 3, fetchSnapshotMaxBytes: 512 });
  const hosts = new Map([1, 2, 3].map((id) => [id, new ReceivingHost(join(root, `node-${id}`), cluster, id)]));
  cluster.snapshotCodecOf = (id) => hosts.get(id)!.codec;
  for (const id of [1, 2, 3]) cluster.start(id, false);
  cluster.wire = (envelope) => {
    const message = envelope.message as { type: string; snapshotId?: SnapshotId };
    if (message.type === 'fetch-snapshot') hosts.get(envelope.from)!.fetching = message.snapshotId!;
    return envelope;
  };
  const { leader, lagging } = settleLeader(cluster);
  let created = 0;
  const create = (count: number): void => {
    for (let i = 0; i < count; i++) {
      createTopicOk(cluster, leader, `t${created++}`, 4);
    }
  };
  // The follower has a snapshot and an image of its own, then falls behind the leader's snapshot.
  create(6);
  cluster.run(cluster.nowMs + 500);
  expect(cluster.disks.get(lagging)!.snapshot).not.toBeNull();
  cluster.crash(lagging);
  create(8);
  cluster.start(lagging, true);
  const host = hosts.get(lagging)!;
  const before = cluster.nodes.get(lagging)!.committedImage;
  expect(before.topicCount).toBeGreaterThan(0);
  host.oldImage = new WeakRef(before);
  // A WeakRef's target is kept alive until the job that made it ends.
  await new Promise((resolve) => setImmediate(resolve));
  const caughtUp = () => cluster.nodes.get(lagging)!.committedImage.topicNames().length === created;
  return { cluster, host, lagging, caughtUp, oldTopics: before.topicCount };
}

describe('a follower installing a fetched snapshot', () => {
  it('decodes it from its partial file, and drops its old image and snapshot before it builds the new image', async () => {
    const { cluster, host, caughtUp, oldTopics } = await setUp();
    expect(oldTopics).toBeGreaterThan(0);
    expect(cluster.run(cluster.nowMs + 20_000, caughtUp)).toBe(true);
    expect(host.decodes).toBe(1);
    expect(host.builds).toHaveLength(1);
    const [atBuild] = host.builds;
    // The whole snapshot was in the partial file, many pieces of 512 bytes.
    expect(atBuild!.partialFileBytes).toBeGreaterThan(4 * 512);
    // Gone before the build: the image (collectable: nothing else held it) and the snapshot.
    expect(atBuild!.topics).toBe(0);
    expect(atBuild!.snapshot).toBeNull();
    expect(atBuild!.oldImageCollected).toBe(true);
  });

  it('keeps its old image when the bytes on disk do not verify, and fetches the snapshot again', async () => {
    const { cluster, host, lagging, caughtUp, oldTopics } = await setUp();
    host.damageNext = true;
    expect(cluster.run(cluster.nowMs + 20_000, () => host.decodes === 1)).toBe(true);
    // Refused before any build: the node still answers from the image it had.
    expect(host.builds).toEqual([]);
    expect(cluster.nodes.get(lagging)!.committedImage.topicCount).toBe(oldTopics);
    expect(cluster.nodes.get(lagging)!.raftNode.snapshot).not.toBeNull();
    expect(cluster.run(cluster.nowMs + 20_000, caughtUp)).toBe(true);
    expect(host.decodes).toBe(2);
    expect(host.builds).toHaveLength(1);
  });
});
