/**
 * The table-driven codec on small tables of its own, against bytes written out by hand from
 * Kafka's protocol rules: versions, defaults, nullability, compact forms, tagged fields (written
 * only when not default, unknown tags skipped), UUIDs, and tables that are wrong.
 */
import { describe, expect, it } from 'vitest';
import { checkSchema, type MessageSchema } from '../../../src/kafka/protocol/message-schema.js';
import { KafkaProtocolError } from '../../../src/kafka/protocol/protocol-error.js';
import { Reader } from '../../../src/kafka/protocol/reader.js';
import { compileMessage } from '../../../src/kafka/protocol/schema-codec.js';
import { renderGrammar } from '../../../src/kafka/protocol/schema-grammar.js';
import { ZERO_UUID } from '../../../src/kafka/protocol/uuid.js';
import { Writer } from '../../../src/kafka/protocol/writer.js';

const hex = (text: string): string => text.replace(/\s+/g, '');

const leaderSchema = {
  name: 'LeaderAnswer',
  validVersions: '0-2',
  flexibleVersions: '1+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'message', type: 'string', versions: '1+', nullableVersions: '1+', default: null },
    { name: 'directoryId', type: 'uuid', versions: '2+' },
    { name: 'port', type: 'uint16', versions: '0+' },
    { name: 'ids', type: '[]int32', versions: '0+' },
    { name: 'currentLeader', type: 'CurrentLeader', versions: '1+', taggedVersions: '1+', tag: 0, fields: [
      { name: 'leaderId', type: 'int32', versions: '1+', default: -1 },
      { name: 'leaderEpoch', type: 'int32', versions: '1+', default: -1 },
    ] },
    { name: 'highWatermarkTimeMs', type: 'int64', versions: '2+', taggedVersions: '2+', tag: 3, default: -1 },
  ],
} as const satisfies MessageSchema;

function encode(version: number, value: unknown): string {
  const writer = new Writer();
  compileMessage(leaderSchema, version).encode(writer, value as never);
  return writer.toBuffer().toString('hex');
}

function decode(version: number, bytes: string): unknown {
  const reader = new Reader(Buffer.from(hex(bytes), 'hex'));
  const value = compileMessage(leaderSchema, version).decode(reader);
  reader.expectEnd('test message');
  return value;
}

const base = {
  errorCode: 7, message: 'hi', directoryId: 'AAECAwQFBgcICQoLDA0ODw', port: 9093, ids: [1, 2],
  currentLeader: { leaderId: -1, leaderEpoch: -1 }, highWatermarkTimeMs: -1n,
};

describe('a table-driven codec', () => {
  it('writes only the fields of the version, classic forms before the first flexible version', () => {
    expect(encode(0, base)).toBe(hex('0007 2385 00000002 00000001 00000002'));
    expect(decode(0, '0007 2385 00000002 00000001 00000002')).toEqual({
      ...base, message: null, directoryId: ZERO_UUID,
    });
  });

  it('uses compact forms and a tagged-field section in flexible versions, leaving default tagged fields off', () => {
    const bytes = hex('0007 03 6869 2385 03 00000001 00000002 00');
    expect(encode(1, base)).toBe(bytes);
    expect(decode(1, bytes)).toEqual({ ...base, directoryId: ZERO_UUID });
  });

  it('writes a tagged field whose value differs from its default, in ascending tag order, and reads it back', () => {
    const value = { ...base, currentLeader: { leaderId: 3, leaderEpoch: 9 }, highWatermarkTimeMs: 5n };
    const bytes = hex(
      '0007 03 6869 000102030405060708090a0b0c0d0e0f 2385 03 00000001 00000002',
      ) + hex('02 00 09 00000003 00000009 00 03 08 0000000000000005');
    expect(encode(2, value)).toBe(bytes);
    expect(decode(2, bytes)).toEqual(value);
  });

  it('skips tagged fields it does not know', () => {
    expect(decode(1, '0007 00 2385 01 01 05 02 abcd')).toEqual({ ...base, message: null, directoryId: ZERO_UUID, ids: [] });
  });

  it('refuses null where the version does not allow it, both ways, naming the field', () => {
    const refused = (run: () => unknown): KafkaProtocolError => {
      try {
        run();
      } catch (error) {
        return error as KafkaProtocolError;
      }
      throw new Error('expected a KafkaProtocolError');
    };
    const encodeError = refused(() => encode(1, { ...base, ids: null }));
    expect(encodeError.code).toBe('NULL_NOT_ALLOWED');
    expect(encodeError.message).toContain('Ids');
    const decodeError = refused(() => decode(1, '0007 00 2385 00 00'));
    expect(decodeError.code).toBe('NULL_NOT_ALLOWED');
    expect(decodeError.message).toContain('Ids');
  });

  it('refuses a version outside the valid ones', () => {
    expect(() => compileMessage(leaderSchema, 3)).toThrow(/no version 3/);
  });

  it('prints the grammar, grouping versions with the same bytes', () => {
    expect(renderGrammar(leaderSchema).slice(0, 7)).toEqual([
      'LeaderAnswer v0:', '  error_code INT16', '  port UINT16', '  ids ARRAY of INT32',
      'LeaderAnswer v1:', '  error_code INT16', '  message COMPACT_NULLABLE_STRING  (new in v1)',
    ]);
    expect(renderGrammar(leaderSchema)).toContain('    tag 0: current_leader CurrentLeader  (new in v1)');
  });

  it.each([
    [{ name: 'a', type: 'int33', versions: '0+' }, /unknown type int33/],
    [{ name: 'a', type: 'int32', versions: '2-1' }, /bad version range/],
    [{ name: 'a', type: 'int32', versions: '0+', taggedVersions: '0+' }, /tagged without a tag/],
    [{ name: 'a', type: 'Thing', versions: '0+' }, /a struct needs fields/],
  ])('names the field of a wrong table: %j', (field, message) => {
    expect(() => checkSchema({ name: 'Bad', validVersions: '0', flexibleVersions: '0+', fields: [field] })).toThrow(message);
  });
});
