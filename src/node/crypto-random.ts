/**
 * The core's RandomSource for the real server, seeded from the operating system's entropy: the
 * real host needs no reproducibility (the simulator does), only timeouts that differ per node.
 */
import { randomBytes } from 'node:crypto';
import type { RandomSource } from '../core/host-interface.js';

const BATCH_FLOATS = 256;

export class CryptoRandom implements RandomSource {
  private buffer = Buffer.alloc(0);
  private position = 0;

  nextFloat(): number {
    if (this.position + 8 > this.buffer.length) {
      this.buffer = randomBytes(BATCH_FLOATS * 8);
      this.position = 0;
    }
    // 53 random bits → a float in [0, 1).
    const high = this.buffer.readUInt32BE(this.position) >>> 5;
    const low = this.buffer.readUInt32BE(this.position + 4) >>> 6;
    this.position += 8;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }
}
