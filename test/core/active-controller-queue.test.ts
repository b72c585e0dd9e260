/**
 * A huge write goes out over several turns: the active controller appends at most
 * APPEND_RECORDS_PER_TURN records a turn (in batches of NON_ATOMIC_BATCH_RECORDS_MAX), writes
 * planned meanwhile land after it in plan order, and each answer waits for its own last batch. A
 * fencing is planned a slice per turn, and the node answers between slices.
 */
import { describe, expect, it } from 'vitest';
import {
  ActiveController, APPEND_RECORDS_PER_TURN, FENCING_UNAPPLIED_RECORDS_MAX, NON_ATOMIC_BATCH_RECORDS_MAX, type Appender, type AnswerAddress,
} from '../../src/core/active-controller.js';
import type { MetadataBatch } from '../../src/core/metadata-log.js';
import { MetadataImage, type MetadataRecord } from '../../src/core/metadata/index.js';
import { threeBrokerImage } from '../support/three-broker-image.js';

const PARTITIONS = 50_000;

function committedImage(): MetadataImage {
  return threeBrokerImage(PARTITIONS);
}

function address(requestId: number): AnswerAddress {
  return { node: 1, incarnationId: 'x', requestId, internal: false };
}

/** Appends to `log`, and this node applies each batch the moment it is appended. */
function appliedAtOnce(log: MetadataBatch[]): Appender {
  return { nextOffset: () => log.length, append: (batch) => ({ offset: log.push(batch) - 1, epoch: 1 }), appliedOffset: () => log.length };
}

