/**
 * Figures for the durable store, printed (never asserted): appends with fsync per batch, appends
 * without, and recovery time of the resulting log; then a snapshot of a million partitions written
 * in the background (file size, write time, longest event-loop slice, recovery time).
 *
 *   node --import tsx test/node/bench/metadata-store-bench.ts [entries] [snapshotPartitions]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetadataSnapshot, type MetadataRecord } from '../../../src/core/metadata/index.js';
import { MetadataStore } from '../../../src/node/storage/metadata-store.js';
import type { SnapshotWriteReport } from '../../../src/node/storage/snapshot-writer.js';
import { testEntries } from '../storage/log-entries.js';

const entryCount = Number(process.argv[2] ?? 2000);
const snapshotPartitions = Number(process.argv[3] ?? 1_000_000);
const batchSize = 10;

function run(label: string, mustSync: boolean): void {
  const dir = mkdtempSync(join(tmpdir(), 'quorumd-bench-'));
  try {
    const { store } = MetadataStore.open({ metadataLogDir: dir, clusterId: 'Bench', segmentBytes: 1024 * 1024, log: () => undefined });
    const startedNs = process.hrtime.bigint();
    for (let offset = 0; offset < entryCount; offset += batchSize) store.persist({ append: testEntries(offset, batchSize) }, mustSync);
    store.close();
    const appendMs = Number(process.hrtime.bigint() - startedNs) / 1e6;
    const recoverStartNs = process.hrtime.bigint();
    const { store: reopened, recovered } = MetadataStore.open({ metadataLogDir: dir, clusterId: 'Bench', segmentBytes: 1024 * 1024, log: () => undefined });
    reopened.close();
    const recoverMs = Number(process.hrtime.bigint() - recoverStartNs) / 1e6;
    if (recovered?.log.length !== entryCount) throw new Error(`recovered ${recovered?.log.length} of ${entryCount} entries`);
    console.log(`${label}: ${entryCount} entries in batches of ${batchSize}: ${appendMs.toFixed(0)} ms ` +
      `(${(entryCount / appendMs * 1000).toFixed(0)} entries/s, ${(appendMs / (entryCount / batchSize)).toFixed(2)} ms per batch); ` +
      `recovery ${recoverMs.toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run('fsync per batch', true);
run('no fsync', false);

/** 100 topics of snapshotPartitions / 100 partitions each, RF 3, as the server benchmark makes. */
function* benchRecords(): Generator<MetadataRecord> {
  const perTopic = Math.ceil(snapshotPartitions / 100);
  for (let t = 0; t < 100; t++) {
    const topicId = t.toString(16).padStart(32, '0');
    yield { type: 'Topic', name: `big-${t}`, topicId };
    for (let p = 0; p < perTopic; p++) {
      const leader = 1 + ((t + p) % 3);
      yield { type: 'Partition', topicId, partitionId: p, replicas: [leader, 1 + (leader % 3), 1 + ((leader + 1) % 3)], isr: [1, 2, 3], leader, leaderEpoch: 0, partitionEpoch: 0 };
    }
  }
}

/** A snapshot written in the background, as a node writes a local one: time, slices, size, recovery. */
async function snapshotBench(): Promise<void> {
  const state = MetadataSnapshot.fromRecords(benchRecords());
  const dir = mkdtempSync(join(tmpdir(), 'quorumd-bench-'));
  try {
    let report: SnapshotWriteReport | undefined;
    const { store } = MetadataStore.open({
      metadataLogDir: dir, clusterId: 'Bench', segmentBytes: 1024 * 1024, log: () => undefined, onSnapshotWritten: (r) => { report = r; },
    });
    store.persist({ append: testEntries(0, 1) }, true);
    store.persist({ snapshot: { endOffset: 1, lastEpoch: 1, state } }, true);
    await store.snapshotsSettled();
    store.close();
    if (report === undefined) throw new Error('the snapshot was not written');
    const readStartNs = process.hrtime.bigint();
    const { store: reopened, recovered } = MetadataStore.open({ metadataLogDir: dir, clusterId: 'Bench', segmentBytes: 1024 * 1024, log: () => undefined });
    reopened.close();
    const readMs = Number(process.hrtime.bigint() - readStartNs) / 1e6;
    if (recovered?.snapshot?.state.partitionCount !== state.partitionCount) throw new Error('the snapshot did not read back whole');
    const sizeMiB = report.bytes / 2 ** 20;
    console.log(`snapshot of ${state.partitionCount} partitions: ${sizeMiB.toFixed(1)} MiB (${(report.bytes / state.partitionCount).toFixed(1)} B/partition); ` +
      `background write ${report.durationMs.toFixed(0)} ms, longest slice ${report.longestSliceMs.toFixed(1)} ms, ` +
      `event loop delay max ${report.eventLoopDelayMaxMs.toFixed(1)} ms; recovery ${readMs.toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(1)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await snapshotBench();
