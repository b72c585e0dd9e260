/**
 * The follower's side of FetchSnapshot in pieces, with no host receiver (the simulator): the core
 * copies each piece into the snapshot's bytes as it comes, so a host may reuse the buffer a piece
 * arrived in (a socket's receive buffer), and the core never holds a list of pieces beside the
 * joined snapshot (at 2M partitions that was the snapshot twice, about 128 MB, at install).
 */
import { describe, expect, it } from 'vitest';
import type { SnapshotCodec } from '../../../src/core/host-interface.js';
import { FetchClient } from '../../../src/core/raft/fetch-client.js';
import { InMemorySnapshotReceiver } from '../../../src/core/raft/snapshot-receiver.js';

const SNAPSHOT_ID = { endOffset: 420, epoch: 3 };

/** A codec whose snapshot state is its bytes, copied: what the receiver handed it. */
const BYTES_CODEC: SnapshotCodec = {
  bytesOf: () => { throw new Error('not served here'); },
  decode: (bytes) => ({ endOffset: SNAPSHOT_ID.endOffset, lastEpoch: SNAPSHOT_ID.epoch, state: [...bytes] }),
};

function client(): FetchClient {
  return new FetchClient('cluster', 2, null, 'incarnation', 2000, 2000, 4, new InMemorySnapshotReceiver(BYTES_CODEC), 8 * 1024 * 1024);
}

describe('a snapshot fetched in pieces', () => {
  it("is whole and right even though every piece came in the same reused buffer", () => {
    const snapshot = Uint8Array.from({ length: 10 }, (_, i) => 100 + i);
    const fetcher = client();
    const received = new Uint8Array(4); // one receive buffer, overwritten by each answer
    let whole: number[] | null = null;
    for (let position = 0; position < snapshot.length; position += 4) {
      fetcher.snapshotRequest(1, 7, SNAPSHOT_ID, 0);
      const length = Math.min(4, snapshot.length - position);
      received.set(snapshot.subarray(position, position + length));
      const piece = fetcher.takeSnapshotPiece({
        type: 'fetch-snapshot-response', epoch: 7, leaderId: 1, snapshotId: SNAPSHOT_ID, size: snapshot.length, position,
        bytes: received.subarray(0, length),
      });
      expect(piece.kind).toBe('piece');
      if (piece.kind === 'piece' && piece.whole) whole = fetcher.decodeWhole(() => undefined).state as number[];
    }
    expect(whole).toEqual([...snapshot]);
  });

  it('a piece that does not continue the snapshot drops it, and the next request starts again at byte 0', () => {
    const fetcher = client();
    fetcher.snapshotRequest(1, 7, SNAPSHOT_ID, 0);
    const first = fetcher.takeSnapshotPiece({
      type: 'fetch-snapshot-response', epoch: 7, leaderId: 1, snapshotId: SNAPSHOT_ID, size: 8, position: 0, bytes: Uint8Array.of(1, 2, 3, 4),
    });
    expect(first.kind === 'piece' && first.whole).toBe(false);
    const skipped = fetcher.takeSnapshotPiece({
      type: 'fetch-snapshot-response', epoch: 7, leaderId: 1, snapshotId: SNAPSHOT_ID, size: 8, position: 6, bytes: Uint8Array.of(7, 8),
    });
    expect(skipped.kind).toBe('mismatch');
    expect(fetcher.snapshotRequest(1, 7, SNAPSHOT_ID, 0).position).toBe(0);
  });
});
