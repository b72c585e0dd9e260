/**
 * The controller channel's frame decoder: values come back whole however the byte stream is
 * cut into chunks, and an oversize or non-JSON frame is refused with a FrameError.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeJsonFrame, FrameError, JsonFrameDecoder } from '../../../src/node/transport/frame-codec.js';

const FRAME_MAX_BYTES = 1024 * 1024;

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

describe('JsonFrameDecoder', () => {
  it('returns every value in order however the stream is chunked', () => {
    const value = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.integer(), fc.boolean(), fc.constant(null),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.string()), fc.array(fc.integer(), { maxLength: 50 }));
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 }), (values, offsets) => {
      const stream = Buffer.concat(values.map((v) => encodeJsonFrame(v)));
      const decoder = new JsonFrameDecoder(FRAME_MAX_BYTES);
      const decoded = cut(stream, offsets).flatMap((chunk) => decoder.push(chunk));
      expect(decoded).toEqual(values);
    }), { seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), verbose: true });
  });

  it('decodes a large frame fed one byte at a time only when its last byte arrives', () => {
    const value = { records: Array.from({ length: 300 }, (_, i) => ({ topic: `t${i}`, partitions: 1 })) };
    const frame = encodeJsonFrame(value);
    const decoder = new JsonFrameDecoder(FRAME_MAX_BYTES);
    for (let i = 0; i < frame.length - 1; i++) expect(decoder.push(frame.subarray(i, i + 1))).toEqual([]);
    expect(decoder.push(frame.subarray(frame.length - 1))).toEqual([value]);
  });

  it('refuses a frame longer than the maximum as soon as its length prefix arrives, even split', () => {
    const decoder = new JsonFrameDecoder(100);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(101, 0);
    expect(decoder.push(header.subarray(0, 2))).toEqual([]);
    expect(() => decoder.push(header.subarray(2))).toThrow(/frame of 101 bytes exceeds the maximum of 100/);
  });

  it('refuses a frame that is not JSON', () => {
    const payload = Buffer.from('{not json', 'utf8');
    const frame = Buffer.alloc(4 + payload.length);
    frame.writeUInt32BE(payload.length, 0);
    payload.copy(frame, 4);
    const decoder = new JsonFrameDecoder(FRAME_MAX_BYTES);
    expect(() => decoder.push(frame)).toThrow(FrameError);
  });
});
