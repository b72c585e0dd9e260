import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignReplicas, isTopicId, topicIdFromUuid, topicIdSourceFrom } from '../../../src/core/metadata/index.js';
import { Fnv1a64 } from '../../../src/core/metadata/fnv1a64.js';

const SEED = Number(process.env.METADATA_TEST_SEED ?? 500);

describe('replica assignment', () => {
  it('gives every partition replicationFactor distinct brokers from the given set', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.string({ minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        (brokers, name, first, count, rfSeed) => {
          const rf = 1 + (rfSeed % brokers.length);
          const assignments = assignReplicas(name, brokers, first, count, rf);
          expect(assignments).toHaveLength(count);
          for (const replicas of assignments) {
            expect(replicas).toHaveLength(rf);
            expect(new Set(replicas).size).toBe(rf);
            for (const id of replicas) expect(brokers).toContain(id);
          }
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('spreads leaders and replicas evenly: over n·k partitions each broker leads k and holds rf·k', () => {
    const brokers = [1, 2, 3, 4, 5];
    const assignments = assignReplicas('balanced', brokers, 0, 50, 3);
    const leads = new Map<number, number>();
    const holds = new Map<number, number>();
    for (const replicas of assignments) {
      leads.set(replicas[0] as number, (leads.get(replicas[0] as number) ?? 0) + 1);
      for (const id of replicas) holds.set(id, (holds.get(id) ?? 0) + 1);
    }
    for (const id of brokers) {
      expect(leads.get(id)).toBe(10);
      expect(holds.get(id)).toBe(30);
    }
  });

  it('is deterministic and independent of the order the brokers are listed in', () => {
    expect(assignReplicas('t', [3, 1, 2], 0, 9, 2)).toEqual(assignReplicas('t', [1, 2, 3], 0, 9, 2));
  });

  it('a replication factor above the broker count is refused', () => {
    expect(() => assignReplicas('t', [1, 2], 0, 1, 3)).toThrow(/replication factor 3 cannot be placed on 2 brokers/);
  });
});

describe('topic ids', () => {
  it('a seeded source gives the same distinct, well-formed ids every time', () => {
    const a = topicIdSourceFrom('epoch-3/offset-17');
    const b = topicIdSourceFrom('epoch-3/offset-17');
    const ids = Array.from({ length: 1000 }, () => a());
    expect(ids).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(isTopicId(id)).toBe(true);
  });

  it('a seeded source gives the n-th id as the digests of a:seed/n and b:seed/n, whatever the seed', () => {
    // The source hashes each prefix once and only n's digits per id: the ids must be those of
    // hashing the whole texts (the simulator's seeds depend on every id).
    const whole = (text: string): string => new Fnv1a64().updateString(text).hex();
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 12 })), fc.integer({ min: 1, max: 40 }), (seed, count) => {
        const source = topicIdSourceFrom(seed);
        for (let n = 0; n < count; n++) expect(source()).toBe(whole(`a:${seed}/${n}`) + whole(`b:${seed}/${n}`));
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(topicIdSourceFrom('c/1/4')()).toBe('89892b08d0f0db4b501860ed26e3443e');
  });

  it('isTopicId takes exactly 32 lowercase hex digits, not all zero', () => {
    const byPattern = (value: unknown): boolean => typeof value === 'string' && /^[0-9a-f]{32}$/.test(value) && value !== '0'.repeat(32);
    const hexChar = fc.constantFrom(...'0123456789abcdefABCDEFgz-\n '.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: hexChar, minLength: 30, maxLength: 34 }), fc.string({ maxLength: 40 }), fc.constant('0'.repeat(32)), fc.integer()), (value) => {
        expect(isTopicId(value)).toBe(byPattern(value));
      }),
      { seed: SEED, numRuns: 2000 },
    );
    expect(isTopicId(`${'a'.repeat(32)}\n`)).toBe(false);
  });

  it('a digest\'s low32 is the number its last 8 hex digits spell', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const digest = new Fnv1a64().updateString(text);
        expect(digest.low32()).toBe(parseInt(digest.hex().slice(8), 16));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a dashed UUID becomes 32 hex digits; the zero id and malformed input are refused', () => {
    expect(topicIdFromUuid('123E4567-E89B-12D3-A456-426614174000')).toBe('123e4567e89b12d3a456426614174000');
    expect(() => topicIdFromUuid('00000000-0000-0000-0000-000000000000')).toThrow(/not a non-zero UUID/);
    expect(() => topicIdFromUuid('xyz')).toThrow(/not a non-zero UUID/);
  });
});
