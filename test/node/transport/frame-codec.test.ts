/**
 * The controller channel's frame decoder: payloads come back whole however the byte stream is cut
 * into chunks, and an oversize frame is refused with a FrameError as soon as its length arrives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder, FRAME_LENGTH_BYTES } from '../../../src/node/transport/frame-codec.js';

const FRAME_MAX_BYTES = 1024 * 1024;

function frame(payload: Buffer): Buffer {
  const bytes = Buffer.alloc(FRAME_LENGTH_BYTES + payload.length);
  bytes.writeUInt32BE(payload.length, 0);
  payload.copy(bytes, FRAME_LENGTH_BYTES);
  return bytes;
}

/** Cuts `bytes` at the given offsets (any order, duplicates allowed) into chunks. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return chunks;
}

describe('FrameDecoder', () => {
  it('returns every payload in order however the stream is chunked', () => {
    const payload = fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes));
    fc.assert(fc.property(fc.array(payload, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 }), (payloads, offsets) => {
      const stream = Buffer.concat(payloads.map(frame));
      const decoder = new FrameDecoder(FRAME_MAX_BYTES);
      const decoded = cut(stream, offsets).flatMap((chunk) => decoder.push(chunk));
      expect(decoded.map((b) => b.toString('hex'))).toEqual(payloads.map((b) => b.toString('hex')));
    }), { seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), verbose: true });
  });

  it('decodes a large frame fed one byte at a time only when its last byte arrives', () => {
    const payload = Buffer.from('x'.repeat(3000));
    const bytes = frame(payload);
    const decoder = new FrameDecoder(FRAME_MAX_BYTES);
    for (let i = 0; i < bytes.length - 1; i++) expect(decoder.push(bytes.subarray(i, i + 1))).toEqual([]);
    expect(decoder.push(bytes.subarray(bytes.length - 1))).toEqual([payload]);
  });

  it('refuses a frame longer than the maximum as soon as its length prefix arrives, even split', () => {
    const decoder = new FrameDecoder(100);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(101, 0);
    expect(decoder.push(header.subarray(0, 2))).toEqual([]);
    expect(() => decoder.push(header.subarray(2))).toThrow(/frame of 101 bytes exceeds the maximum of 100/);
  });
});
