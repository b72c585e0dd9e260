/**
 * A huge write goes out over several turns: the active controller appends at most
 * APPEND_RECORDS_PER_TURN records a turn (in batches of NON_ATOMIC_BATCH_RECORDS_MAX), writes
 * planned meanwhile land after it in plan order, and each answer waits for its own last batch.
 */
import { describe, expect, it } from 'vitest';
import { ActiveController, APPEND_RECORDS_PER_TURN, NON_ATOMIC_BATCH_RECORDS_MAX, type AnswerAddress } from '../../src/core/active-controller.js';
import type { MetadataBatch } from '../../src/core/metadata-log.js';
import { MetadataImage, type MetadataRecord } from '../../src/core/metadata/index.js';

const PARTITIONS = 50_000;

function committedImage(): MetadataImage {
  const image = MetadataImage.empty();
  for (const brokerId of [1, 2, 3]) {
    image.apply({ type: 'RegisterBroker', brokerId, incarnationId: `i${brokerId}`, brokerEpoch: brokerId, endpoints: [], rack: null, fenced: false });
  }
  for (let t = 0; t < PARTITIONS / 10_000; t++) {
    const topicId = (t + 1).toString(16).padStart(32, '0');
    image.apply({ type: 'Topic', name: `t${t}`, topicId });
    for (let p = 0; p < 10_000; p++) {
      image.apply({ type: 'Partition', topicId, partitionId: p, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1 + (p % 3), leaderEpoch: 0, partitionEpoch: 0 });
    }
  }
  return image;
}

function address(requestId: number): AnswerAddress {
  return { node: 1, incarnationId: 'x', requestId, internal: false };
}

describe('the active controller\'s append queue', () => {
  it('appends a fencing of 50,000 partitions over two turns, a write planned meanwhile after it, answers in order', () => {
    const log: MetadataBatch[] = [];
    const appender = { nextOffset: () => log.length, append: (batch: MetadataBatch) => ({ offset: log.push(batch) - 1, epoch: 1 }) };
    const controller = new ActiveController(committedImage(), [], 1, 0, 9000, {}, 'seed');
    controller.plan({ type: 'fenceBroker', brokerId: 2 }, address(1), appender, 0);
    const firstTurn = log.reduce((sum, batch) => sum + batch.length, 0);
    expect(firstTurn).toBeLessThanOrEqual(APPEND_RECORDS_PER_TURN);
    expect(log.every((batch) => batch.length <= NON_ATOMIC_BATCH_RECORDS_MAX)).toBe(true);
    expect(controller.hasQueued).toBe(true);
    // Planned while the fence is still going out: it sees the fence (latest image), lands after it.
    controller.plan({ type: 'createTopic', name: 'later', numPartitions: 1, replicationFactor: 2 }, address(2), appender, 0);
    expect(controller.hasQueued).toBe(true);
    controller.appendQueued(appender);
    expect(controller.hasQueued).toBe(false);
    const records: MetadataRecord[] = log.flat();
    const fenceRecords = records.filter((r) => r.type === 'PartitionChange' || r.type === 'FenceBroker').length;
    expect(fenceRecords).toBe(PARTITIONS + 1);
    const later = records.find((r) => r.type === 'Partition');
    expect(later, 'the later topic is placed on the brokers still unfenced').toBeDefined();
    expect((later as { replicas: number[] }).replicas).not.toContain(2);
    expect(log.at(-1)![0]!.type).toBe('Topic');
    // The fence is answered once its last batch commits, the later write after it.
    const lastFenceOffset = log.length - 2;
    expect(controller.release(lastFenceOffset)).toEqual([]);
    expect(controller.release(lastFenceOffset + 1).map((held) => held.to.requestId)).toEqual([1]);
    expect(controller.release(log.length).map((held) => held.to.requestId)).toEqual([2]);
  });

  it('a leader that loses leadership mid-write says which answers may yet take effect', () => {
    const log: MetadataBatch[] = [];
    const appender = { nextOffset: () => log.length, append: (batch: MetadataBatch) => ({ offset: log.push(batch) - 1, epoch: 1 }) };
    const controller = new ActiveController(committedImage(), [], 1, 0, 9000, {}, 'seed');
    controller.plan({ type: 'fenceBroker', brokerId: 2 }, address(1), appender, 0);
    controller.plan({ type: 'createTopic', name: 'later', numPartitions: 1, replicationFactor: 2 }, address(2), appender, 0);
    const abandoned = controller.abandon();
    expect(abandoned.map((held) => [held.to.requestId, held.committedOffset !== undefined])).toEqual([[1, true], [2, false]]);
  });
});
