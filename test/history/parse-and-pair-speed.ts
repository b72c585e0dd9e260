/**
 * Parse-and-pair speed of the history readers, as figures (not a test: no timing assertions).
 * Run: `node --import tsx test/history/parse-and-pair-speed.ts`. Reads every corpus history
 * (QUORUMCHECK_CORPORA, default /work/shared/corpora) and a generated 200,000-operation JSON-lines
 * history, and prints the median of 7 runs (after 3 warm-up runs) of parse + validate + pair per set.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pairCalls } from '../../src/history/calls.js';
import { parseJepsenHistory } from '../../src/history/edn/jepsen-history.js';
import { formatJsonLines, parseJsonLines } from '../../src/history/jsonl.js';
import type { Operation } from '../../src/history/operation.js';
import { parsePorcupineEtcdLog } from '../../src/history/porcupine/etcd-log.js';
import { parsePorcupineKvLog } from '../../src/history/porcupine/kv-log.js';

const CORPORA_DIR = process.env['QUORUMCHECK_CORPORA'] ?? '/work/shared/corpora';
const RUNS = 7;
/** Runs first, unmeasured, so that the figures are of optimized code. */
const WARM_UP_RUNS = 3;

function filesUnder(directory: string, suffix: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return filesUnder(path, suffix);
    return name.endsWith(suffix) ? [path] : [];
  });
}

function measure(name: string, texts: string[], parse: (text: string) => Operation[]): void {
  const megabytes = texts.reduce((sum, text) => sum + text.length, 0) / 1e6;
  let operations = 0;
  const timesMs: number[] = [];
  for (let run = 0; run < WARM_UP_RUNS + RUNS; run++) {
    const startMs = performance.now();
    operations = 0;
    for (const text of texts) {
      const history = parse(text);
      operations += history.length;
      pairCalls(history);
    }
    if (run >= WARM_UP_RUNS) timesMs.push(performance.now() - startMs);
  }
  const medianMs = timesMs.sort((a, b) => a - b)[RUNS >> 1]!;
  console.log(`${name.padEnd(22)} ${String(texts.length).padStart(4)} files ${String(operations).padStart(7)} ops ` +
    `${megabytes.toFixed(2).padStart(6)} MB  median ${medianMs.toFixed(1).padStart(7)} ms  ${(operations / medianMs / 1000).toFixed(2)} M ops/s`);
}

function generatedHistory(operationCount: number): Operation[] {
  const ops: Operation[] = [];
  for (let i = 0; ops.length < operationCount; i++) {
    const process = i % 10;
    ops.push({ index: ops.length, type: 'invoke', process, f: 'create-topic', value: { name: `t${i % 50}`, partitions: 3 }, timeNs: ops.length });
    ops.push({ index: ops.length, type: 'ok', process, f: 'create-topic', value: { created: true }, timeNs: ops.length });
  }
  return ops;
}

const read = (paths: string[]): string[] => paths.map((path) => readFileSync(path, 'utf8'));
measure('knossos (EDN)', read(filesUnder(join(CORPORA_DIR, 'knossos/data'), '.edn')), parseJepsenHistory);
measure('porcupine etcd logs', read(filesUnder(join(CORPORA_DIR, 'porcupine/test_data/jepsen'), '.log')), parsePorcupineEtcdLog);
measure('porcupine kv logs', read(filesUnder(join(CORPORA_DIR, 'porcupine/test_data/kv'), '.txt')), parsePorcupineKvLog);
measure('JSON lines (generated)', [formatJsonLines(generatedHistory(200_000))], parseJsonLines);
