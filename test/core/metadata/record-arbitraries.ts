/** fast-check generators of well-formed metadata records (shapes only, not a consistent log). */
import fc from 'fast-check';
import type { MetadataRecord } from '../../../src/core/metadata/index.js';

const topicId = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(''),
);
const id = fc.integer({ min: 0, max: 1_000_000 });
const ids = fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 5 });
const text = fc.string({ maxLength: 20, unit: 'grapheme' });

export const metadataRecordArbitrary: fc.Arbitrary<MetadataRecord> = fc.oneof(
  fc.record({
    type: fc.constant('RegisterBroker' as const),
    brokerId: id,
    incarnationId: text,
    brokerEpoch: fc.maxSafeNat(),
    endpoints: fc.array(
      fc.record({ name: text, host: text, port: fc.integer({ min: 0, max: 65535 }), securityProtocol: text }),
      { maxLength: 3 },
    ),
    rack: fc.option(text, { nil: null }),
    fenced: fc.boolean(),
  }),
  fc.record({ type: fc.constant('FenceBroker' as const), brokerId: id, brokerEpoch: fc.maxSafeNat() }),
  fc.record({ type: fc.constant('UnfenceBroker' as const), brokerId: id, brokerEpoch: fc.maxSafeNat() }),
  fc.record({ type: fc.constant('Topic' as const), name: text, topicId }),
  fc.record({
    type: fc.constant('Partition' as const),
    topicId,
    partitionId: id,
    replicas: ids,
    isr: ids,
    leader: fc.integer({ min: -1, max: 100 }),
    leaderEpoch: id,
    partitionEpoch: id,
  }),
  fc.record({
    type: fc.constant('PartitionChange' as const),
    topicId,
    partitionId: id,
    isr: fc.option(ids, { nil: null }),
    leader: fc.option(fc.integer({ min: -1, max: 100 }), { nil: null }),
  }),
  fc.record({ type: fc.constant('RemoveTopic' as const), topicId }),
  fc.record({
    type: fc.constant('Config' as const),
    resourceType: fc.constantFrom('topic' as const, 'broker' as const),
    resourceName: text,
    name: text,
    value: fc.option(text, { nil: null }),
  }),
  fc.constant({ type: 'NoOp' as const }),
);
