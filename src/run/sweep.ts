/**
 * A sweep: many seeds of the simulator, run on `jobs` worker threads (or in this thread with 1),
 * each judged like any run. Only seeds that are not valid get a run directory, inside the sweep's
 * own directory (runs/<name>/<timestamp>/seed-<N>/), beside sweep.json, which lists every seed
 * that is not valid in full and the valid ones as ranges (sweep-tally.ts: a sweep of a million
 * seeds keeps about a byte per valid seed). Results come back in seed order, so a sweep's report
 * does not depend on which worker was faster.
 *
 * Sharding: `--shard i/n` runs the i-th of n interleaved slices of the seeds (seed k belongs to
 * shard (k mod n) + 1 counted from the base seed), so n machines sweep one range together and
 * every shard gets an even mix.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  createRunDirectory, linkLatest, RUN_DIRECTORY_FORMAT_VERSION, sweepSeedDirectory, writeSweepFile, type RunVerdict,
  type SweepResults, type SweepSeedEntry,
} from '../history/run-directory-format.js';
import { describeOptions, resolveRunOptions, rerunCommand, type RunOptionsInput } from './options.js';
import type { ProgressSink } from './progress.js';
import { SweepTally } from './sweep-tally.js';
import { quorumdVersion } from './system-version.js';
import { SIM_YOUNG_GENERATION_MIB } from './young-generation.js';

export interface Shard {
  index: number;
  count: number;
}

export const JOBS_MAX = 64;
export const SWEEP_SEEDS_MAX = 10_000_000;
/** How many seeds a time-boxed sweep lists (far more than a wall minute runs) and how many it checks first. */
export const TIME_BOXED_SEEDS = 1_000_000;
const TIME_BOXED_SEEDS_CHECKED = 1_000;

/** `i/n`, 1 <= i <= n. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new RangeError(`--shard wants i/n with 1 <= i <= n (e.g. 2/4), got '${text}'`);
  }
  return { index, count };
}

/** The seeds of `shard` among `count` seeds from `baseSeed`. */
export function shardSeeds(baseSeed: number, count: number, shard: Shard | null): number[] {
  const seeds: number[] = [];
  for (let offset = 0; offset < count; offset += 1) {
    if (shard === null || offset % shard.count === shard.index - 1) seeds.push(baseSeed + offset);
  }
  return seeds;
}

/** One seed of a sweep, as a worker reports it. */
export interface SeedOutcome {
  seed: number;
  verdict: RunVerdict;
  reasons: string[];
  /** Relative to the sweep directory, for seeds that are not valid. */
  runDirectory: string | null;
  rerun: string;
  /** What the seed drew, in words. */
  setup: string;
  wallMs: number;
  simulatedMs: number;
  operations: number;
  /** The rules the seed gave nothing to judge (Judgement.notJudged), by name: never counted valid. */
  notJudged: string[];
}

/** What a worker is asked to do: one seed. */
export interface SeedRequest {
  input: RunOptionsInput;
  seed: number;
  /** The sweep's directory: failing seeds write seed-<N>/ inside it. */
  sweepDirectory: string;
}

export interface SweepOptions {
  input: RunOptionsInput;
  /** The seeds, in order; with `wallLimitMs`, as many of them as fit in it from the first. */
  seeds: readonly number[];
  /**
   * Wall ms after which no further seed starts (those running finish); absent: every seed runs.
   * sweep.json lists the seeds that ran, so `--seeds <that many> --base-seed B` replays it.
   */
  wallLimitMs?: number;
  jobs: number;
  runsRoot: string;
  name: string;
  shard: Shard | null;
  /** The command line that ran the sweep, for sweep.json. */
  command: string;
  sink: ProgressSink;
}

export interface SweepReport {
  directory: string;
  sweep: SweepResults;
  /** The seeds that are not valid, in seed order (a valid seed's outcome is not kept). */
  notValid: SeedOutcome[];
  /** Simulated ms and client operations of every seed together. */
  simulatedMs: number;
  operations: number;
  wallMs: number;
}

