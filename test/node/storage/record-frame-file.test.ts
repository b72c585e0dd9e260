/**
 * Reading frames from a file a block at a time sees exactly what reading the whole file at once
 * sees: the same payloads at the same positions, and the same end and problem for a tail cut or
 * damaged anywhere, whatever the block size (frames larger than a block included).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFrame, forEachFrame, forEachFrameOfFile } from '../../../src/node/storage/record-frame.js';

const dir = mkdtempSync(join(tmpdir(), 'quorumd-frames-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scanWhole(bytes: Buffer, payloadMax: number) {
  const seen: [number, string][] = [];
  const end = forEachFrame(bytes, payloadMax, (payload, position) => {
    seen.push([position, payload.toString('hex')]);
    return undefined;
  });
  return { seen, end };
}

function scanFile(bytes: Buffer, payloadMax: number, blockBytes: number) {
  const path = join(dir, 'segment');
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  try {
    const seen: [number, string][] = [];
    const end = forEachFrameOfFile(fd, bytes.length, payloadMax, (payload, position) => {
      seen.push([position, payload.toString('hex')]);
      return undefined;
    }, blockBytes);
    return { seen, end };
  } finally {
    closeSync(fd);
  }
}

describe('forEachFrameOfFile', () => {
  it('agrees with reading the whole file for any frames, block size, cut and damaged byte', () => {
    const payload = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));
    fc.assert(fc.property(
      fc.array(payload, { maxLength: 12 }), fc.integer({ min: 8, max: 700 }), fc.nat(), fc.option(fc.nat()),
      (payloads, blockBytes, cutSeed, damageSeed) => {
        const whole = Buffer.concat(payloads.map((p) => encodeFrame(p)));
        const cut = whole.subarray(0, whole.length === 0 ? 0 : cutSeed % (whole.length + 1));
        const bytes = Buffer.from(cut);
        if (damageSeed !== null && bytes.length > 0) bytes[damageSeed % bytes.length] = (bytes[damageSeed % bytes.length] as number) ^ 0x5a;
        expect(scanFile(bytes, 1000, blockBytes)).toEqual(scanWhole(bytes, 1000));
      },
    ), { seed: Number(process.env.FC_SEED ?? 12_345), numRuns: 400 });
  });

  it('stops at a payload the visitor refuses, naming it, as forEachFrame does', () => {
    const bytes = Buffer.concat([encodeFrame(Buffer.from('ok')), encodeFrame(Buffer.from('bad')), encodeFrame(Buffer.from('ok'))]);
    const path = join(dir, 'refused');
    writeFileSync(path, bytes);
    const fd = openSync(path, 'r');
    try {
      const result = forEachFrameOfFile(fd, bytes.length, 100, (payload) => (payload.toString() === 'bad' ? 'refused' : undefined), 9);
      expect(result).toEqual({ validEnd: 10, problem: 'refused' });
    } finally {
      closeSync(fd);
    }
  });
});
