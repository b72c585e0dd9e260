/**
 * Frames on the controller channel: a 4-byte big-endian length, then that many bytes of UTF-8
 * JSON. JSON carries every message exactly: messages and metadata records hold only strings,
 * integers, booleans, null, arrays and plain objects. A frame longer than the limit is refused
 * before it is buffered, so a bad peer cannot make the node allocate without bound.
 */

export const FRAME_LENGTH_BYTES = 4;

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export function encodeJsonFrame(value: unknown): Buffer {
  // The JSON is encoded straight into the frame, not into a payload Buffer copied after the header.
  const json = JSON.stringify(value);
  const payloadBytes = Buffer.byteLength(json, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_LENGTH_BYTES + payloadBytes);
  frame.writeUInt32BE(payloadBytes, 0);
  frame.write(json, FRAME_LENGTH_BYTES, 'utf8');
  return frame;
}

/**
 * Splits a byte stream into JSON values; throws FrameError on an oversize or non-JSON frame.
 * Chunks are kept in a list and joined only once the next frame is complete, so a large frame
 * arriving in many small chunks costs one copy rather than one per chunk.
 */
export class JsonFrameDecoder {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  /** Bytes the next frame needs in all (header included), once its header has arrived. */
  private frameBytes: number | null = null;

  constructor(private readonly frameMaxBytes: number) {}

  push(chunk: Buffer): unknown[] {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const values: unknown[] = [];
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
      const payload = head.subarray(FRAME_LENGTH_BYTES, this.frameBytes);
      try {
        values.push(JSON.parse(payload.toString('utf8')));
      } catch (error) {
        throw new FrameError(`frame is not JSON: ${(error as Error).message}`);
      }
      const rest = head.subarray(this.frameBytes);
      this.buffered = rest.length > 0 ? [rest] : [];
      this.bufferedBytes = rest.length;
      this.frameBytes = null;
    }
    return values;
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