export async function runSweep(options: SweepOptions): Promise<SweepReport> {
  if (options.seeds.length === 0) throw new RangeError('a sweep needs at least one seed (the shard may be empty: fewer seeds than shards)');
  if (!Number.isInteger(options.jobs) || options.jobs < 1 || options.jobs > JOBS_MAX) {
    throw new RangeError(`--jobs must be an integer in [1, ${JOBS_MAX}], got ${options.jobs}`);
  }
  if (options.wallLimitMs !== undefined && !(options.wallLimitMs > 0)) throw new RangeError(`a sweep's wall time must be positive, got ${options.wallLimitMs} ms`);
  // Every seed's options must resolve before anything starts: bad input is a usage error, not N
  // unknown seeds. A time-boxed sweep lists more seeds than it will run: its first ones stand for
  // the rest (a later seed whose options do not resolve is unknown, naming why).
  const checked = options.wallLimitMs === undefined ? options.seeds : options.seeds.slice(0, TIME_BOXED_SEEDS_CHECKED);
  for (const seed of checked) resolveRunOptions(options.input, seed);
  const startedAt = new Date();
  const startedMs = performance.now();
  const deadlineMs = options.wallLimitMs === undefined ? Infinity : startedMs + options.wallLimitMs;
  const directory = await createRunDirectory(options.runsRoot, options.name, startedAt);
  const queue = new SeedQueue(options.seeds, (seed) => ({ input: options.input, seed, sweepDirectory: directory }), deadlineMs);
  const tally = new SweepTally(options.seeds, options.shard?.count ?? 1);
  const onDone = (outcome: SeedOutcome): void => {
    tally.record(outcome);
    options.sink.emit({
      kind: 'seed', seed: outcome.seed, verdict: outcome.verdict, done: tally.done, total: queue.total, reasons: outcome.reasons,
      runDirectory: outcome.runDirectory === null ? null : join(directory, outcome.runDirectory),
    });
  };
  if (options.jobs === 1 || options.seeds.length === 1) await runInThread(queue, onDone);
  else await runOnWorkers(queue, Math.min(options.jobs, options.seeds.length), onDone);
  const endedAt = new Date();
  const counts = { ...tally.counts };
  const notValid = tally.notValidInOrder();
  const sweep: SweepResults = {
    formatVersion: RUN_DIRECTORY_FORMAT_VERSION,
    name: options.name,
    env: 'sim',
    system: 'quorumd',
    systemVersion: quorumdVersion(),
    seedCount: tally.done,
    seedStep: options.shard?.count ?? 1,
    seedRanges: tally.ranRanges(),
    shard: options.shard === null ? null : `${options.shard.index}/${options.shard.count}`,
    command: options.command,
    options: { ...options.input },
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    verdict: counts.invalid > 0 ? 'invalid' : counts.unknown > 0 ? 'unknown' : 'valid',
    counts,
    validSeedRanges: tally.validRanges(),
    notJudgedSeeds: { ...tally.notJudgedSeeds },
    results: notValid.map((outcome): SweepSeedEntry => ({
      seed: outcome.seed, verdict: outcome.verdict, reasons: outcome.reasons, runDirectory: outcome.runDirectory, rerun: outcome.rerun,
    })),
  };
  await writeSweepFile(directory, sweep);
  const linkError = await linkLatest(options.runsRoot, directory);
  if (linkError !== null) options.sink.emit({ kind: 'log', line: `${options.runsRoot}/latest not updated: ${linkError.message}` });
  return { directory, sweep, notValid, simulatedMs: tally.simulatedMs, operations: tally.operations, wallMs: performance.now() - startedMs };
}

