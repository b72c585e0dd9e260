/**
 * Records etcd register histories for fixtures/etcd-register/ (the checker's field corpus):
 * a 3-node etcd 3.4 cluster in containers, 3 keys, about 3,000 calls per key, unique values,
 * 18 clients each pinned to one node, one node isolated at a time (2 s of every 5 s), requests
 * timing out after 1.5 to 2 s (1-2 % of calls indeterminate, mostly writes and compare-and-sets).
 * Each history's verdict is judged here, key by key with the `etcd` register model, and written
 * to fixtures/etcd-register/verdicts.json.
 *
 *   nice -n 10 node --import tsx test/harness/etcd/record-register-fixtures.ts [--out DIR]
 *       [--only NAME]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDockerEngine } from '../../../src/harness/docker/index.js';
import { ensureEtcdImage } from '../../../src/harness/systems/etcd/etcd-image.js';
import { etcdSystem } from '../../../src/harness/systems/etcd/etcd-system.js';
import { startSystemCluster } from '../../../src/harness/systems/system-cluster.js';
import type { EtcdReadConsistency } from '../../../src/harness/systems/etcd/etcd-register-client.js';
import { checkHistory } from '../../../src/checker/check.js';
import { modelByName } from '../../../src/checker/models/index.js';
import { formatJsonLines } from '../../../src/history/jsonl.js';
import { recordRegisterHistory } from '../../support/etcd-register-recording.js';
import { keyedRegisterParts } from '../../support/keyed-register-parts.js';

interface Planned {
  name: string;
  reads: EtcdReadConsistency;
  seed: number;
  /** How long a client waits for an answer: a longer wait makes fewer calls indeterminate. */
  requestTimeoutMs: number;
}

const PLANNED: Planned[] = [
  { name: 'etcd-linearizable-1', reads: 'linearizable', seed: 111, requestTimeoutMs: 2000 },
  { name: 'etcd-linearizable-2', reads: 'linearizable', seed: 202, requestTimeoutMs: 2000 },
  { name: 'etcd-linearizable-3', reads: 'linearizable', seed: 303, requestTimeoutMs: 1500 },
  { name: 'etcd-serializable-1', reads: 'serializable', seed: 404, requestTimeoutMs: 2000 },
];
/** How long the checker may spend per key before the verdict is recorded as unknown. */
const checkTimeLimitMsPerKey = 120_000;

const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
const outDir = values.out ?? path.join(import.meta.dirname, '../../../fixtures/etcd-register');
await mkdir(outDir, { recursive: true });
await ensureDockerEngine({ log: console.log });
const image = await ensureEtcdImage({ log: console.log });
const verdictsPath = path.join(outDir, 'verdicts.json');
const verdicts = JSON.parse(await readFile(verdictsPath, 'utf8').catch(() => '{}')) as Record<string, unknown>;

for (const planned of PLANNED.filter((entry) => values.only === undefined || entry.name === values.only)) {
  const started = await startSystemCluster({
    system: etcdSystem({ reads: planned.reads }), topology: { voters: 3, roles: 'combined' }, image, log: console.log,
  });
  try {
    const loadBefore = os.loadavg()[0]!;
    const recording = await recordRegisterHistory({
      started, seed: planned.seed, keys: 3, callsPerKey: 3000,
      requestTimeoutMs: planned.requestTimeoutMs, nemesis: { healedMs: 3000, partitionMs: 2000 }, log: console.log,
    });
    const file = `${planned.name}.jsonl`;
    await writeFile(path.join(outDir, file), formatJsonLines(recording.operations));
    const perKey: Record<string, string> = {};
    for (const [key, part] of keyedRegisterParts(recording.operations)) {
      perKey[key] = (await checkHistory(part, modelByName('etcd'), { timeLimitMs: checkTimeLimitMsPerKey })).verdict;
    }
    const verdict = Object.values(perKey).includes('invalid') ? 'invalid'
      : Object.values(perKey).every((one) => one === 'valid') ? 'valid' : 'unknown';
    const calls = recording.counts.ok + recording.counts.fail + recording.counts.info;
    verdicts[file] = {
      verdict, perKey, reads: planned.reads, seed: planned.seed, requestTimeoutMs: planned.requestTimeoutMs,
      checkTimeLimitMsPerKey, calls,
      ok: recording.counts.ok, fail: recording.counts.fail, info: recording.counts.info,
      infoPercent: Number(((100 * recording.counts.info) / calls).toFixed(2)),
      wallMs: recording.wallMs, loadAverage: Number(loadBefore.toFixed(1)), recordedOn: new Date().toISOString().slice(0, 10),
    };
    console.log(file, JSON.stringify(verdicts[file]));
    await writeFile(verdictsPath, `${JSON.stringify(verdicts, null, 2)}\n`);
  } finally {
    await started[Symbol.asyncDispose]();
  }
}
