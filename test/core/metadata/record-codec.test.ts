import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRecord,
  encodeRecord,
  fnv1a64Hex,
  Fnv1a64,
  recordDigest,
  RecordFormatError,
  recordToJson,
  type MetadataRecord,
} from '../../../src/core/metadata/index.js';
import { metadataRecordArbitrary } from './record-arbitraries.js';

const SEED = Number(process.env.METADATA_TEST_SEED ?? 20261121);
const encoder = new TextEncoder();

/** The textbook FNV-1a 64 with BigInt, to check the limb arithmetic against. */
function fnv1a64Reference(bytes: Uint8Array): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

const SAMPLES: MetadataRecord[] = [
  {
    type: 'RegisterBroker',
    brokerId: 1,
    incarnationId: 'inc-1',
    brokerEpoch: 42,
    endpoints: [{ name: 'PLAINTEXT', host: 'node1', port: 9092, securityProtocol: 'PLAINTEXT' }],
    rack: null,
    fenced: true,
  },
  { type: 'FenceBroker', brokerId: 1, brokerEpoch: 42 },
  { type: 'UnfenceBroker', brokerId: 1, brokerEpoch: 42 },
  { type: 'Topic', name: 'orders', topicId: '0123456789abcdef0123456789abcdef' },
  { type: 'Partition', topicId: '0123456789abcdef0123456789abcdef', partitionId: 0, replicas: [1, 2], isr: [1], leader: 1, leaderEpoch: 3, partitionEpoch: 4 },
  { type: 'PartitionChange', topicId: '0123456789abcdef0123456789abcdef', partitionId: 0, isr: null, leader: -1 },
  { type: 'RemoveTopic', topicId: '0123456789abcdef0123456789abcdef' },
  { type: 'Config', resourceType: 'topic', resourceName: 'orders', name: 'retention.ms', value: null },
  { type: 'NoOp' },
];

/**
 * The binary format's bytes for each sample, checked by hand against record-binary.ts's grammar
 * (e.g. FenceBroker: version 02, type 02, brokerId 1 as varint(1+1) = 02, epoch 42 as 2b). Logs on
 * disk hold these bytes: a change here is a format change and needs a new version.
 */
const GOLDEN_HEX: Record<string, string> = {
  RegisterBroker: '02010205696e632d312b0109504c41494e54455854056e6f646531854709504c41494e544558540001',
  FenceBroker: '0202022b',
  UnfenceBroker: '0203022b',
  Topic: '0204066f72646572730123456789abcdef0123456789abcdef',
  Partition: '02050123456789abcdef0123456789abcdef010202030102020405',
  PartitionChange: '02060123456789abcdef0123456789abcdef01000100',
  RemoveTopic: '02070123456789abcdef0123456789abcdef',
  Config: '020801066f72646572730c726574656e74696f6e2e6d7300',
  NoOp: '0209',
};

