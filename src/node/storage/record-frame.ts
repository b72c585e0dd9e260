/**
 * The frame every record on disk is written in: a 4-byte big-endian payload length, a 4-byte
 * big-endian CRC32 of the payload, then the payload. Reading stops at the first frame that is
 * short (a torn write) or whose CRC does not match (corruption), and says where and why, so
 * recovery can cut the file there.
 */
import { readSync } from 'node:fs';
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
  const end = forEachFrame(bytes, payloadMaxBytes, (payload, position) => {
    frames.push({ position, payload });
    return undefined;
  });
  return { frames, ...end };
}

/**
 * Streams the frames of `bytes` to `visit` (payloads are views, not copies) until the end, the
 * first bad frame, or `visit` returning a problem (a payload that does not decode): the result
 * says where the valid part ends and why it stopped, if it stopped early.
 */
export function forEachFrame(
  bytes: Buffer, payloadMaxBytes: number, visit: (payload: Buffer, position: number) => string | undefined,
): Omit<FrameScan, 'frames'> {
  let position = 0;
  while (position < bytes.length) {
    if (bytes.length - position < FRAME_HEADER_BYTES) {
      return { validEnd: position, problem: `short frame header (${bytes.length - position} of ${FRAME_HEADER_BYTES} bytes)` };
    }
    const length = bytes.readUInt32BE(position);
    if (length > payloadMaxBytes) {
      return { validEnd: position, problem: `frame length ${length} exceeds the maximum ${payloadMaxBytes}` };
    }
    const end = position + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) {
      return { validEnd: position, problem: `short frame (${bytes.length - position - FRAME_HEADER_BYTES} of ${length} payload bytes)` };
    }
    const payload = bytes.subarray(position + FRAME_HEADER_BYTES, end);
    const expected = bytes.readUInt32BE(position + 4);
    const computed = crc32(payload);
    if (computed !== expected) {
      return { validEnd: position, problem: `CRC mismatch (stored ${expected}, computed ${computed})` };
    }
    const problem = visit(payload, position);
    if (problem !== undefined) return { validEnd: position, problem };
    position = end;
  }
  return { validEnd: position };
}

/** Bytes read from a file at a time by `forEachFrameOfFile` (a larger frame gets a larger read). */
const FILE_BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * `forEachFrame` over a file of `sizeBytes` bytes, read a block at a time, so a gigabyte segment is
 * never one buffer. Payloads are views into the current block: valid only during `visit`.
 */
export function forEachFrameOfFile(
  fd: number, sizeBytes: number, payloadMaxBytes: number, visit: (payload: Buffer, position: number) => string | undefined,
  blockBytesMax = FILE_BLOCK_BYTES,
): Omit<FrameScan, 'frames'> {
  let block = Buffer.allocUnsafe(Math.min(blockBytesMax, Math.max(sizeBytes, FRAME_HEADER_BYTES)));
  /** The file position of block[0], and how many bytes of the block hold file data. */
  let blockStart = 0;
  let blockBytes = 0;
  for (;;) {
    const wanted = Math.min(block.length - blockBytes, sizeBytes - blockStart - blockBytes);
    for (let filled = 0; filled < wanted;) {
      const read = readSync(fd, block, blockBytes, wanted - filled, blockStart + blockBytes);
      if (read === 0) break;
      filled += read;
      blockBytes += read;
    }
    const atEnd = blockStart + blockBytes >= sizeBytes;
    const scan = forEachFrame(block.subarray(0, blockBytes), payloadMaxBytes, (payload, position) => visit(payload, blockStart + position));
    if (scan.problem === undefined) {
      if (atEnd) return { validEnd: blockStart + blockBytes };
      blockStart += blockBytes;
      blockBytes = 0;
      continue;
    }
    // A frame cut by the block's end is read whole with the next block; any other problem (or a
    // frame cut by the end of the file) ends the scan.
    if (atEnd || !scan.problem.startsWith('short frame')) return { validEnd: blockStart + scan.validEnd, problem: scan.problem };
    const rest = blockBytes - scan.validEnd;
    if (scan.validEnd === 0 && rest === block.length) {
      const frameBytes = rest >= FRAME_HEADER_BYTES ? FRAME_HEADER_BYTES + block.readUInt32BE(0) : FRAME_HEADER_BYTES;
      const grown = Buffer.allocUnsafe(Math.max(block.length * 2, frameBytes));
      block.copy(grown, 0, 0, rest);
      block = grown;
    } else {
      block.copy(block, 0, scan.validEnd, blockBytes);
    }
    blockStart += scan.validEnd;
    blockBytes = rest;
  }
}
