/**
 * `npm run bench:checker`: the linearizability checker on every corpus, beside Porcupine's times
 * measured on this machine kind (the shared corpora's anchors/ and ANCHOR-TIMINGS.md), or just
 * before in the same session (`--porcupine`, below).
 *
 * Per history: calls, verdict (and whether it is the expected one), time in ms (median of a few
 * runs, after a warm-up pass over the whole corpus — see warmUpCorpus — and a warm-up run of the
 * history itself; one run when a run takes over a second), peak heap the search added
 * (MiB, sampled), and Porcupine's time. Per corpus: totals, Porcupine's total and the ratio
 * (ours / Porcupine's: below 1 is faster). Everything goes through the public `checkHistory`.
 *
 * Options: `--only etcd,knossos,kv,kv-no-partition,registers,topics` (default all),
 * `--time-limit-ms N` (default 30000), `--verbose` (every history, not only the slowest per
 * corpus), `--porcupine FILE`: Porcupine's times measured just before on this machine, lines
 * `corpus,file,verdict,median_ms` (corpus etcd, kv or registers; other lines are ignored), used
 * instead of the stored anchors, so that the ratios compare two runs made back to back. Lines
 * `cpu-corpus,file,verdict,median_ms` give its CPU time (all threads) per history: on a machine
 * shared with other work, CPU time varies far less than elapsed time, so the benchmark also
 * measures its own (process.cpuUsage, all threads) and prints both ratios.
 * `test/bench/checker-porcupine/run.sh PORCUPINE_CHECKOUT FILE` writes such a file (it needs Go
 * and a Porcupine checkout). The register corpus's Porcupine times are also stored beside this
 * file (checker-porcupine/registers-times.csv), used when --porcupine has none.
 *
 * The shared corpora are found by test/support/corpora-dir.ts; where they are missing (a user's
 * machine without them), their corpora are skipped with a message and the generated ones still
 * run.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHistory, type CheckReport } from '../../src/checker/check.js';
import type { Call, Model } from '../../src/checker/model.js';
import { modelByName } from '../../src/checker/models/index.js';
import { pairCalls } from '../../src/history/calls.js';
import { loadHistory } from '../../src/history/load.js';
import { generateTopicHistory } from '../support/generate-topic-history.js';
import { generateRegisterHistory } from '../support/generate-register-history.js';
import { CORPORA_DIR } from '../support/corpora-dir.js';
import { GENERATED_REGISTER_CASES } from './checker-registers.js';

const ANCHORS_DIR = join(CORPORA_DIR, 'anchors');
const SLOW_RUN_MS = 1000;
const WARM_UP_PASSES_MAX = 30;
/** CPU time the warm-up of a corpus may take, and elapsed time as a cap under heavy load. */
const WARM_UP_MS_MAX = 3000;
const WARM_UP_ELAPSED_MS_MAX = 30_000;
const RUNS_MAX = 15;
const SLOWEST_SHOWN = 5;

interface Case {
  name: string;
  model: () => Model<unknown>;
  calls: () => Promise<Call[]>;
  expected: 'valid' | 'invalid' | undefined;
  /** Porcupine's median ms, where measured. */
  anchorMs: number | undefined;
  /** What the anchor was (e.g. Porcupine's verdict when it is not the expected one). */
  anchorNote?: string;
}

interface Corpus {
  name: string;
  cases: Case[];
  /** The target from the brief, in words. */
  target: string;
  /** The corpus's name in the --porcupine file, where it has one. */
  porcupineKey?: string;
}

interface Measured {
  name: string;
  calls: number;
  verdict: string;
  expected: string | undefined;
  medianMs: number;
  /** CPU time of the process (all threads), median over the same runs. */
  cpuMs: number;
  anchorCpuMs: number | undefined;
  peakHeapMiB: number;
  statesExplored: number;
  anchorMs: number | undefined;
  cause?: string;
}

const argv = process.argv.slice(2);
const only = optionValue('--only')?.split(',');
const timeLimitMs = Number(optionValue('--time-limit-ms') ?? 30_000);
const verbose = argv.includes('--verbose');
/**
 * Porcupine's times on the register corpus, measured on this machine kind and kept beside the
 * benchmark (checker-porcupine/registers-times.csv, made by checker-porcupine/run.sh): the shared
 * corpora have no anchor for it. A --porcupine file measured just before replaces them.
 */
const STORED_REGISTER_TIMES = fileURLToPath(new URL('./checker-porcupine/registers-times.csv', import.meta.url));
const measuredPorcupine = readMeasuredPorcupine(optionValue('--porcupine'), STORED_REGISTER_TIMES);

