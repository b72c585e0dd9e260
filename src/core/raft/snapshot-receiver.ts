/**
 * Where a follower keeps a snapshot it fetches when its host keeps none (the simulator, tests): in
 * memory, one buffer of the snapshot's size allocated with the first piece, each piece copied in
 * as it comes. At 2M partitions (about 64 MB) a list of pieces joined at the end held the snapshot
 * twice, and each piece kept its whole received frame alive; a host may reuse the buffer a piece
 * came in. The real server keeps the pieces in a partial file instead (SnapshotCodec.receiver).
 */
import type { BeforeSnapshotBuild, SnapshotChunk, SnapshotCodec, SnapshotData, SnapshotReceiver } from '../host-interface.js';
import { assert } from '../assert.js';

export class InMemorySnapshotReceiver implements SnapshotReceiver {
  /** The snapshot's bytes so far, null before the first piece; its length is the snapshot's size. */
  private bytes: Uint8Array | null = null;
  private written = 0;

  constructor(private readonly codec: SnapshotCodec) {}

  write(chunk: SnapshotChunk): void {
    if (chunk.position === 0) {
      this.bytes = new Uint8Array(chunk.size);
      this.written = 0;
    }
    const bytes = this.bytes;
    if (bytes === null || chunk.position !== this.written || chunk.size !== bytes.length) {
      assert(false, `snapshot piece at ${chunk.position} of ${chunk.size} does not continue the ${this.written} bytes kept`);
    }
    bytes.set(chunk.bytes, chunk.position);
    this.written += chunk.bytes.length;
  }

  decode(beforeBuild?: BeforeSnapshotBuild): SnapshotData {
    const bytes = this.bytes;
    if (bytes === null || this.written !== bytes.length) assert(false, `decoding a snapshot of which ${this.written} bytes are kept, not all`);
    // Forgotten here, so the bytes go with the decode that reads them.
    this.discard();
    return this.codec.decode(bytes, beforeBuild);
  }

  discard(): void {
    this.bytes = null;
    this.written = 0;
  }
}
