/**
 * The primitive types: known byte vectors from the Kafka protocol guide, round trips of random
 * values (fast-check, seeded), and the Reader's coded errors on truncated or lying input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KafkaProtocolError } from '../../../src/kafka/protocol/protocol-error.js';
import { Reader } from '../../../src/kafka/protocol/reader.js';
import { Writer } from '../../../src/kafka/protocol/writer.js';
import { reproduce, testSeed } from '../seed.js';

const hex = (writer: Writer): string => writer.toBuffer().toString('hex');
const reader = (hexBytes: string): Reader => new Reader(Buffer.from(hexBytes, 'hex'));

function codeOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaProtocolError);
    expect((error as KafkaProtocolError).cause).toBeDefined();
    return (error as KafkaProtocolError).code;
  }
  throw new Error('expected the read to throw');
}

describe('known encodings', () => {
  it('writes fixed-width integers big-endian', () => {
    expect(hex(new Writer().int8(-1).int16(0x0102).int32(-2).int64(0x0102030405060708n))).toBe(
      'ff0102fffffffe0102030405060708',
    );
  });

  it('writes unsigned varints seven bits at a time, low group first', () => {
    expect(hex(new Writer().uvarint(0))).toBe('00');
    expect(hex(new Writer().uvarint(127))).toBe('7f');
    expect(hex(new Writer().uvarint(128))).toBe('8001');
    expect(hex(new Writer().uvarint(300))).toBe('ac02');
    expect(hex(new Writer().uvarint(0xffffffff))).toBe('ffffffff0f');
  });

  it('zig-zags signed varints so small negatives stay short', () => {
    expect(hex(new Writer().varint(0).varint(-1).varint(1).varint(-2))).toBe('00010203');
    expect(hex(new Writer().varint(-2147483648))).toBe('ffffffff0f');
    expect(hex(new Writer().varlong(-1n))).toBe('01');
    expect(hex(new Writer().varlong(-(2n ** 63n)))).toBe('ffffffffffffffffff01');
  });

  it('writes classic strings with an int16 length and -1 for null', () => {
    expect(hex(new Writer().string('ab').nullableString(null).nullableString(''))).toBe('00026162ffff0000');
  });

  it('writes compact strings and arrays with length + 1 and 0 for null', () => {
    expect(hex(new Writer().compactString('ab').compactNullableString(null))).toBe('03616200');
    expect(hex(new Writer().compactArray([7], (w, v) => w.int8(v)).compactNullableArray(null, () => undefined))).toBe(
      '020700',
    );
  });

  it('writes classic arrays with an int32 count and -1 for null', () => {
    expect(hex(new Writer().array([1, 2], (w, v) => w.int16(v)).nullableArray(null, () => undefined))).toBe(
      '0000000200010002ffffffff',
    );
  });

  it('writes tagged fields as count, then tag, size, bytes in ascending tag order', () => {
    const fields = new Map([
      [5, Buffer.from('cc', 'hex')],
      [0, Buffer.from('aabb', 'hex')],
    ]);
    expect(hex(new Writer().taggedFields(fields))).toBe('020002aabb0501cc');
    expect(reader('020002aabb0501cc').taggedFields()).toEqual(fields);
  });

  it('reads any non-zero byte as true, as Kafka does', () => {
    expect(reader('02').boolean()).toBe(true);
    expect(reader('00').boolean()).toBe(false);
  });
});

describe('round trips', () => {
  const seed = testSeed();
  const run = <Ts extends unknown[]>(property: fc.IRawProperty<Ts>) => {
    try {
      fc.assert(property, { seed, numRuns: 300 });
    } catch (error) {
      throw new Error(`${reproduce(seed)}\n${String(error)}`);
    }
  };

  it('reads back every primitive it writes', () => {
    run(
      fc.property(
        fc.integer({ min: -128, max: 127 }),
        fc.integer({ min: -32768, max: 32767 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.option(fc.string({ unit: 'grapheme', maxLength: 40 })),
        fc.option(fc.uint8Array({ maxLength: 40 })),
        fc.boolean(),
        (i8, i16, i32, i64, u32, text, bytes, flag) => {
          const buffer = bytes === null ? null : Buffer.from(bytes);
          const written = new Writer(1)
            .int8(i8).int16(i16).int32(i32).int64(i64).uvarint(u32).varint(i32).varlong(i64).uvarlong(i64 < 0n ? -i64 : i64)
            .nullableString(text).compactNullableString(text).nullableBytes(buffer).compactNullableBytes(buffer).boolean(flag)
            .toBuffer();
          const r = new Reader(written);
          expect([r.int8(), r.int16(), r.int32(), r.int64(), r.uvarint(), r.varint(), r.varlong(), r.uvarlong()]).toEqual([
            i8, i16, i32, i64, u32, i32, i64, i64 < 0n ? -i64 : i64,
          ]);
          expect([r.nullableString(), r.compactNullableString()]).toEqual([text, text]);
          expect([r.nullableBytes(), r.compactNullableBytes()]).toEqual([buffer, buffer]);
          expect(r.boolean()).toBe(flag);
          r.expectEnd('round trip');
        },
      ),
    );
  });

  it('reads back nested arrays, classic and compact', () => {
    run(
      fc.property(fc.option(fc.array(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 5 }), { maxLength: 5 })), (lists) => {
        const written = new Writer()
          .nullableArray(lists, (w, list) => w.array(list, (x, n) => x.int32(n)))
          .compactNullableArray(lists, (w, list) => w.compactArray(list, (x, n) => x.varint(n)))
          .toBuffer();
        const r = new Reader(written);
        expect(r.nullableArray((a) => a.array('inner', (x) => x.int32()))).toEqual(lists);
        expect(r.compactNullableArray((a) => a.compactArray('inner', (x) => x.varint()))).toEqual(lists);
        r.expectEnd('arrays');
      }),
    );
  });
});

describe('bad input', () => {
  it('reports truncation with TRUNCATED and never reads past the end', () => {
    expect(codeOf(() => reader('0001').int32())).toBe('TRUNCATED');
    expect(codeOf(() => reader('').int8())).toBe('TRUNCATED');
    expect(codeOf(() => reader('80').uvarint())).toBe('TRUNCATED');
  });

  it('rejects lengths and counts larger than the bytes left before allocating', () => {
    expect(codeOf(() => reader('0005616263').string('Name'))).toBe('BAD_LENGTH');
    expect(codeOf(() => reader('7fffffff').nullableArray((r) => r.int8()))).toBe('BAD_LENGTH');
    expect(codeOf(() => reader('ffffff7f').nullableBytes())).toBe('BAD_LENGTH');
    expect(codeOf(() => reader('fffe').nullableString())).toBe('BAD_LENGTH');
    expect(codeOf(() => reader('fffffffe').nullableArray((r) => r.int8()))).toBe('BAD_LENGTH');
    expect(codeOf(() => reader('ffffffff0f').compactNullableArray((r) => r.int8()))).toBe('BAD_LENGTH');
  });

  it('rejects null where the grammar forbids it, naming the field', () => {
    let caught: unknown;
    try {
      reader('ffff').string('Topics.Name');
    } catch (error) {
      caught = error;
    }
    expect((caught as KafkaProtocolError).code).toBe('NULL_NOT_ALLOWED');
    expect((caught as Error).message).toContain('Topics.Name');
  });

  it('rejects over-long varints and out-of-order tags', () => {
    expect(codeOf(() => reader('ffffffffff01').uvarint())).toBe('BAD_VARINT');
    expect(codeOf(() => reader('ffffffff1f').uvarint())).toBe('BAD_VARINT');
    expect(codeOf(() => reader('0205010a0101').taggedFields())).toBe('BAD_LENGTH');
  });

  it('reports bytes left after a message as TRAILING_BYTES', () => {
    const r = reader('000100');
    r.int16();
    expect(codeOf(() => r.expectEnd('test message'))).toBe('TRAILING_BYTES');
  });

  it('refuses to write values that do not fit their wire type', () => {
    expect(codeOf(() => new Writer().int16(40000))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => new Writer().int32(1.5))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => new Writer().string('x'.repeat(40000)))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => new Writer().uuid(Buffer.alloc(15)))).toBe('VALUE_OUT_OF_RANGE');
  });
});