function optionValue(name: string): string | undefined {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
}

/** Rows of a CSV with a header, as objects (no quoted commas in these files). */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(ANCHORS_DIR, file), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));
}

/**
 * Porcupine's times by corpus and file name: the stored register times, then `--porcupine FILE`,
 * whose corpora replace the stored ones.
 */
function readMeasuredPorcupine(file: string | undefined, stored: string): Map<string, Map<string, number>> {
  const byCorpus = existsSync(stored) ? readPorcupineTimes(stored) : new Map<string, Map<string, number>>();
  if (file === undefined) return byCorpus;
  const measured = readPorcupineTimes(file);
  if (measured.size === 0) throw new Error(`--porcupine ${file}: no line of the form corpus,file,verdict,median_ms`);
  for (const [corpus, times] of measured) byCorpus.set(corpus, times);
  return byCorpus;
}

function readPorcupineTimes(file: string): Map<string, Map<string, number>> {
  const byCorpus = new Map<string, Map<string, number>>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^((?:cpu-)?(?:etcd|kv|registers)),([^,]+),(valid|invalid|unknown),([\d.]+)$/.exec(line.trim());
    if (match === null) continue;
    const [, corpus, name, , ms] = match as unknown as [string, string, string, string, string];
    if (!byCorpus.has(corpus)) byCorpus.set(corpus, new Map());
    byCorpus.get(corpus)!.set(name, Number(ms));
  }
  return byCorpus;
}

/** Porcupine's time for a history: measured in this run's --porcupine file, else the stored anchor. */
function porcupineMs(corpus: string, name: string, stored: number | undefined): number | undefined {
  const measured = measuredPorcupine.get(corpus);
  if (measured === undefined) return stored;
  return measured.get(name) ?? measured.get(`${name}.jsonl`) ?? measured.get(name.split('/').pop()!);
}

/** Porcupine's CPU time for a history, from the --porcupine file only. */
function porcupineCpuMs(corpus: string | undefined, name: string): number | undefined {
  return corpus === undefined || !measuredPorcupine.has(`cpu-${corpus}`) ? undefined : porcupineMs(`cpu-${corpus}`, name, undefined);
}

function verdictOf(porcupine: string): 'valid' | 'invalid' | undefined {
  if (porcupine === 'Ok') return 'valid';
  if (porcupine === 'Illegal') return 'invalid';
  return undefined;
}

function filesUnder(dir: string, suffix: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path, suffix));
    else if (name.endsWith(suffix)) found.push(path);
  }
  return found;
}

const loadCalls = (path: string) => async (): Promise<Call[]> => pairCalls((await loadHistory(path)).operations);

function etcdCorpus(): Corpus {
  const anchors = new Map(readCsv('porcupine-etcd-gomaxprocs1.csv').map((row) => [row['file']!, row]));
  const dir = join(CORPORA_DIR, 'porcupine/test_data/jepsen');
  const cases = filesUnder(dir, '.log').map((path): Case => {
    const file = relative(dir, path);
    const anchor = anchors.get(file);
    return {
      name: file, model: () => modelByName('etcd'), calls: loadCalls(path),
      expected: verdictOf(anchor?.['expected'] ?? ''),
      anchorMs: porcupineMs('etcd', file, anchor ? Number(anchor['median_ms']) : undefined),
    };
  });
  return { name: 'etcd (porcupine/test_data/jepsen)', cases, target: 'total and worst below Porcupine\'s', porcupineKey: 'etcd' };
}

function knossosCorpus(): Corpus {
  const anchors = new Map(readCsv('porcupine-on-knossos-corpus-gomaxprocs1.csv').map((row) => [row['file']!, row]));
  const dir = join(CORPORA_DIR, 'knossos');
  const cases = filesUnder(join(dir, 'data'), '.edn').map((path): Case => {
    const file = relative(dir, path);
    const anchor = anchors.get(file);
    const family = file.split('/')[1]!;
    const model = family === 'multi-register'
      ? () => modelByName('multi-register', { initial: { x: 0, y: 0 } })
      : family === 'mutex' ? () => modelByName('mutex') : () => modelByName('cas-register', { initial: 0 });
    return {
      name: file, model, calls: loadCalls(path),
      expected: file.includes('/bad/') ? 'invalid' : 'valid', anchorMs: anchor ? Number(anchor['median_ms']) : undefined,
    };
  });
  return { name: 'knossos (knossos/data)', cases, target: 'total ≤ 18.7 ms, worst ≤ 3.29 ms' };
}

