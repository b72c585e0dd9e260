/** The frame reader: frames survive any chunking, and sizes are checked before buffering. */
import { describe, expect, it } from 'vitest';
import { KafkaProtocolError } from '../../../src/kafka/protocol/protocol-error.js';
import { FrameReader } from '../../../src/kafka/server/frame-reader.js';
import { reproduce, seededRandom, testSeed } from '../seed.js';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

describe('FrameReader', () => {
  it('returns the same frames however the stream is cut into chunks', () => {
    const seed = testSeed();
    const random = seededRandom(seed);
    for (let round = 0; round < 50; round++) {
      const payloads = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
        Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256))),
      );
      const stream = Buffer.concat(payloads.map(frame));
      const reader = new FrameReader(1000);
      const received: Buffer[] = [];
      for (let offset = 0; offset < stream.length; ) {
        const chunkBytes = 1 + Math.floor(random() * 40);
        received.push(...reader.push(stream.subarray(offset, offset + chunkBytes)));
        offset += chunkBytes;
      }
      expect(received.map((b) => b.toString('hex')), reproduce(seed)).toEqual(payloads.map((b) => b.toString('hex')));
      expect(reader.pendingBytes).toBe(0);
    }
  });

  it('rejects a size above the limit as soon as the four size bytes arrive', () => {
    const reader = new FrameReader(100);
    expect(reader.push(Buffer.from('0000', 'hex'))).toEqual([]);
    let caught: unknown;
    try {
      reader.push(Buffer.from('0065', 'hex'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KafkaProtocolError);
    expect((caught as KafkaProtocolError).code).toBe('BAD_FRAME_SIZE');
  });

  it('rejects a negative size', () => {
    expect(() => new FrameReader(100).push(Buffer.from('ffffffff', 'hex'))).toThrow(/BAD_FRAME_SIZE/);
  });

  it('accepts a frame of exactly the limit', () => {
    const payload = Buffer.alloc(100, 7);
    expect(new FrameReader(100).push(frame(payload))).toEqual([payload]);
  });

  it('refuses a limit outside the int32 range at construction', () => {
    expect(() => new FrameReader(0)).toThrow(/frameMaxBytes/);
    expect(() => new FrameReader(2 ** 31)).toThrow(/frameMaxBytes/);
  });
});
