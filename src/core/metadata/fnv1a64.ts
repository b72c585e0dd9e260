/**
 * FNV-1a, 64-bit, over bytes, as 16 lowercase hex digits. Pure and deterministic, computed on four
 * 16-bit limbs so every intermediate stays a small exact integer (no BigInt on the hot path: the
 * node digests every committed record). `Fnv1a64` digests a stream of byte arrays as if they were
 * one, for digests of whole images.
 */

const HEX = '0123456789abcdef';

export class Fnv1a64 {
  // Offset basis 0xcbf29ce484222325, least significant limb first.
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  /** Hashes bytes[start, end) (the whole array by default) after what was hashed before. */
  update(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let h0 = this.h0;
    let h1 = this.h1;
    let h2 = this.h2;
    let h3 = this.h3;
    for (let i = start; i < end; i++) {
      h0 ^= bytes[i] as number;
      // Multiply by the prime 0x100000001b3 = 2^40 + 0x1b3, keeping the low 64 bits.
      const t0 = h0 * 0x1b3;
      const t1 = h1 * 0x1b3 + (t0 >>> 16);
      const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
      const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16);
      h0 = t0 & 0xffff;
      h1 = t1 & 0xffff;
      h2 = t2 & 0xffff;
      h3 = t3 & 0xffff;
    }
    this.h0 = h0;
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
    return this;
  }

  hex(): string {
    return limbHex(this.h3) + limbHex(this.h2) + limbHex(this.h1) + limbHex(this.h0);
  }
}

export function fnv1a64Hex(bytes: Uint8Array): string {
  return new Fnv1a64().update(bytes).hex();
}

function limbHex(limb: number): string {
  return (
    (HEX[(limb >>> 12) & 0xf] as string) +
    (HEX[(limb >>> 8) & 0xf] as string) +
    (HEX[(limb >>> 4) & 0xf] as string) +
    (HEX[limb & 0xf] as string)
  );
}
