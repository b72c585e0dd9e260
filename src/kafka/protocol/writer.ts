/**
 * Writes Kafka's primitive wire types into a growing buffer, the mirror of `Reader`.
 *
 * Values that do not fit their wire type throw `VALUE_OUT_OF_RANGE` instead of wrapping, so a bug
 * in a handler (a partition count above 2^31, a 40 KiB topic name) surfaces where it happens
 * rather than as garbage a client misreads.
 */
import { KafkaProtocolError } from './protocol-error.js';
import type { TaggedFields } from './reader.js';

const INITIAL_CAPACITY_BYTES = 256;
const INT16_MAX = 0x7fff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export class Writer {
  private buffer: Buffer;
  private lengthBytes = 0;

  constructor(initialCapacityBytes = INITIAL_CAPACITY_BYTES) {
    this.buffer = Buffer.allocUnsafe(initialCapacityBytes);
  }

  get length(): number {
    return this.lengthBytes;
  }

  /** The bytes written so far (a copy-free view; do not keep writing after taking it). */
  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.lengthBytes);
  }

  int8(value: number): this {
    checkInteger(value, -128, 127, 'int8');
    const at = this.reserve(1);
    this.buffer.writeInt8(value, at);
    return this;
  }

  int16(value: number): this {
    checkInteger(value, -0x8000, INT16_MAX, 'int16');
    const at = this.reserve(2);
    this.buffer.writeInt16BE(value, at);
    return this;
  }

  uint16(value: number): this {
    checkInteger(value, 0, 0xffff, 'uint16');
    const at = this.reserve(2);
    this.buffer.writeUInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    checkInteger(value, -0x80000000, 0x7fffffff, 'int32');
    const at = this.reserve(4);
    this.buffer.writeInt32BE(value, at);
    return this;
  }

  uint32(value: number): this {
    checkInteger(value, 0, 0xffffffff, 'uint32');
    const at = this.reserve(4);
    this.buffer.writeUInt32BE(value, at);
    return this;
  }

  int64(value: bigint): this {
    if (value < INT64_MIN || value > INT64_MAX) throw outOfRange(`${value} does not fit int64`);
    const at = this.reserve(8);
    this.buffer.writeBigInt64BE(value, at);
    return this;
  }

  float64(value: number): this {
    if (typeof value !== 'number') throw outOfRange(`${String(value)} is not a float64`);
    const at = this.reserve(8);
    this.buffer.writeDoubleBE(value, at);
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  uvarint(value: number): this {
    checkInteger(value, 0, 0xffffffff, 'unsigned varint');
    let rest = value;
    while (rest >= 0x80) {
      const at = this.reserve(1);
      this.buffer.writeUInt8((rest % 0x80) | 0x80, at);
      rest = Math.floor(rest / 0x80);
    }
    const at = this.reserve(1);
    this.buffer.writeUInt8(rest, at);
    return this;
  }

  varint(value: number): this {
    checkInteger(value, -0x80000000, 0x7fffffff, 'varint');
    return this.uvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  uvarlong(value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn) throw outOfRange(`${value} does not fit an unsigned varlong`);
    let rest = value;
    while (rest >= 0x80n) {
      const at = this.reserve(1);
      this.buffer.writeUInt8(Number(rest & 0x7fn) | 0x80, at);
      rest >>= 7n;
    }
    const at = this.reserve(1);
    this.buffer.writeUInt8(Number(rest), at);
    return this;
  }

  varlong(value: bigint): this {
    if (value < INT64_MIN || value > INT64_MAX) throw outOfRange(`${value} does not fit a varlong`);
    return this.uvarlong(value >= 0n ? value << 1n : (-value << 1n) - 1n);
  }

  uuid(value: Buffer): this {
    if (value.length !== 16) throw outOfRange(`a UUID is 16 bytes, got ${value.length}`);
    return this.raw(value);
  }

  string(value: string): this {
    return this.nullableString(value);
  }

  nullableString(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > INT16_MAX) throw outOfRange(`string of ${bytes.length} bytes exceeds ${INT16_MAX}`);
    return this.int16(bytes.length).raw(bytes);
  }

  compactString(value: string): this {
    return this.compactNullableString(value);
  }

  compactNullableString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > INT16_MAX) throw outOfRange(`string of ${bytes.length} bytes exceeds ${INT16_MAX}`);
    return this.uvarint(bytes.length + 1).raw(bytes);
  }

  bytes(value: Buffer): this {
    return this.nullableBytes(value);
  }

  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).raw(value);
  }

  compactBytes(value: Buffer): this {
    return this.compactNullableBytes(value);
  }

  compactNullableBytes(value: Buffer | null): this {
    if (value === null) return this.uvarint(0);
    return this.uvarint(value.length + 1).raw(value);
  }

  array<T>(items: readonly T[], writeItem: (writer: Writer, item: T) => void): this {
    return this.nullableArray(items, writeItem);
  }

  nullableArray<T>(items: readonly T[] | null, writeItem: (writer: Writer, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  compactArray<T>(items: readonly T[], writeItem: (writer: Writer, item: T) => void): this {
    return this.compactNullableArray(items, writeItem);
  }

  compactNullableArray<T>(items: readonly T[] | null, writeItem: (writer: Writer, item: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** The tagged-field section closing a flexible structure; tags are written in ascending order. */
  taggedFields(fields: TaggedFields = new Map()): this {
    const tags = [...fields.keys()].sort((a, b) => a - b);
    this.uvarint(tags.length);
    for (const tag of tags) {
      const value = fields.get(tag) as Buffer;
      this.uvarint(tag).uvarint(value.length).raw(value);
    }
    return this;
  }

  /** Appends bytes already in wire form (a nested message, a pre-encoded body). */
  raw(bytes: Buffer): this {
    const at = this.reserve(bytes.length);
    bytes.copy(this.buffer, at);
    return this;
  }

  /**
   * Makes room for `bytes` and returns the offset to write them at. Callers must take the offset
   * before reading `this.buffer`, since making room may replace the buffer with a larger one.
   */
  private reserve(bytes: number): number {
    const start = this.lengthBytes;
    const needed = start + bytes;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, start);
      this.buffer = grown;
    }
    this.lengthBytes = needed;
    return start;
  }
}

function checkInteger(value: number, min: number, max: number, type: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfRange(`${value} does not fit ${type} [${min}, ${max}]`);
  }
}

function outOfRange(message: string): KafkaProtocolError {
  return new KafkaProtocolError('VALUE_OUT_OF_RANGE', message, { cause: new RangeError(message) });
}
