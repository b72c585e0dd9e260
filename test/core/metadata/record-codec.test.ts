import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRecord,
  encodeRecord,
  fnv1a64Hex,
  Fnv1a64,
  recordDigest,
  RecordDecodeError,
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

describe('record codec', () => {
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

  it('the format is versioned JSON: a record begins with {"v":1,"type":…}', () => {
    expect(new TextDecoder().decode(encodeRecord({ type: 'NoOp' }))).toBe('{"v":1,"type":"NoOp"}');
  });

  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['a JSON array', '[1]', /not a JSON object/],
    ['another version', '{"v":2,"type":"NoOp"}', /version 2 is not 1/],
    ['an unknown type', '{"v":1,"type":"Bogus"}', /type "Bogus" is unknown/],
    ['a missing field', '{"v":1,"type":"Topic","name":"a"}', /Topic record field topicId: expected 32 lowercase hex digits, got nothing/],
    ['a wrongly typed field', '{"v":1,"type":"FenceBroker","brokerId":"1","brokerEpoch":1}', /FenceBroker record field brokerId: expected an integer/],
    ['a bad replica list', '{"v":1,"type":"Partition","topicId":"0123456789abcdef0123456789abcdef","partitionId":0,"replicas":[1.5],"isr":[],"leader":-1,"leaderEpoch":0,"partitionEpoch":0}', /field replicas/],
    ['a bad resource type', '{"v":1,"type":"Config","resourceType":"group","resourceName":"g","name":"n","value":null}', /resourceType/],
  ])('decoding %s fails with an error naming what is wrong', (_what, text, message) => {
    expect(() => decodeRecord(encoder.encode(text))).toThrow(RecordDecodeError);
    expect(() => decodeRecord(encoder.encode(text))).toThrow(message);
  });

  it('decoding bytes that are not UTF-8 fails as such', () => {
    expect(() => decodeRecord(new Uint8Array([0xff, 0xfe]))).toThrow(/not valid UTF-8/);
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

  it('a record and its bytes have the same digest; records that differ in one field differ', () => {
    const record = SAMPLES[4] as MetadataRecord;
    expect(recordDigest(record)).toBe(recordDigest(encodeRecord(record)));
    expect(recordDigest({ ...(record as object), leaderEpoch: 4 } as MetadataRecord)).not.toBe(recordDigest(record));
    expect(recordDigest(record)).toMatch(/^[0-9a-f]{16}$/);
  });
});
