/**
 * Cuts a TCP byte stream into Kafka frames: a 4-byte big-endian size, then that many bytes.
 *
 * The size is checked against `requestMaxBytes` (Kafka's `socket.request.max.bytes`, 100 MiB by
 * default) as soon as its four bytes arrive, before any of the frame is buffered, so a peer can
 * never make us hold more than one maximum-size frame. Chunks are kept as a list and joined once
 * per frame, so a large frame arriving in many small chunks costs linear, not quadratic, copying.
 */
import { KafkaProtocolError } from '../protocol/protocol-error.js';

export const REQUEST_MAX_BYTES_DEFAULT = 100 * 1024 * 1024;
const SIZE_PREFIX_BYTES = 4;

export class FrameReader {
  private readonly chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private frameSizeBytes: number | null = null;

  constructor(private readonly frameMaxBytes: number = REQUEST_MAX_BYTES_DEFAULT) {
    if (!Number.isInteger(frameMaxBytes) || frameMaxBytes < 1 || frameMaxBytes > 0x7fffffff) {
      throw new RangeError(`frameMaxBytes must be an integer in [1, 2^31-1], got ${frameMaxBytes}`);
    }
  }

  /** Bytes received but not yet returned as a frame (a partial frame or size prefix). */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  /** Adds received bytes; returns every frame they complete, in order. Throws BAD_FRAME_SIZE. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    const frames: Buffer[] = [];
    while (true) {
      if (this.frameSizeBytes === null) {
        if (this.bufferedBytes < SIZE_PREFIX_BYTES) break;
        this.frameSizeBytes = this.checkSize(this.take(SIZE_PREFIX_BYTES).readInt32BE(0));
      }
      if (this.bufferedBytes < this.frameSizeBytes) break;
      frames.push(this.take(this.frameSizeBytes));
      this.frameSizeBytes = null;
    }
    return frames;
  }

  private checkSize(sizeBytes: number): number {
    if (sizeBytes < 0 || sizeBytes > this.frameMaxBytes) {
      throw new KafkaProtocolError('BAD_FRAME_SIZE', `frame of ${sizeBytes} bytes (limit ${this.frameMaxBytes})`, {
        cause: new RangeError(`the size prefix must be in [0, ${this.frameMaxBytes}] (socket.request.max.bytes)`),
      });
    }
    return sizeBytes;
  }

  /** Removes and returns the first `bytes` buffered bytes; the caller checked they are there. */
  private take(bytes: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= bytes) {
      // The common case: the bytes lie in one chunk, so no copy.
      const taken = first.subarray(0, bytes);
      if (first.length === bytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(bytes);
      this.bufferedBytes -= bytes;
      return taken;
    }
    const joined = Buffer.concat(this.chunks, this.bufferedBytes);
    this.chunks.length = 0;
    if (joined.length > bytes) this.chunks.push(joined.subarray(bytes));
    this.bufferedBytes -= bytes;
    return joined.subarray(0, bytes);
  }
}