function kvCorpus(modelName: 'kv' | 'kv-no-partition'): Corpus {
  const porcupineModel = modelName === 'kv' ? 'kvModel(partitioned by key)' : 'kvNoPartitionModel';
  const rows = [...readCsv('porcupine-kv-gomaxprocs1.csv'), ...readCsv('porcupine-kv-c50-nopartition-gomaxprocs1.csv')];
  const anchors = new Map(rows.filter((row) => row['model'] === porcupineModel).map((row) => [row['file']!, row]));
  const dir = join(CORPORA_DIR, 'porcupine/test_data/kv');
  const cases = filesUnder(dir, '.txt').map((path): Case => {
    const file = relative(dir, path);
    const anchor = anchors.get(file);
    return {
      name: file, model: () => modelByName(modelName), calls: loadCalls(path),
      expected: file.includes('-bad') ? 'invalid' : 'valid',
      anchorMs: modelName === 'kv' ? porcupineMs('kv', file, anchor ? Number(anchor['median_ms']) : undefined)
        : anchor ? Number(anchor['median_ms']) : undefined,
      anchorNote: anchor && anchor['verdict'] !== anchor['expected'] ? `Porcupine: ${anchor['verdict']}` : undefined,
    };
  });
  const target = modelName === 'kv'
    ? 'total and worst below Porcupine\'s'
    : 'c10 ≤ 2.5 s; c50 decided in < 30 s (Porcupine gives up)';
  return { name: `${modelName} (porcupine/test_data/kv)`, cases, target, ...(modelName === 'kv' ? { porcupineKey: 'kv' } : {}) };
}

function topicsCorpus(): Corpus {
  const generated = (corruptRead: boolean): Case => ({
    name: `generated 100000 calls, 10 clients, seed 1${corruptRead ? ', one read corrupted' : ''}`,
    model: () => modelByName('topics'),
    calls: () => Promise.resolve(generateTopicHistory({ seed: 1, calls: 100_000, clients: 10, corruptRead }).calls),
    expected: corruptRead ? 'invalid' : 'valid', anchorMs: undefined,
  });
  return { name: 'topics (generated)', cases: [generated(false), generated(true)], target: '< 10 s' };
}

/**
 * Register histories from etcd under partitions (3 keys, about 3,000 calls per key, unique
 * values, 1-3 % timed out): those recorded from a real cluster (fixtures/etcd-register, expected
 * verdicts from its verdicts.json, where an undecided linearizable-read history is expected
 * valid), and generated ones of the same shape from a seed: valid, and the same with one stale
 * read (what a serializable read from a lagging node gives), which are invalid.
 */
function registersCorpus(): Corpus {
  const recordedDir = fileURLToPath(new URL('../../fixtures/etcd-register/', import.meta.url));
  const verdicts = JSON.parse(readFileSync(join(recordedDir, 'verdicts.json'), 'utf8')) as Record<string, { verdict: string; reads: string }>;
  const recorded = Object.entries(verdicts).sort(([a], [b]) => a.localeCompare(b)).map(([file, { verdict, reads }]): Case => ({
    name: file, model: () => modelByName('etcd-keyed'), calls: loadCalls(join(recordedDir, file)),
    expected: verdict === 'valid' || verdict === 'invalid' ? verdict : reads === 'linearizable' ? 'valid' : undefined,
    anchorMs: porcupineMs('registers', file, undefined),
  }));
  const generated = GENERATED_REGISTER_CASES.map(({ name, seed, staleReads }): Case => ({
    name, model: () => modelByName('etcd-keyed'),
    calls: () => Promise.resolve(generateRegisterHistory({ seed, staleReads }).calls),
    expected: staleReads > 0 ? 'invalid' : 'valid', anchorMs: undefined,
  }));
  const cases = [...recorded, ...generated];
  for (const kase of cases) kase.anchorMs = porcupineMs('registers', kase.name, undefined);
  return {
    name: 'registers (etcd-keyed)', cases, target: 'below Porcupine\'s time per history (about 30 ms for a valid one)', porcupineKey: 'registers',
  };
}