describe('record codec', () => {
  it.each(SAMPLES.map((r) => [r.type, r] as const))('a %s record encodes to its golden bytes', (type, record) => {
    expect(Buffer.from(encodeRecord(record)).toString('hex')).toBe(GOLDEN_HEX[type]);
  });

  it.each(SAMPLES.map((r) => [r.type, r] as const))('a %s record round-trips', (_type, record) => {
    expect(decodeRecord(encodeRecord(record))).toEqual(record);
  });

  it('any record round-trips, and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(metadataRecordArbitrary, (record) => {
        const bytes = encodeRecord(record);
        const decoded = decodeRecord(bytes);
        expect(decoded).toEqual(record);
        expect(encodeRecord(decoded)).toEqual(bytes);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('the encoding does not depend on the order in which a record object was built', () => {
    const a: MetadataRecord = { type: 'Config', resourceType: 'topic', resourceName: 't', name: 'n', value: 'v' };
    const b = { value: 'v', name: 'n', resourceName: 't', resourceType: 'topic', type: 'Config' } as MetadataRecord;
    expect(encodeRecord(b)).toEqual(encodeRecord(a));
    expect(recordDigest(b)).toBe(recordDigest(a));
  });

  it('the binary format starts with its version byte 2 and the type code; the JSON form with {"v":1', () => {
    expect([...encodeRecord({ type: 'NoOp' })]).toEqual([2, 9]);
    expect(recordToJson({ type: 'NoOp' })).toBe('{"v":1,"type":"NoOp"}');
  });

  it('any record written in the JSON format of version 1 decodes to the same record as its binary form', () => {
    fc.assert(
      fc.property(metadataRecordArbitrary, (record) => {
        expect(decodeRecord(encoder.encode(recordToJson(record)))).toEqual(decodeRecord(encodeRecord(record)));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('a Partition record of two replicas takes 27 bytes where its JSON takes over 150', () => {
    const partition = SAMPLES[4] as MetadataRecord;
    expect(encodeRecord(partition).length).toBe(27);
    expect(recordToJson(partition).length).toBeGreaterThan(150);
  });

  it('the largest and smallest integers round-trip: 2^53-1 and -1', () => {
    const record: MetadataRecord = { type: 'FenceBroker', brokerId: Number.MAX_SAFE_INTEGER, brokerEpoch: -1 };
    expect(decodeRecord(encodeRecord(record))).toEqual(record);
  });

  it.each<[string, MetadataRecord, RegExp]>([
    ['an integer below -1', { type: 'FenceBroker', brokerId: -2, brokerEpoch: 0 }, /FenceBroker record field brokerId: expected an integer from -1/],
    ['a fractional integer', { type: 'FenceBroker', brokerId: 1.5, brokerEpoch: 0 }, /brokerId/],
    ['a malformed topic id', { type: 'RemoveTopic', topicId: 'xyz' }, /RemoveTopic record field topicId: expected 32 lowercase hex digits/],
    ['an unknown type', { type: 'Bogus' } as unknown as MetadataRecord, /unknown record type "Bogus"/],
  ])('encoding a record with %s fails, naming the field', (_what, record, message) => {
    expect(() => encodeRecord(record)).toThrow(RecordFormatError);
    expect(() => encodeRecord(record)).toThrow(message);
    expect(() => recordToJson(record)).toThrow(message);
  });

  it.each<[string, number[], RegExp]>([
    ['empty input', [], /is empty/],
    ['an unknown format byte', [7, 9], /starts with byte 7/],
    ['an unknown type code', [2, 99], /type code 99 is unknown/],
    ['a truncated topic id', [2, 7, 1, 2, 3], /RemoveTopic record field topicId: a topic id runs past the end/],
    ['trailing bytes', [2, 9, 0], /NoOp record: 1 bytes follow the last field/],
    ['a bad boolean', [2, 1, 2, 0, 2, 0, 0, 5], /RegisterBroker record field fenced: expected 0 or 1, got 5/],
    ['a string past the end', [2, 4, 10, 97], /Topic record field name: a string of 10 bytes runs past the end/],
    ['a bad resource type', [2, 8, 3], /resource type 3/],
    ['an endless varint', [2, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1], /varint/],
    ['invalid UTF-8 in a string', [2, 4, 2, 0xff, 0xfe], /not valid UTF-8/],
  ])('decoding binary with %s fails with an error naming what is wrong', (_what, bytes, message) => {
    expect(() => decodeRecord(new Uint8Array(bytes))).toThrow(RecordFormatError);
    expect(() => decodeRecord(new Uint8Array(bytes))).toThrow(message);
  });

  it('a record decoded from binary shares nothing writable with the bytes or other decodes', () => {
    const bytes = encodeRecord(SAMPLES[4] as MetadataRecord);
    const a = decodeRecord(bytes) as { replicas: number[] };
    const b = decodeRecord(bytes) as { replicas: number[] };
    // Partition records share their lists, frozen (shared-int-lists.ts): a write throws instead of
    // reaching another decode.
    expect(() => a.replicas.push(99)).toThrow(TypeError);
    expect(b.replicas).toEqual([1, 2]);
    bytes[bytes.length - 1] = 0;
    expect(b.replicas).toEqual([1, 2]);
  });

  it.each([
    ['not JSON', '{nope', /not JSON/],
    ['another version', '{"v":2,"type":"NoOp"}', /version 2 is not 1/],
    ['an unknown type', '{"v":1,"type":"Bogus"}', /type "Bogus" is unknown/],
    ['an inherited property as type', '{"v":1,"type":"toString"}', /type "toString" is unknown/],
    ['a missing field', '{"v":1,"type":"Topic","name":"a"}', /Topic record field topicId: expected 32 lowercase hex digits, got nothing/],
    ['a wrongly typed field', '{"v":1,"type":"FenceBroker","brokerId":"1","brokerEpoch":1}', /FenceBroker record field brokerId: expected an integer/],
    ['a bad replica list', '{"v":1,"type":"Partition","topicId":"0123456789abcdef0123456789abcdef","partitionId":0,"replicas":[1.5],"isr":[],"leader":-1,"leaderEpoch":0,"partitionEpoch":0}', /field replicas/],
    ['a bad resource type', '{"v":1,"type":"Config","resourceType":"group","resourceName":"g","name":"n","value":null}', /resourceType/],
  ])('decoding JSON with %s fails with an error naming what is wrong', (_what, text, message) => {
    expect(() => decodeRecord(encoder.encode(text))).toThrow(RecordFormatError);
    expect(() => decodeRecord(encoder.encode(text))).toThrow(message);
  });

  it('decoding JSON bytes that are not UTF-8 fails as such', () => {
    expect(() => decodeRecord(new Uint8Array([0x7b, 0xff, 0xfe]))).toThrow(/not valid UTF-8/);
  });
});

describe('record digest', () => {
  it('is FNV-1a 64 of the record bytes: known vectors', () => {
    expect(fnv1a64Hex(new Uint8Array())).toBe('cbf29ce484222325');
    expect(fnv1a64Hex(encoder.encode('a'))).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex(encoder.encode('foobar'))).toBe('85944171f73967e8');
  });

  it('agrees with a BigInt reference on any bytes, and streaming equals one pass', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        expect(fnv1a64Hex(bytes)).toBe(fnv1a64Reference(bytes));
        expect(new Fnv1a64().update(bytes.subarray(0, at)).update(bytes.subarray(at)).hex()).toBe(fnv1a64Reference(bytes));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a string hashes as its UTF-8 bytes, ASCII or not, longer than the scratch array or not, after other bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: 'binary', maxLength: 40 })), fc.uint8Array({ maxLength: 8 }), (text, before) => {
        const bytes = encoder.encode(text);
        const joined = new Uint8Array(before.length + bytes.length);
        joined.set(before);
        joined.set(bytes, before.length);
        expect(new Fnv1a64().update(before).updateString(text).hex()).toBe(fnv1a64Reference(joined));
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(new Fnv1a64().updateString('foobar').hex()).toBe('85944171f73967e8');
  });

  it('a record and its bytes have the same digest; records that differ in one field differ', () => {
    const record = SAMPLES[4] as MetadataRecord;
    expect(recordDigest(record)).toBe(recordDigest(encodeRecord(record)));
    expect(recordDigest({ ...(record as object), leaderEpoch: 4 } as MetadataRecord)).not.toBe(recordDigest(record));
    expect(recordDigest(record)).toMatch(/^[0-9a-f]{16}$/);
  });
});
