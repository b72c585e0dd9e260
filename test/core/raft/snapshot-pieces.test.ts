/**
 * FetchSnapshot in pieces by position (issue 12), through the real core on a tiny in-memory
 * cluster: a follower far behind fetches the leader's snapshot piece by piece, each at most the
 * max bytes asked, in order from byte 0, and installs it only once whole; a piece whose bytes are
 * damaged on the way is never installed, and the snapshot is fetched again and installed whole.
 */
import { describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../../src/core/host-interface.js';
import { TinyCluster } from '../../support/tiny-cluster.js';

const PIECE_BYTES = 64;

interface Piece { type: string; position?: number; size?: number; bytes?: Uint8Array }

function laggingFollower(damage: (piece: Piece, index: number) => boolean) {
  const cluster = new TinyCluster([1, 2, 3], [], { snapshotIntervalEntries: 5, fetchSnapshotMaxBytes: PIECE_BYTES });
  const pieces: { to: number; position: number; length: number; size: number }[] = [];
  let damaged = 0;
  cluster.wire = (envelope: PeerEnvelope) => {
    const message = envelope.message as Piece;
    if (message.type !== 'fetch-snapshot-response' || message.bytes === undefined) return envelope;
    pieces.push({ to: envelope.to, position: message.position!, length: message.bytes.length, size: message.size! });
    if (!damage(message, pieces.length - 1)) return envelope;
    damaged++;
    const bytes = Uint8Array.from(message.bytes);
    bytes[0] = bytes[0]! ^ 0xff;
    return { ...envelope, message: { ...message, bytes } };
  };
  expect(cluster.run(20_000, () => cluster.leaders().length === 1)).toBe(true);
  cluster.run(cluster.nowMs + 3000);
  const leader = cluster.leaders()[0]!;
  const follower = [1, 2, 3].find((id) => id !== leader)!;
  cluster.crash(follower);
  for (let i = 0; i < 20; i++) {
    const id = cluster.submit(leader, { type: 'createTopic', name: `topic-${i}`, numPartitions: 2, replicationFactor: 1 });
    cluster.run(cluster.nowMs + 10_000, () => cluster.response(id) !== undefined);
    expect(cluster.response(id)?.outcome).toBe('ok');
  }
  // Loading its own snapshot from disk at the restart is not an install of the fetched one.
  const restartedNs = Math.round(cluster.nowMs * 1e6);
  cluster.start(follower, true);
  cluster.run(cluster.nowMs + 20_000, () => cluster.nodes.get(follower)!.committedImage.topicNames().length === 20);
  const installs = cluster.events.filter((event) => event.node === follower && event.kind === 'snapshot-loaded' && event.timeNs > restartedNs);
  return { cluster, follower, pieces: pieces.filter((piece) => piece.to === follower), installs, damaged: () => damaged };
}

describe('FetchSnapshot in pieces', () => {
  it('a follower far behind fetches the snapshot piece by piece, in order, and installs it once whole', () => {
    const { cluster, follower, pieces, installs } = laggingFollower(() => false);
    expect(cluster.nodes.get(follower)!.committedImage.topicNames()).toHaveLength(20);
    expect(installs).toHaveLength(1);
    const size = pieces[0]!.size;
    expect(size).toBeGreaterThan(10 * PIECE_BYTES);
    // Byte 0 to the end, each piece where the last one ended, none over the max bytes.
    let position = 0;
    for (const piece of pieces) {
      expect(piece.position).toBe(position);
      expect(piece.length).toBeLessThanOrEqual(PIECE_BYTES);
      position += piece.length;
    }
    expect(position).toBe(size);
  });

  it('a snapshot whose bytes were damaged on the way is not installed; it is fetched again and installed whole', () => {
    const { cluster, follower, pieces, installs, damaged } = laggingFollower((_piece, index) => index === 3);
    expect(damaged()).toBe(1);
    expect(cluster.nodes.get(follower)!.committedImage.topicNames()).toHaveLength(20);
    expect(installs).toHaveLength(1);
    // Fetched twice from byte 0: the damaged round, then the good one.
    expect(pieces.filter((piece) => piece.position === 0).length).toBeGreaterThanOrEqual(2);
  });
});
