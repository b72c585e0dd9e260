import { describe, expect, it } from 'vitest';
import { CryptoRandom } from '../../../src/node/crypto-random.js';
import { kafkaLogLines } from '../../../src/node/kafka-log-lines.js';
import { MonotonicClock } from '../../../src/node/monotonic-clock.js';
import { randomKafkaUuid } from '../../../src/node/random-uuid.js';

describe('MonotonicClock', () => {
  it('never goes back when the clock it reads does (clock-skew faults)', () => {
    const readings = [5_000_000n, 9_000_000n, 2_000_000n, 9_500_000n];
    const clock = new MonotonicClock(() => readings.shift()!);
    expect([clock.nowMs(), clock.nowMs(), clock.nowMs(), clock.nowMs()]).toEqual([5, 9, 9, 9.5]);
  });

  it('gives nanoseconds for event stamps from the same clamped reading', () => {
    const readings = [7n, 3n];
    const clock = new MonotonicClock(() => readings.shift()!);
    expect([clock.nowNs(), clock.nowNs()]).toEqual([7, 7]);
  });
});

describe('CryptoRandom', () => {
  it('gives floats in [0, 1) that are not all alike', () => {
    const random = new CryptoRandom();
    const values = Array.from({ length: 2000 }, () => random.nextFloat());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(1990);
    expect(values.some((value) => value < 0.1) && values.some((value) => value > 0.9)).toBe(true);
  });
});

describe('randomKafkaUuid', () => {
  it('is 22 base64url characters and skips the zero id and a leading dash', () => {
    const sources = [Buffer.alloc(16), Buffer.from('f8'.repeat(16), 'hex'), Buffer.from('0123456789abcdef0123456789abcdef', 'hex')];
    const id = randomKafkaUuid(() => sources.shift()!);
    expect(id).toBe(Buffer.from('0123456789abcdef0123456789abcdef', 'hex').toString('base64url'));
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(() => randomKafkaUuid(() => Buffer.alloc(3))).toThrow(/16 random bytes, got 3/);
  });
});

describe('Kafka-worded log lines', () => {
  const context = { nodeId: 1, epochStartOffset: 42 };
  it('says what Kafka says for elections, votes, truncation and fencing', () => {
    expect(kafkaLogLines({ kind: 'became-leader', epoch: 7, leaderId: 1 }, context))
      .toEqual(['Completed transition to Leader(localId=1, epoch=7, epochStartOffset=42)']);
    expect(kafkaLogLines({ kind: 'epoch-changed', epoch: 7, state: 'follower', leaderId: 3, votedFor: null }, context))
      .toEqual(['Completed transition to FollowerState(localId=1, epoch=7, leaderId=3)', 'In the new epoch 7, the leader is 3.']);
    expect(kafkaLogLines({ kind: 'vote-granted', epoch: 7, votedFor: 2 }, context)).toEqual(['Voted for candidate 2 in epoch 7']);
    expect(kafkaLogLines({ kind: 'log-truncated', epoch: 7, offset: 40 }, context)).toEqual(['Truncated log to offset 40']);
    expect(kafkaLogLines({ kind: 'broker-fenced', epoch: 7, brokerId: 4 }, context)).toEqual(['Fenced broker 4']);
    expect(kafkaLogLines({ kind: 'committed', epoch: 7, offset: 3 }, context)).toEqual([]);
  });
});
