/**
 * Figures for the durable store, printed (never asserted): appends with fsync per batch, appends
 * without, and recovery time of the resulting log.
 *
 *   node --import tsx test/node/bench/metadata-store-bench.ts [entries]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetadataStore } from '../../../src/node/storage/metadata-store.js';
import { testEntries } from '../storage/log-entries.js';

const entryCount = Number(process.argv[2] ?? 2000);
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
