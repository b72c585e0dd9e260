/**
 * Partition and PartitionChange records (millions of them at scale) take a direct path through
 * the binary codec, both ways; Topic and Config records (every topic created) a direct path
 * through its encoder, and RegisterBroker, Topic and Config records (most of a small snapshot) a
 * direct path through its decoder; every other record type goes through the schema table. Both
 * paths must write and read exactly the same bytes, and refuse the same bad values: checked here
 * against the schema path for every record the arbitraries make, for bad partition, topic and
 * config records, and for every record cut short or followed by a byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinary, encodeBinary, encodeBinaryBySchema, encodeBinaryRun } from '../../../src/core/metadata/record-binary.js';
import type { MetadataRecord } from '../../../src/core/metadata/index.js';
import { metadataRecordArbitrary } from './record-arbitraries.js';

const SEED = Number(process.env.FC_SEED ?? 20_000_000);

describe('the binary codec\'s two paths', () => {
  it('write and read the same bytes for every record', () => {
    fc.assert(fc.property(metadataRecordArbitrary, (record) => {
      const bytes = encodeBinary(record);
      expect(Buffer.from(bytes).equals(Buffer.from(encodeBinaryBySchema(record)))).toBe(true);
      expect(decodeBinary(bytes)).toEqual(decodeBinary(bytes, 0, bytes.length, true));
      expect(decodeBinary(bytes)).toEqual(record);
    }), { seed: SEED, numRuns: 2000 });
  });

  it('refuse every record cut short, or followed by a byte, with the same message', () => {
    const messageOf = (read: () => unknown): string => {
      try {
        read();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    fc.assert(fc.property(metadataRecordArbitrary, (record) => {
      const bytes = encodeBinary(record);
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      for (const [damaged, end] of [[bytes, bytes.length - 1], [longer, longer.length]] as const) {
        const message = messageOf(() => decodeBinary(damaged, 0, end, true));
        expect(message, JSON.stringify(record)).not.toBe('');
        expect(messageOf(() => decodeBinary(damaged, 0, end)), JSON.stringify(record)).toBe(message);
      }
    }), { seed: SEED, numRuns: 1000 });
  });

  it('a record run is each record\'s bytes behind its length, after the count', () => {
    fc.assert(fc.property(fc.array(metadataRecordArbitrary, { maxLength: 20 }), (records) => {
      const run = Buffer.from(encodeBinaryRun(records));
      expect(run.readUInt32BE(0)).toBe(records.length);
      let position = 4;
      for (const record of records) {
        const length = run.readUInt32BE(position);
        expect(run.subarray(position + 4, position + 4 + length).equals(Buffer.from(encodeBinary(record)))).toBe(true);
        position += 4 + length;
      }
      expect(position).toBe(run.length);
    }), { seed: SEED, numRuns: 300 });
  });

  it('refuse the same bad partition records with the same message', () => {
    const topicId = 'ab'.repeat(16);
    const bad: unknown[] = [
      { type: 'Partition', topicId: 'AB'.repeat(16), partitionId: 0, replicas: [1], isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
      { type: 'Partition', topicId, partitionId: -2, replicas: [1], isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
      { type: 'Partition', topicId, partitionId: 0, replicas: [1.5], isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
      { type: 'PartitionChange', topicId, partitionId: 0, isr: 'x', leader: null },
      { type: 'PartitionChange', topicId, partitionId: 0, isr: null, leader: undefined },
    ];
    // Every field wrong in turn, then two at once (the first in schema order is named), and the
    // topic id only wrong in length: the direct path checks each field itself, in schema order.
    const partition = { type: 'Partition', topicId, partitionId: 0, replicas: [1, 2], isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 0 };
    const change = { type: 'PartitionChange', topicId, partitionId: 0, isr: [1], leader: 1 };
    for (const good of [partition, change]) {
      for (const field of Object.keys(good).filter((key) => key !== 'type')) {
        bad.push({ ...good, [field]: -2 }, { ...good, [field]: 'x' }, { ...good, [field]: [0, -2] });
        bad.push({ ...good, [field]: 'x', leader: 'y' });
      }
    }
    bad.push({ ...partition, topicId: 'ab'.repeat(17) }, { ...partition, topicId: 'ab'.repeat(15) });
    for (const record of bad) {
      const fast = (): unknown => encodeBinary(record as MetadataRecord);
      const bySchema = (): unknown => encodeBinaryBySchema(record as MetadataRecord);
      let message = '';
      try {
        bySchema();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, JSON.stringify(record)).not.toBe('');
      expect(fast, JSON.stringify(record)).toThrow(message);
    }
  });

  it('refuse the same bad Topic and Config records with the same message', () => {
    const topic = { type: 'Topic', name: 't', topicId: 'ab'.repeat(16) };
    const config = { type: 'Config', resourceType: 'topic', resourceName: 't', name: 'cleanup.policy', value: 'compact' };
    const bad: unknown[] = [];
    for (const good of [topic, config]) {
      for (const field of Object.keys(good).filter((key) => key !== 'type')) {
        bad.push({ ...good, [field]: 7 }, { ...good, [field]: undefined }, { ...good, [field]: 'x', name: 3 });
      }
    }
    bad.push({ ...topic, topicId: 'AB'.repeat(16) }, { ...config, resourceType: 'group' });
    for (const record of bad) {
      let message = '';
      try {
        encodeBinaryBySchema(record as MetadataRecord);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, JSON.stringify(record)).not.toBe('');
      expect(() => encodeBinary(record as MetadataRecord), JSON.stringify(record)).toThrow(message);
    }
    // A deleted config (value null) is written, the same bytes both ways.
    const deletion = { ...config, value: null } as MetadataRecord;
    expect(encodeBinary(deletion)).toEqual(encodeBinaryBySchema(deletion));
  });

  it('write the same bytes for a replica list with a hole (skipped by the check, as every() skips it)', () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    const replicas = [1, , 2] as number[];
    const record = { type: 'Partition', topicId: 'ab'.repeat(16), partitionId: 0, replicas, isr: [1], leader: 1, leaderEpoch: 0, partitionEpoch: 0 } as MetadataRecord;
    expect(encodeBinary(record)).toEqual(encodeBinaryBySchema(record));
  });
});
