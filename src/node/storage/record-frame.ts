/**
 * The frame every record on disk is written in: a 4-byte big-endian payload length, a 4-byte
 * big-endian CRC32 of the payload, then the payload. Reading stops at the first frame that is
 * short (a torn write) or whose CRC does not match (corruption), and says where and why, so
 * recovery can cut the file there.
 */
import { crc32 } from 'node:zlib';

export const FRAME_HEADER_BYTES = 8;

export function encodeFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32(payload), 4);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

export interface FrameScan {
  /** Each whole, CRC-valid payload with the byte position where its frame starts. */
  frames: { position: number; payload: Buffer }[];
  /** The end of the last valid frame: where a torn or corrupt tail begins. */
  validEnd: number;
  /** Why scanning stopped before the end of the bytes, if it did. */
  problem?: string;
}

/** Reads frames from the start of `bytes` until the end or the first bad frame. */
export function scanFrames(bytes: Buffer, payloadMaxBytes: number): FrameScan {
  const frames: FrameScan['frames'] = [];
  let position = 0;
  while (position < bytes.length) {
    if (bytes.length - position < FRAME_HEADER_BYTES) {
      return { frames, validEnd: position, problem: `short frame header (${bytes.length - position} of ${FRAME_HEADER_BYTES} bytes)` };
    }
    const length = bytes.readUInt32BE(position);
    if (length > payloadMaxBytes) {
      return { frames, validEnd: position, problem: `frame length ${length} exceeds the maximum ${payloadMaxBytes}` };
    }
    const end = position + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) {
      return { frames, validEnd: position, problem: `short frame (${bytes.length - position - FRAME_HEADER_BYTES} of ${length} payload bytes)` };
    }
    const payload = bytes.subarray(position + FRAME_HEADER_BYTES, end);
    const expected = bytes.readUInt32BE(position + 4);
    if (crc32(payload) !== expected) {
      return { frames, validEnd: position, problem: `CRC mismatch (stored ${expected}, computed ${crc32(payload)})` };
    }
    frames.push({ position, payload });
    position = end;
  }
  return { frames, validEnd: position };
}