describe('the active controller\'s append queue', () => {
  it('plans a fencing of 50,000 partitions a slice per turn: heartbeats answered between slices, leaders moved first, a topic planned meanwhile not placed on the broker', () => {
    const log: MetadataBatch[] = [];
    const appender = appliedAtOnce(log);
    const committed = committedImage();
    const controller = new ActiveController(committed.clone(), [], 1, 0, 9000, {}, 'seed');
    // Broker 2 shuts down: its heartbeat asks to be fenced. Nothing is planned in this turn.
    controller.plan({ type: 'brokerHeartbeat', brokerId: 2, brokerEpoch: 2, wantFence: true }, address(1), appender, 0);
    expect(log).toEqual([]);
    expect(controller.hasQueued).toBe(true);
    let turns = 0;
    let heartbeatsAnsweredMidway = 0;
    let topicPlanned = false;
    while (controller.hasQueued) {
      const before = log.length;
      controller.appendQueued(appender, turns);
      turns++;
      const appended = log.slice(before).reduce((sum, batch) => sum + batch.length, 0);
      expect(appended, `turn ${turns}`).toBeLessThanOrEqual(APPEND_RECORDS_PER_TURN);
      if (!controller.hasQueued) break;
      // Between slices: broker 3's heartbeat is answered at once (it waits for nothing planned
      // after it), and a topic created meanwhile lands between slices.
      controller.plan({ type: 'brokerHeartbeat', brokerId: 3, brokerEpoch: 3 }, address(100 + turns), appender, turns);
      if (controller.release(log.length).some((held) => held.to.requestId === 100 + turns)) heartbeatsAnsweredMidway++;
      if (!topicPlanned) {
        controller.plan({ type: 'createTopic', name: 'later', numPartitions: 3, replicationFactor: 2 }, address(2), appender, turns);
        topicPlanned = true;
      }
    }
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(50_001 / APPEND_RECORDS_PER_TURN));
    expect(heartbeatsAnsweredMidway).toBe(turns - 1);
    expect(log.every((batch) => batch.length <= NON_ATOMIC_BATCH_RECORDS_MAX)).toBe(true);
    const records: MetadataRecord[] = log.flat();
    const changes = records.filter((r) => r.type === 'PartitionChange');
    // 50,000 partitions lose broker 2 from their ISR; the third it led get new leaders first.
    expect(changes.length).toBe(PARTITIONS);
    const firstIsrOnly = changes.findIndex((r) => r.leader === null);
    // Broker 2 leads partitions 1, 4, 7, ... of each topic: 3,333 of 10,000, five times.
    expect(firstIsrOnly).toBe(5 * 3_333);
    expect(changes.slice(0, firstIsrOnly).every((r) => r.leader !== null && r.leader !== 2)).toBe(true);
    expect(changes.slice(firstIsrOnly).every((r) => r.leader === null)).toBe(true);
    expect(records.at(-1)).toMatchObject({ type: 'FenceBroker', brokerId: 2 });
    const later = records.filter((r) => r.type === 'Partition');
    expect(later.length).toBe(3);
    for (const partition of later) expect((partition as { replicas: number[] }).replicas, 'placed on a broker not leaving').not.toContain(2);
    // The log replays to an image where broker 2 leads nothing, is in no ISR, and is fenced.
    const replayed = committed.clone();
    for (const record of records) replayed.apply(record);
    expect(replayed.broker(2)!.fenced).toBe(true);
    for (const name of replayed.topicNames()) {
      for (const partition of replayed.partitions(replayed.topic(name)!.topicId)) {
        expect(partition.leader).not.toBe(2);
        expect(partition.isr).not.toContain(2);
      }
    }
    // The fence is answered once its last batch commits.
    expect(controller.release(log.length - 1).map((held) => held.to.requestId)).not.toContain(1);
    expect(controller.release(log.length).map((held) => held.to.requestId)).toContain(1);
  });

  it('a fencing under way makes a second one wait, and plans it once done', () => {
    const log: MetadataBatch[] = [];
    const appender = appliedAtOnce(log);
    const controller = new ActiveController(committedImage(), [], 1, 0, 9000, {}, 'seed');
    controller.plan({ type: 'brokerHeartbeat', brokerId: 2, brokerEpoch: 2, wantFence: true }, address(1), appender, 0);
    controller.appendQueued(appender, 0);
    controller.plan({ type: 'fenceBroker', brokerId: 3 }, address(2), appender, 0);
    for (let turn = 1; controller.hasQueued; turn++) controller.appendQueued(appender, turn);
    const records: MetadataRecord[] = log.flat();
    const fence2 = records.findIndex((r) => r.type === 'FenceBroker' && r.brokerId === 2);
    const fence3 = records.findIndex((r) => r.type === 'FenceBroker' && r.brokerId === 3);
    expect(fence2).toBeGreaterThan(0);
    expect(fence3).toBe(fence2 + 1);
    // With 2 and 3 gone, every partition is led by 1 or by nobody, never by a fenced broker.
    const image = committedImage();
    for (const record of records) image.apply(record);
    for (const partition of image.partitions(image.topic('t0')!.topicId)) expect([1, -1]).toContain(partition.leader);
    expect(controller.release(log.length).map((held) => held.to.requestId)).toEqual([1, 2]);
  });

  it('a leader that loses leadership mid-write says which answers may yet take effect', () => {
    const log: MetadataBatch[] = [];
    const appender = appliedAtOnce(log);
    const controller = new ActiveController(committedImage(), [], 1, 0, 9000, {}, 'seed');
    controller.plan({ type: 'fenceBroker', brokerId: 2 }, address(1), appender, 0);
    controller.appendQueued(appender, 0);
    controller.plan({ type: 'createTopic', name: 'later', numPartitions: 1, replicationFactor: 2 }, address(2), appender, 0);
    controller.plan({ type: 'fenceBroker', brokerId: 3 }, address(3), appender, 0);
    const abandoned = controller.abandon();
    // The fence got a slice appended (it may commit), the topic too; the second fence waited and never was.
    expect(abandoned.map((held) => [held.to.requestId, held.committedOffset !== undefined])).toEqual([[2, true], [1, true], [3, false]]);
  });

  it('paces a fencing by what this node has applied: no slice is planned while FENCING_UNAPPLIED_RECORDS_MAX of its records wait to be applied', () => {
    // 250,000 partitions: fencing broker 2 changes every one of them, 2.5 windows' worth.
    const partitions = 250_000;
    const log: MetadataBatch[] = [];
    let applied = 0;
    const appender: Appender = { nextOffset: () => log.length, append: (batch) => ({ offset: log.push(batch) - 1, epoch: 1 }), appliedOffset: () => applied };
    const records = (from: number, to = log.length): number => log.slice(from, to).reduce((sum, batch) => sum + batch.length, 0);
    const controller = new ActiveController(threeBrokerImage(partitions), [], 1, 0, 9000, {}, 'seed');
    controller.plan({ type: 'brokerHeartbeat', brokerId: 2, brokerEpoch: 2, wantFence: true }, address(1), appender, 0);
    let turn = 0;
    while (controller.canAppendNow(appender)) controller.appendQueued(appender, turn++);
    // Nothing applied: the fencing stops once a window of its records is out, and says it waits.
    expect(records(0)).toBe(FENCING_UNAPPLIED_RECORDS_MAX);
    expect(controller.hasQueued).toBe(true);
    controller.appendQueued(appender, turn++);
    expect(records(0), 'a turn given anyway appends nothing').toBe(FENCING_UNAPPLIED_RECORDS_MAX);
    // Applying the first two batches frees their room, no more.
    applied = 2;
    expect(controller.canAppendNow(appender)).toBe(true);
    while (controller.canAppendNow(appender)) controller.appendQueued(appender, turn++);
    expect(records(applied)).toBe(FENCING_UNAPPLIED_RECORDS_MAX);
    // Applying as it goes, the fencing finishes: every partition changed once, then the fence.
    applied = log.length;
    while (controller.hasQueued) {
      expect(controller.canAppendNow(appender)).toBe(true);
      controller.appendQueued(appender, turn++);
      expect(records(applied)).toBeLessThanOrEqual(FENCING_UNAPPLIED_RECORDS_MAX + 1);
      applied = log.length;
    }
    expect(records(0)).toBe(partitions + 1);
    expect(log.flat().at(-1)).toMatchObject({ type: 'FenceBroker', brokerId: 2 });
    expect(controller.release(log.length).map((held) => held.to.requestId)).toEqual([1]);
  });
});
