/**
 * Reads Kafka's primitive wire types from one buffer, front to back.
 *
 * Every read checks the bytes left before touching them, and every length or element count is
 * checked against the bytes left before anything is allocated, so a hostile or truncated frame
 * costs at most its own size and ends in a `KafkaProtocolError`, never an out-of-bounds read.
 * Classic (non-flexible) types use int16/int32 length prefixes with -1 as null; the compact
 * types of flexible versions use an unsigned varint holding length + 1, with 0 as null.
 */
import { KafkaProtocolError } from './protocol-error.js';

/** Unknown tagged fields, by tag, kept as raw bytes so they can be passed on or ignored. */
export type TaggedFields = Map<number, Buffer>;

const UVARINT_BYTES_MAX = 5;
const UVARLONG_BYTES_MAX = 10;

export class Reader {
  private offsetBytes = 0;

  constructor(private readonly buffer: Buffer) {}

  get offset(): number {
    return this.offsetBytes;
  }

  get remaining(): number {
    return this.buffer.length - this.offsetBytes;
  }

  /** Asserts the message ended exactly at its last field; `what` names the message for the error. */
  expectEnd(what: string): void {
    if (this.remaining !== 0) {
      throw new KafkaProtocolError('TRAILING_BYTES', `${this.remaining} bytes left after ${what}`, {
        cause: new RangeError(`message ended at offset ${this.offsetBytes} of ${this.buffer.length}`),
      });
    }
  }

  int8(): number {
    return this.buffer.readInt8(this.take(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  uint16(): number {
    return this.buffer.readUInt16BE(this.take(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  uint32(): number {
    return this.buffer.readUInt32BE(this.take(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.take(8));
  }

  float64(): number {
    return this.buffer.readDoubleBE(this.take(8));
  }

  boolean(): boolean {
    // Kafka reads any non-zero byte as true.
    return this.int8() !== 0;
  }

  uvarint(): number {
    let value = 0;
    for (let i = 0; i < UVARINT_BYTES_MAX; i++) {
      const byte = this.buffer.readUInt8(this.take(1));
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffff) throw badVarint(this.offsetBytes, 'unsigned varint above 2^32-1');
        return value;
      }
    }
    throw badVarint(this.offsetBytes, `unsigned varint longer than ${UVARINT_BYTES_MAX} bytes`);
  }

  /** A zig-zag encoded signed 32-bit varint. */
  varint(): number {
    const raw = this.uvarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  uvarlong(): bigint {
    let value = 0n;
    for (let i = 0; i < UVARLONG_BYTES_MAX; i++) {
      const byte = this.buffer.readUInt8(this.take(1));
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffffffffffffn) throw badVarint(this.offsetBytes, 'unsigned varlong above 2^64-1');
        return value;
      }
    }
    throw badVarint(this.offsetBytes, `unsigned varlong longer than ${UVARLONG_BYTES_MAX} bytes`);
  }

  /** A zig-zag encoded signed 64-bit varint. */
  varlong(): bigint {
    const raw = this.uvarlong();
    return (raw >> 1n) ^ -(raw & 1n);
  }

  uuid(): Buffer {
    return this.slice(16);
  }

  string(field: string): string {
    return requireNonNull(this.nullableString(), field);
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length === -1) return null;
    return this.utf8(this.checkLength(length, 'string'));
  }

  compactString(field: string): string {
    return requireNonNull(this.compactNullableString(), field);
  }

  compactNullableString(): string | null {
    const lengthPlusOne = this.uvarint();
    if (lengthPlusOne === 0) return null;
    return this.utf8(this.checkLength(lengthPlusOne - 1, 'compact string'));
  }

  bytes(field: string): Buffer {
    return requireNonNull(this.nullableBytes(), field);
  }

  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length === -1) return null;
    return this.slice(this.checkLength(length, 'bytes'));
  }

  compactBytes(field: string): Buffer {
    return requireNonNull(this.compactNullableBytes(), field);
  }

  compactNullableBytes(): Buffer | null {
    const lengthPlusOne = this.uvarint();
    if (lengthPlusOne === 0) return null;
    return this.slice(this.checkLength(lengthPlusOne - 1, 'compact bytes'));
  }

  array<T>(field: string, readItem: (reader: Reader) => T): T[] {
    return requireNonNull(this.nullableArray(readItem), field);
  }

  nullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const count = this.int32();
    if (count === -1) return null;
    return this.items(this.checkCount(count), readItem);
  }

  compactArray<T>(field: string, readItem: (reader: Reader) => T): T[] {
    return requireNonNull(this.compactNullableArray(readItem), field);
  }

  compactNullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const countPlusOne = this.uvarint();
    if (countPlusOne === 0) return null;
    return this.items(this.checkCount(countPlusOne - 1), readItem);
  }

  /** The tagged-field section that ends every structure of a flexible version. */
  taggedFields(): TaggedFields {
    const fields: TaggedFields = new Map();
    const count = this.checkCount(this.uvarint());
    let previousTag = -1;
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      if (tag <= previousTag) {
        throw new KafkaProtocolError('BAD_LENGTH', `tagged field ${tag} out of order after ${previousTag}`, {
          cause: new RangeError(`tags must strictly increase (offset ${this.offsetBytes})`),
        });
      }
      previousTag = tag;
      const size = this.checkLength(this.uvarint(), 'tagged field');
      fields.set(tag, this.slice(size));
    }
    return fields;
  }

  private items<T>(count: number, readItem: (reader: Reader) => T): T[] {
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  private utf8(length: number): string {
    const start = this.take(length);
    return this.buffer.toString('utf8', start, start + length);
  }

  private slice(length: number): Buffer {
    const start = this.take(length);
    // A copy, so a decoded message never pins (or aliases) the frame buffer it came from.
    return Buffer.from(this.buffer.subarray(start, start + length));
  }

  private checkLength(length: number, what: string): number {
    if (length < 0 || length > this.remaining) {
      throw new KafkaProtocolError('BAD_LENGTH', `${what} length ${length} with ${this.remaining} bytes left`, {
        cause: new RangeError(`length prefix before offset ${this.offsetBytes} is out of range`),
      });
    }
    return length;
  }

  /** Every element of every Kafka array takes at least one byte, which bounds a sane count. */
  private checkCount(count: number): number {
    if (count < 0 || count > this.remaining) {
      throw new KafkaProtocolError('BAD_LENGTH', `element count ${count} with ${this.remaining} bytes left`, {
        cause: new RangeError(`count prefix before offset ${this.offsetBytes} is out of range`),
      });
    }
    return count;
  }

  private take(bytes: number): number {
    if (bytes > this.remaining) {
      throw new KafkaProtocolError('TRUNCATED', `needed ${bytes} bytes at offset ${this.offsetBytes}`, {
        cause: new RangeError(`only ${this.remaining} of ${this.buffer.length} bytes left`),
      });
    }
    const start = this.offsetBytes;
    this.offsetBytes += bytes;
    return start;
  }
}

function requireNonNull<T>(value: T | null, field: string): T {
  if (value === null) {
    throw new KafkaProtocolError('NULL_NOT_ALLOWED', `${field} is null`, {
      cause: new TypeError(`the grammar declares ${field} non-nullable`),
    });
  }
  return value;
}

function badVarint(offset: number, message: string): KafkaProtocolError {
  return new KafkaProtocolError('BAD_VARINT', message, { cause: new RangeError(`varint ending at offset ${offset}`) });
}