async function measure(kase: Case, porcupineKey: string | undefined): Promise<Measured> {
  const calls = await kase.calls();
  const model = kase.model();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let peakHeapMiB = 0;
  let last: CheckReport | undefined;
  let lastCpuMs = 0;
  const run = async (): Promise<number> => {
    const startMs = performance.now();
    const startCpu = process.cpuUsage();
    last = await checkHistory(calls, model, { timeLimitMs });
    const cpu = process.cpuUsage(startCpu);
    lastCpuMs = (cpu.user + cpu.system) / 1000;
    const elapsedMs = performance.now() - startMs;
    peakHeapMiB = Math.max(peakHeapMiB, last.peakHeapMiB);
    return elapsedMs;
  };
  const warmUpMs = await run();
  if (warmUpMs > SLOW_RUN_MS) {
    times.push(warmUpMs > timeLimitMs / 2 ? warmUpMs : await run());
    cpuTimes.push(lastCpuMs);
  } else {
    let spentMs = 0;
    while (times.length < RUNS_MAX && (times.length < 3 || spentMs < 300)) {
      const ms = await run();
      times.push(ms);
      cpuTimes.push(lastCpuMs);
      spentMs += ms;
    }
  }
  return {
    name: kase.name, calls: calls.length, verdict: last!.verdict, expected: kase.expected,
    medianMs: median(times), cpuMs: median(cpuTimes), anchorCpuMs: porcupineCpuMs(porcupineKey, kase.name),
    peakHeapMiB, statesExplored: last!.statesExplored, anchorMs: kase.anchorMs,
    ...(last!.cause !== undefined ? { cause: last!.cause } : {}),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function row(m: Measured): string {
  const mark = m.expected === undefined ? '' : m.verdict === m.expected ? '' : `  ✗ expected ${m.expected}`;
  const anchor = (m.anchorMs === undefined ? '' : `  porcupine ${m.anchorMs.toFixed(2)} ms`) +
    (m.anchorCpuMs === undefined ? '' : `  cpu ${m.cpuMs.toFixed(2)} ms, porcupine's ${m.anchorCpuMs.toFixed(2)} ms`);
  const cause = m.cause ? `  (${m.cause})` : '';
  return `  ${m.name.padEnd(52)} ${String(m.calls).padStart(6)} calls  ${m.verdict.padEnd(7)} ` +
    `${m.medianMs.toFixed(2).padStart(9)} ms  heap ${m.peakHeapMiB.toFixed(1).padStart(6)} MiB  ` +
    `${String(m.statesExplored).padStart(8)} states${anchor}${mark}${cause}`;
}

/**
 * Runs the corpus's quick histories over and over before measuring, so each is measured with the
 * search compiled by V8's optimizing tiers, as a long quorumcheck run sees it. Porcupine's Go is
 * compiled ahead of time and needs no such pass; measuring our cold code beside it would compare
 * JIT warm-up, not the search. Slow histories (over a second) warm themselves and are skipped.
 * "Quick" and the warm-up's length are in CPU time (elapsed as a cap): on a shared machine
 * elapsed times swing several-fold, and under load a 10 ms history took over 100 ms elapsed, so
 * whole corpora went unwarmed.
 */
async function warmUpCorpus(corpus: Corpus): Promise<void> {
  const startedMs = performance.now();
  const startedCpu = process.cpuUsage();
  const cpuSpentMs = (since: NodeJS.CpuUsage): number => {
    const spent = process.cpuUsage(since);
    return (spent.user + spent.system) / 1000;
  };
  const quick: { calls: readonly Call[]; model: Model<unknown> }[] = [];
  for (const kase of corpus.cases) {
    const calls = await kase.calls();
    const model = kase.model();
    const runStartCpu = process.cpuUsage();
    await checkHistory(calls, model, { timeLimitMs });
    if (cpuSpentMs(runStartCpu) <= SLOW_RUN_MS / 10) quick.push({ calls, model });
  }
  let passes = 1;
  while (quick.length > 0 && passes < WARM_UP_PASSES_MAX && cpuSpentMs(startedCpu) < WARM_UP_MS_MAX &&
    performance.now() - startedMs < WARM_UP_ELAPSED_MS_MAX) {
    for (const { calls, model } of quick) await checkHistory(calls, model, { timeLimitMs });
    passes += 1;
  }
  console.log(`  warm-up: ${passes} pass(es) over its ${quick.length} quick histories in ${(performance.now() - startedMs).toFixed(0)} ms ` +
    `(${cpuSpentMs(startedCpu).toFixed(0)} ms of CPU)`);
}

async function benchCorpus(corpus: Corpus): Promise<void> {
  console.log(`\n== ${corpus.name}: ${corpus.cases.length} histories; target ${corpus.target}`);
  await warmUpCorpus(corpus);
  const measured: Measured[] = [];
  for (const kase of corpus.cases) {
    const m = await measure(kase, corpus.porcupineKey);
    measured.push(m);
    if (verbose || m.medianMs > SLOW_RUN_MS || (m.expected !== undefined && m.verdict !== m.expected)) console.log(row(m));
  }
  if (!verbose) {
    console.log(`  slowest ${Math.min(SLOWEST_SHOWN, measured.length)}:`);
    for (const m of [...measured].sort((a, b) => b.medianMs - a.medianMs).slice(0, SLOWEST_SHOWN)) console.log(row(m));
  }
  const totalMs = measured.reduce((sum, m) => sum + m.medianMs, 0);
  const anchored = measured.filter((m) => m.anchorMs !== undefined);
  const anchorTotalMs = anchored.reduce((sum, m) => sum + m.anchorMs!, 0);
  const wrong = measured.filter((m) => m.expected !== undefined && m.verdict !== m.expected).length;
  const worst = measured.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  const peak = Math.max(...measured.map((m) => m.peakHeapMiB));
  // The ratio over the histories Porcupine has a time for, and our worst time against Porcupine's.
  const anchoredTotalMs = anchored.reduce((sum, m) => sum + m.medianMs, 0);
  const ratio = anchored.length > 0 ? `  porcupine ${anchorTotalMs.toFixed(1)} ms  ratio ${(anchoredTotalMs / anchorTotalMs).toFixed(2)}` : '';
  const anchorWorstMs = Math.max(...anchored.map((m) => m.anchorMs!));
  const highest = anchored.length === 0 ? undefined : anchored.reduce((a, b) => (b.medianMs / b.anchorMs! > a.medianMs / a.anchorMs! ? b : a));
  const worstRatio = highest === undefined ? ''
    : ` (porcupine's worst ${anchorWorstMs.toFixed(2)} ms, ratio ${(worst.medianMs / anchorWorstMs).toFixed(2)}; ` +
      `highest ratio ${highest.name} ${(highest.medianMs / highest.anchorMs!).toFixed(2)})`;
  console.log(`  TOTAL ${totalMs.toFixed(1)} ms${ratio}  worst ${worst.name} ${worst.medianMs.toFixed(2)} ms${worstRatio}  ` +
    `peak heap ${peak.toFixed(1)} MiB  verdicts not as expected: ${wrong}  load ${loadAverage()}`);
  const withCpu = measured.filter((m) => m.anchorCpuMs !== undefined);
  if (withCpu.length > 0) {
    const cpuMs = withCpu.reduce((sum, m) => sum + m.cpuMs, 0);
    const anchorCpuMs = withCpu.reduce((sum, m) => sum + m.anchorCpuMs!, 0);
    const worstCpu = withCpu.reduce((a, b) => (b.cpuMs / b.anchorCpuMs! > a.cpuMs / a.anchorCpuMs! ? b : a));
    console.log(`  CPU ${cpuMs.toFixed(1)} ms  porcupine ${anchorCpuMs.toFixed(1)} ms  ratio ${(cpuMs / anchorCpuMs).toFixed(2)}  ` +
      `highest ratio ${worstCpu.name} ${(worstCpu.cpuMs / worstCpu.anchorCpuMs!).toFixed(2)}`);
  }
}

function loadAverage(): string {
  return loadavg().map((load) => load.toFixed(2)).join(' ');
}

/** Each corpus, and whether it needs the shared corpora (the others are generated here). */
const corpora: Record<string, { build: () => Corpus; shared: boolean }> = {
  etcd: { build: etcdCorpus, shared: true },
  knossos: { build: knossosCorpus, shared: true },
  kv: { build: () => kvCorpus('kv'), shared: true },
  'kv-no-partition': { build: () => kvCorpus('kv-no-partition'), shared: true },
  registers: { build: registersCorpus, shared: false },
  topics: { build: topicsCorpus, shared: false },
};
console.log(`checker benchmark: node ${process.version}, time limit ${timeLimitMs} ms per history, load ${loadAverage()}`);
for (const [name, corpus] of Object.entries(corpora)) {
  if (only !== undefined && !only.includes(name)) continue;
  if (corpus.shared && !existsSync(CORPORA_DIR)) {
    console.log(`\n== ${name}: skipped, the shared corpora are not at ${CORPORA_DIR} (set QUORUMCHECK_CORPORA to where they are)`);
    continue;
  }
  await benchCorpus(corpus.build());
}
console.log(`\nprocess max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
