/**
 * Frames on the controller channel: a 4-byte big-endian length, then that many bytes of payload
 * (one peer message, peer-codec.ts). A frame longer than the limit is refused before it is
 * buffered, so a bad peer cannot make the node allocate without bound.
 */

export const FRAME_LENGTH_BYTES = 4;

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/**
 * Splits a byte stream into frame payloads; throws FrameError on an oversize frame. Chunks are
 * kept in a list and joined only once the next frame is complete, so a large frame arriving in
 * many small chunks costs one copy rather than one per chunk. Payloads are views of the chunks
 * (never written to again), valid as long as the caller keeps them.
 */
export class FrameDecoder {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  /** Bytes the next frame needs in all (header included), once its header has arrived. */
  private frameBytes: number | null = null;

  constructor(private readonly frameMaxBytes: number) {}

  push(chunk: Buffer): Buffer[] {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const payloads: Buffer[] = [];
    while (this.bufferedBytes >= FRAME_LENGTH_BYTES) {
      if (this.frameBytes === null) {
        const length = this.readLength();
        if (length > this.frameMaxBytes) {
          throw new FrameError(`frame of ${length} bytes exceeds the maximum of ${this.frameMaxBytes} (socket.request.max.bytes)`);
        }
        this.frameBytes = FRAME_LENGTH_BYTES + length;
      }
      if (this.bufferedBytes < this.frameBytes) break;
      const head = this.contiguous();
      payloads.push(head.subarray(FRAME_LENGTH_BYTES, this.frameBytes));
      const rest = head.subarray(this.frameBytes);
      this.buffered = rest.length > 0 ? [rest] : [];
      this.bufferedBytes = rest.length;
      this.frameBytes = null;
    }
    return payloads;
  }

  /** The length prefix at the front, which may straddle chunks. */
  private readLength(): number {
    const first = this.buffered[0] as Buffer;
    if (first.length >= FRAME_LENGTH_BYTES) return first.readUInt32BE(0);
    return this.contiguous().readUInt32BE(0);
  }

  private contiguous(): Buffer {
    if (this.buffered.length > 1) this.buffered = [Buffer.concat(this.buffered, this.bufferedBytes)];
    return this.buffered[0] as Buffer;
  }
}
