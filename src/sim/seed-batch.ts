/**
 * Many seeds: seeds baseSeed, baseSeed+1, ... run on `jobs` worker threads (or in this thread when
 * jobs is 1), each reported as it finishes. The summaries come back in seed order, so a batch's
 * report does not depend on which worker was faster.
 */
import { Worker } from 'node:worker_threads';
import type { SimRunOptions } from './run-config.js';
import { runSeedSummary, type SeedSummary, type SummaryRequest } from './seed-summary.js';

export interface BatchOptions {
  baseSeed: number;
  count: number;
  jobs: number;
  /** Everything but the seed, applied to every run. */
  runOptions: Omit<SimRunOptions, 'seed'>;
  /** Parent of the failing runs' directories; default runs/. */
  runDirectoryRoot?: string;
  linearizabilityTimeLimitMs?: number;
  onSeedDone?: (summary: SeedSummary) => void;
}

export const JOBS_MAX = 64;

export async function runSeeds(options: BatchOptions): Promise<SeedSummary[]> {
  if (!Number.isInteger(options.count) || options.count < 1) throw new RangeError(`seed count must be a positive integer, got ${options.count}`);
  if (!Number.isInteger(options.jobs) || options.jobs < 1 || options.jobs > JOBS_MAX) {
    throw new RangeError(`jobs must be an integer in [1, ${JOBS_MAX}], got ${options.jobs}`);
  }
  const requests = Array.from({ length: options.count }, (_, i) => request(options, options.baseSeed + i));
  const summaries = options.jobs === 1 || options.count === 1
    ? await runInThread(requests, options.onSeedDone)
    : await runOnWorkers(requests, Math.min(options.jobs, options.count), options.onSeedDone);
  return summaries.sort((a, b) => a.seed - b.seed);
}

function request(options: BatchOptions, seed: number): SummaryRequest {
  return {
    options: { ...options.runOptions, seed },
    alwaysWriteRunDirectory: false,
    ...(options.runDirectoryRoot === undefined ? {} : { runDirectory: `${options.runDirectoryRoot}/sim-${seed}` }),
    ...(options.linearizabilityTimeLimitMs === undefined ? {} : { linearizabilityTimeLimitMs: options.linearizabilityTimeLimitMs }),
  };
}

async function runInThread(requests: SummaryRequest[], onDone?: (summary: SeedSummary) => void): Promise<SeedSummary[]> {
  const summaries: SeedSummary[] = [];
  for (const next of requests) {
    const summary = await runSeedSummary(next);
    summaries.push(summary);
    onDone?.(summary);
  }
  return summaries;
}

/**
 * Built code runs seed-worker.js directly. From sources (tsx, vitest) the worker must first
 * register tsx's loader, since a worker thread does not inherit the main thread's loader hooks.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./seed-worker.js', import.meta.url));
  const entry = new URL('./seed-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}

async function runOnWorkers(requests: SummaryRequest[], jobs: number, onDone?: (summary: SeedSummary) => void): Promise<SeedSummary[]> {
  const queue = [...requests];
  const summaries: SeedSummary[] = [];
  const runWorker = (): Promise<void> => new Promise((resolve, reject) => {
    const worker = startWorker();
    const sendNext = (): void => {
      const next = queue.shift();
      if (next === undefined) {
        void worker.terminate().then(() => resolve());
        return;
      }
      worker.postMessage(next);
    };
    worker.on('message', (summary: SeedSummary) => {
      summaries.push(summary);
      onDone?.(summary);
      sendNext();
    });
    worker.on('error', reject);
    sendNext();
  });
  await Promise.all(Array.from({ length: jobs }, () => runWorker()));
  return summaries;
}
