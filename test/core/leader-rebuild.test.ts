/**
 * A new active controller rebuilds its latest image from the uncommitted tail of its log a slice
 * per turn (REBUILD_RECORDS_PER_TURN), not in the input that elected it: a former leader's fencing
 * of a million partitions, replayed in one go, held that input for seconds on a loaded machine, and
 * the new leader resigned by check-quorum after each election (issue 12). Writes wait until the
 * image is whole, and the image equals a fresh replay of the log. Committing that tail is applied
 * to the committed image a slice per input too (APPLY_RECORDS_PER_TURN): in one input it held the
 * leader as long again, and it resigned all the same.
 */
import { describe, expect, it } from 'vitest';
import { ActiveController, NON_ATOMIC_BATCH_RECORDS_MAX, REBUILD_RECORDS_PER_TURN, type Appender, type AnswerAddress } from '../../src/core/active-controller.js';
import type { LogEntry } from '../../src/core/host-interface.js';
import type { MetadataBatch } from '../../src/core/metadata-log.js';
import { imageDigest, MetadataImage, MetadataSnapshot, type MetadataRecord } from '../../src/core/metadata/index.js';
import { APPLY_RECORDS_PER_TURN, QuorumNode } from '../../src/core/quorum-node.js';
import { SeededRandom } from '../../src/sim/random.js';
import { threeBrokerImage } from '../support/three-broker-image.js';

const PARTITIONS = 50_000;

function committedImage(): MetadataImage {
  return threeBrokerImage(PARTITIONS);
}

function address(requestId: number): AnswerAddress {
  return { node: 2, incarnationId: 'x', requestId, internal: false };
}

function appenderOn(log: MetadataBatch[], epoch: number): Appender {
  return { nextOffset: () => log.length, append: (batch) => ({ offset: log.push(batch) - 1, epoch }), appliedOffset: () => log.length };
}

/** The log a former leader left: its fencing of broker 2 over every partition, never seen committed. */
function fencingTail(committed: MetadataImage): MetadataBatch[] {
  const tail: MetadataBatch[] = [];
  const former = new ActiveController(committed.clone(), [], 1, 0, 9000, {}, 'former');
  const appender = appenderOn(tail, 1);
  former.plan({ type: 'fenceBroker', brokerId: 2 }, address(1), appender, 0);
  for (let turn = 1; former.hasQueued; turn++) former.appendQueued(appender, turn);
  return tail;
}

/** The batches of `tail`, counting the records handed out. */
function counted(tail: readonly MetadataBatch[]): { batches: Iterable<MetadataBatch>; taken: () => number } {
  let taken = 0;
  return {
    batches: { *[Symbol.iterator]() { for (const batch of tail) { taken += batch.length; yield batch; } } },
    taken: () => taken,
  };
}