/** One seed, judged; its run directory only if it is not valid. Shared by this thread and the workers. */
export async function runSweepSeed(request: SeedRequest): Promise<SeedOutcome> {
  // Loaded here, not at the top: a worker thread loads the simulator only when it runs a seed.
  const { runOnce } = await import('./run-once.js');
  const { simWorldMaker } = await import('./worlds/sim-world.js');
  const { SILENT } = await import('./progress.js');
  const options = resolveRunOptions(request.input, request.seed);
  const relative = sweepSeedDirectory(request.seed);
  const report = await runOnce({
    options, makeWorld: simWorldMaker(), sink: SILENT, runsRoot: request.sweepDirectory, writeDirectory: 'on-failure',
    directoryAt: join(request.sweepDirectory, relative), linkLatest: false,
  });
  return {
    seed: request.seed,
    verdict: report.verdict,
    reasons: report.judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`),
    runDirectory: report.directory === null ? null : relative,
    rerun: rerunCommand(options),
    setup: describeOptions(options),
    wallMs: report.wallMs,
    simulatedMs: Number(report.record.worldFigures.simulatedMs ?? report.record.runMs),
    operations: report.record.counts.operations,
    notJudged: (report.judgement.notJudged ?? []).map((entry) => entry.rule),
  };
}

/** A seed that could not be run at all is unknown, naming why; one broken seed never takes a sweep down. */
export function failedSeed(request: SeedRequest, error: unknown): SeedOutcome {
  let rerun = `npx quorumcheck run --env sim --seed ${request.seed}`;
  let setup = 'unknown';
  try {
    const options = resolveRunOptions(request.input, request.seed);
    rerun = rerunCommand(options);
    setup = describeOptions(options);
  } catch {
    // The options were checked before the sweep started; keep the plain line.
  }
  return {
    seed: request.seed, verdict: 'unknown', reasons: [`the seed could not be run: ${error instanceof Error ? error.stack ?? error.message : String(error)}`],
    runDirectory: null, rerun, setup, wallMs: 0, simulatedMs: 0, operations: 0, notJudged: [],
  };
}

/**
 * The seeds still to start, in order. Past the deadline none starts: the seeds taken so far are a
 * prefix of the list, so a time-boxed sweep replays as `--seeds <count> --base-seed B`.
 */
class SeedQueue {
  private next = 0;

  constructor(
    private readonly seeds: readonly number[], private readonly request: (seed: number) => SeedRequest, private readonly deadlineMs: number,
  ) {}

  /** Seeds the sweep will run at most: all of them, or those started once the deadline passed. */
  get total(): number {
    return this.next > 0 && performance.now() >= this.deadlineMs ? this.next : this.seeds.length;
  }

  take(): SeedRequest | undefined {
    // The first seed always runs: a sweep is never empty.
    if (this.next >= this.seeds.length || (this.next > 0 && performance.now() >= this.deadlineMs)) return undefined;
    return this.request(this.seeds[this.next++]!);
  }
}

async function runInThread(queue: SeedQueue, onDone: (outcome: SeedOutcome) => void): Promise<void> {
  for (let request = queue.take(); request !== undefined; request = queue.take()) {
    onDone(await runSweepSeed(request).catch((error: unknown) => failedSeed(request, error)));
  }
}

/**
 * Built code runs sweep-worker.js directly. From sources (tsx, vitest) the worker must first
 * register tsx's loader, since a worker thread does not inherit the main thread's loader hooks.
 */
function startWorker(): Worker {
  // The simulator's young generation (young-generation.ts), as the quorumcheck process has it.
  const resourceLimits = { maxYoungGenerationSizeMb: SIM_YOUNG_GENERATION_MIB };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sweep-worker.js', import.meta.url), { resourceLimits });
  const entry = new URL('./sweep-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}

async function runOnWorkers(queue: SeedQueue, jobs: number, onDone: (outcome: SeedOutcome) => void): Promise<void> {
  const runWorker = (): Promise<void> => new Promise((resolve, reject) => {
    const worker = startWorker();
    const sendNext = (): void => {
      const next = queue.take();
      if (next === undefined) {
        void worker.terminate().then(() => resolve());
        return;
      }
      worker.postMessage(next);
    };
    worker.on('message', (outcome: SeedOutcome) => {
      onDone(outcome);
      sendNext();
    });
    worker.on('error', reject);
    sendNext();
  });
  await Promise.all(Array.from({ length: jobs }, () => runWorker()));
}
