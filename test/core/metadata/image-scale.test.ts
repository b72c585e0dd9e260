/**
 * A benchmark-style test: builds an image of a million partitions the way a restarting node does
 * (decode each log record and apply it) and prints time and memory. It asserts what the image
 * holds, never how fast it was built; figures are printed for people to compare.
 * Scale with METADATA_BENCH_PARTITIONS (default 1,000,000).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  decodeRecord,
  encodeRecord,
  imageDigest,
  MetadataImage,
  planWrite,
  rebuildLatest,
  snapshotRecords,
  topicIdSourceFrom,
  type MetadataRecord,
  type MetadataWriteOperation,
} from '../../../src/core/metadata/index.js';
import { PLAINTEXT } from './metadata-driver.js';

const PARTITIONS = Number(process.env.METADATA_BENCH_PARTITIONS ?? 1_000_000);
const PARTITIONS_PER_TOPIC = 10_000;
const BROKERS = [1, 2, 3, 4, 5];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** JavaScript heap plus ArrayBuffers (where the partition tables live), after a full collection. */
function memoryUsedMiB(): number {
  gc();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 2 ** 20;
}

function timed<T>(what: string, figures: string[], run: () => T): T {
  const startNs = process.hrtime.bigint();
  const value = run();
  figures.push(`${what}: ${(Number(process.hrtime.bigint() - startNs) / 1e6).toFixed(0)} ms`);
  return value;
}

describe(`an image of ${PARTITIONS.toLocaleString('en')} partitions`, () => {
  // A long time limit: this measures, and a loaded two-core machine may take minutes.
  it('is rebuilt from its log, snapshotted, cloned and scanned (figures printed)', { timeout: 900_000 }, () => {
    const figures: string[] = [];
    const newTopicId = topicIdSourceFrom('bench');
    const leader = MetadataImage.empty();
    let offset = 0;
    const write = (op: MetadataWriteOperation): MetadataRecord[] => {
      const result = planWrite(leader, op, { nextOffset: offset, newTopicId, settings: { partitionsPerWriteMax: PARTITIONS_PER_TOPIC } });
      if (!result.ok) throw new Error(`${op.type}: ${result.message}`);
      for (const record of result.records) leader.apply(record);
      offset += result.records.length;
      return result.records;
    };

    // The log, encoded as the node would store it, one topic's records at a time.
    const log: Uint8Array[] = [];
    const topics = Math.ceil(PARTITIONS / PARTITIONS_PER_TOPIC);
    timed('plan and encode the log', figures, () => {
      for (const brokerId of BROKERS) {
        for (const r of write({ type: 'registerBroker', brokerId, incarnationId: `i${brokerId}`, endpoints: PLAINTEXT })) log.push(encodeRecord(r));
        const epoch = leader.broker(brokerId)?.brokerEpoch ?? -1;
        for (const r of write({ type: 'brokerHeartbeat', brokerId, brokerEpoch: epoch })) log.push(encodeRecord(r));
      }
      for (let t = 0; t < topics; t++) {
        const numPartitions = Math.min(PARTITIONS_PER_TOPIC, PARTITIONS - t * PARTITIONS_PER_TOPIC);
        const records = write({ type: 'createTopic', name: `topic-${t}`, numPartitions, replicationFactor: 3, configs: { 'retention.ms': '60000' } });
        for (const r of records) log.push(encodeRecord(r));
      }
    });
    const logBytes = log.reduce((sum, bytes) => sum + bytes.length, 0);
    figures.push(`log: ${log.length.toLocaleString('en')} records, ${(logBytes / 2 ** 20).toFixed(0)} MiB encoded`);

    const memoryBeforeMiB = memoryUsedMiB();
    const restarted = timed('restart: decode and apply every record', figures, () => {
      const image = MetadataImage.empty();
      for (const bytes of log) image.apply(decodeRecord(bytes));
      return image;
    });
    const memoryAfterMiB = memoryUsedMiB();
    figures.push(
      `image memory: ${(memoryAfterMiB - memoryBeforeMiB).toFixed(1)} MiB (${(((memoryAfterMiB - memoryBeforeMiB) * 2 ** 20) / PARTITIONS).toFixed(1)} B/partition); ` +
        `partition tables ${(restarted.approximatePartitionBytes() / 2 ** 20).toFixed(1)} MiB; ${restarted.internedReplicaLists} interned replica lists`,
    );
    expect(restarted.partitionCount).toBe(PARTITIONS);
    expect(restarted.topicCount).toBe(topics);

    const snapshotLength = timed('snapshot: generate every record', figures, () => {
      let n = 0;
      for (const _record of snapshotRecords(restarted)) n++;
      return n;
    });
    expect(snapshotLength).toBe(BROKERS.length + topics * 2 + PARTITIONS);
    const digest = timed('imageDigest (snapshot encoded and hashed)', figures, () => imageDigest(restarted));
    expect(digest).toBe(imageDigest(leader));

    const latest = timed('rebuildLatest (clone, no uncommitted records)', figures, () => rebuildLatest(restarted, []));
    timed('first write to a cloned 10,000-partition topic (copy-on-write)', figures, () =>
      latest.apply({ type: 'PartitionChange', topicId: latest.topic('topic-0')?.topicId ?? '', partitionId: 0, isr: null, leader: null }),
    );
    const fence = timed('plan fencing broker 1 (scan and partition changes)', figures, () =>
      planWrite(latest, { type: 'fenceBroker', brokerId: 1 }, { nextOffset: offset, newTopicId }),
    );
    expect(fence.ok).toBe(true);
    figures.push(`fencing broker 1 writes ${(fence.ok ? fence.records.length : 0).toLocaleString('en')} records`);

    console.log(`metadata image, ${PARTITIONS.toLocaleString('en')} partitions:\n  ${figures.join('\n  ')}`);
  });
});