describe('the new active controller\'s rebuild of its latest image', () => {
  it('replays a 50,000-record fencing tail a slice per turn; a write planned meanwhile waits, then sees the whole tail', () => {
    const committed = committedImage();
    const tail = fencingTail(committed);
    const tailRecords = tail.reduce((sum, batch) => sum + batch.length, 0);
    expect(tailRecords).toBeGreaterThan(2 * REBUILD_RECORDS_PER_TURN);
    const { batches, taken } = counted(tail);
    const log: MetadataBatch[] = [];
    const appender = appenderOn(log, 2);
    // The input that elects the leader replays one slice only.
    const controller = new ActiveController(committed, batches, 2, 100, 9000, {}, 'new');
    expect(taken()).toBeLessThan(REBUILD_RECORDS_PER_TURN + NON_ATOMIC_BATCH_RECORDS_MAX);
    expect(controller.rebuilding).toBe(true);
    expect(controller.hasQueued).toBe(true);
    // A write arriving meanwhile is not planned against the half-built image, nor are sessions expired.
    controller.plan({ type: 'createTopic', name: 'later', numPartitions: 3, replicationFactor: 2 }, address(7), appender, 101);
    expect(log).toEqual([]);
    expect(controller.expiredSessions(1_000_000)).toEqual([]);
    let turns = 0;
    while (controller.rebuilding) {
      const before = taken();
      controller.appendQueued(appender, 101 + turns);
      turns++;
      expect(taken() - before, `turn ${turns}`).toBeLessThan(REBUILD_RECORDS_PER_TURN + NON_ATOMIC_BATCH_RECORDS_MAX);
    }
    expect(taken()).toBe(tailRecords);
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(tailRecords / (REBUILD_RECORDS_PER_TURN + NON_ATOMIC_BATCH_RECORDS_MAX)) - 1);
    // Planned once the image was whole: broker 2 is fenced there, so no replica lands on it.
    const created = log.flat().filter((r): r is Extract<MetadataRecord, { type: 'Partition' }> => r.type === 'Partition');
    expect(created).toHaveLength(3);
    for (const partition of created) expect(partition.replicas).not.toContain(2);
    // The latest image is the committed image plus a fresh replay of everything after it.
    const replayed = committedImage();
    for (const record of [...tail.flat(), ...log.flat()]) replayed.apply(record);
    expect(imageDigest(controller.latestImage)).toBe(imageDigest(replayed));
    // The committed image it started from is untouched (copy-on-write).
    expect(imageDigest(committed)).toBe(imageDigest(committedImage()));
    expect(controller.release(log.length).map((held) => held.to.requestId)).toEqual([7]);
  });

  it('a tail within one slice is replayed in the electing input, as before', () => {
    const committed = committedImage();
    const tail: MetadataBatch[] = [[{ type: 'FenceBroker', brokerId: 3, brokerEpoch: 3 }]];
    const controller = new ActiveController(committed, tail, 2, 0, 9000, {}, 'new');
    expect(controller.rebuilding).toBe(false);
    expect(controller.hasQueued).toBe(false);
    expect(controller.latestImage.broker(3)!.fenced).toBe(true);
  });

  it('a leadership lost mid-rebuild answers the writes that waited as never done', () => {
    const committed = committedImage();
    const controller = new ActiveController(committed, fencingTail(committed), 2, 0, 9000, {}, 'new');
    const log: MetadataBatch[] = [];
    controller.plan({ type: 'createTopic', name: 'later', numPartitions: 1, replicationFactor: 1 }, address(9), appenderOn(log, 2), 1);
    const abandoned = controller.abandon();
    expect(abandoned.map((held) => [held.to.requestId, held.committedOffset])).toEqual([[9, undefined]]);
    expect(log).toEqual([]);
  });
});

describe('a node applying a commit of more than a turn\'s records', () => {
  it('applies at most APPLY_RECORDS_PER_TURN records an input (whole entries), and ends with the image a fresh replay gives', () => {
    const committed = committedImage();
    const tail = fencingTail(committed);
    const snapshotEnd = 5;
    const log: LogEntry<MetadataBatch>[] = tail.map((record, i) => ({ offset: snapshotEnd + i, epoch: 1, record }));
    // A single voter restarted with the tail uncommitted: it elects itself, rebuilds its latest
    // image, and commits the tail with its epoch.
    const node = new QuorumNode({
      config: { nodeId: 1, voters: [1], clusterId: 'apply-slices', processRoles: ['controller'] },
      recovered: { quorumState: { epoch: 1, votedFor: null, leaderId: null }, snapshot: { endOffset: snapshotEnd, lastEpoch: 1, state: MetadataSnapshot.of(committed) }, log },
      random: SeededRandom.fromSeed(1), nowMs: 0,
    });
    const recordsUpTo = (offset: number): number => log.filter((entry) => entry.offset < offset).reduce((sum, entry) => sum + entry.record.length, 0);
    const appliedPerInput: number[] = [];
    for (let nowMs = 0; node.debugState().appliedOffset < snapshotEnd + tail.length && nowMs < 60_000; nowMs++) {
      const before = node.debugState().appliedOffset;
      if (nowMs >= node.nextWakeMs()) node.tick(nowMs);
      while (node.hasReady()) {
        node.ready();
        node.advance();
      }
      const applied = recordsUpTo(node.debugState().appliedOffset) - recordsUpTo(before);
      if (applied > 0) appliedPerInput.push(applied);
    }
    expect(node.debugState().state).toBe('leader');
    expect(node.debugState().appliedOffset).toBeGreaterThanOrEqual(snapshotEnd + tail.length);
    expect(appliedPerInput.length).toBeGreaterThan(1);
    for (const applied of appliedPerInput) expect(applied).toBeLessThan(APPLY_RECORDS_PER_TURN + NON_ATOMIC_BATCH_RECORDS_MAX);
    const replayed = committedImage();
    for (const record of tail.flat()) replayed.apply(record);
    expect(imageDigest(node.committedImage)).toBe(imageDigest(replayed));
    expect(replayed.broker(2)!.fenced).toBe(true);
  });
});
