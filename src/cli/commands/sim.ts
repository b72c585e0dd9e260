/**
 * `quorumcheck sim`: run seeds of the deterministic simulator. `--seed N` replays one run exactly;
 * `--seeds M` runs M seeds from a base seed (printed, so the batch can be rerun) and prints which
 * failed and how to replay each. Exit code: 0 every run valid, 1 any invalid, 2 any unknown (or a
 * usage error).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { parseFaultList, FAULT_KINDS, type SimRunOptions } from '../../sim/run-config.js';
import { SEED_MAX } from '../../sim/random.js';
import { runSeeds, JOBS_MAX } from '../../sim/seed-batch.js';
import { runSeedSummary, type SeedSummary } from '../../sim/seed-summary.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';

const USAGE = `usage: quorumcheck sim (--seed N | --seeds M [--base-seed B]) [options]

  --seed N          replay one seed exactly (its run directory is written on failure, or with --run-dir)
  --seeds M         run M seeds: B, B+1, ... (B printed; random unless --base-seed)
  --base-seed B     the first seed of --seeds
  --nodes V         voters (default: 3 or 5, drawn from the seed)
  --observers K     observers (default: 0 to 2, drawn from the seed)
  --faults LIST     comma-separated fault kinds, or none (default: drawn from the seed)
                    kinds: ${FAULT_KINDS.join(', ')}
  --duration S      simulated seconds of the safety phase (default 20)
  --jobs J          worker threads for --seeds (default: the number of cores)
  --run-dir DIR     where run directories go (default runs/sim-<seed>-<timestamp>/)
  --progress-ms T   print progress to stderr at most every T wall ms (default 5000)
  --check-time-limit S
                    wall seconds the linearizability check may take per seed (default 20); past it
                    the seed is unknown
`;

export interface SimCommandOptions {
  seed?: number;
  seeds?: number;
  baseSeed?: number;
  runOptions: Omit<SimRunOptions, 'seed'>;
  jobs: number;
  runDirectory?: string;
  progressMs: number;
  linearizabilityTimeLimitMs?: number;
}

export async function main(args: string[]): Promise<number> {
  let options: SimCommandOptions;
  try {
    const parsed = parseSimArgs(args);
    if (parsed === 'help') {
      process.stdout.write(USAGE);
      return EXIT_VALID;
    }
    options = parsed;
  } catch (error) {
    process.stderr.write(`quorumcheck sim: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_UNKNOWN;
  }
  return options.seed !== undefined ? replayOne(options.seed, options) : runMany(options);
}

export function parseSimArgs(args: string[]): SimCommandOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      seed: { type: 'string' }, seeds: { type: 'string' }, 'base-seed': { type: 'string' },
      nodes: { type: 'string' }, observers: { type: 'string' }, faults: { type: 'string' },
      duration: { type: 'string' }, jobs: { type: 'string' }, 'run-dir': { type: 'string' },
      'progress-ms': { type: 'string' }, 'check-time-limit': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  if ((values.seed === undefined) === (values.seeds === undefined)) throw new Error('give exactly one of --seed N or --seeds M');
  const runOptions: Omit<SimRunOptions, 'seed'> = {};
  if (values.nodes !== undefined) runOptions.voters = integer('--nodes', values.nodes, 1, 9);
  if (values.observers !== undefined) runOptions.observers = integer('--observers', values.observers, 0, 4);
  if (values.faults !== undefined) runOptions.faults = parseFaultList(values.faults);
  if (values.duration !== undefined) {
    const seconds = Number(values.duration);
    if (!(seconds >= 0 && seconds <= 3600)) throw new Error(`--duration must be simulated seconds in [0, 3600], got '${values.duration}'`);
    runOptions.safetyPhaseMs = Math.round(seconds * 1000);
  }
  return {
    ...(values.seed === undefined ? {} : { seed: integer('--seed', values.seed, 0, SEED_MAX) }),
    ...(values.seeds === undefined ? {} : { seeds: integer('--seeds', values.seeds, 1, 10_000_000) }),
    ...(values['base-seed'] === undefined ? {} : { baseSeed: integer('--base-seed', values['base-seed'], 0, SEED_MAX) }),
    runOptions,
    jobs: values.jobs === undefined ? Math.min(availableParallelism(), JOBS_MAX) : integer('--jobs', values.jobs, 1, JOBS_MAX),
    ...(values['run-dir'] === undefined ? {} : { runDirectory: values['run-dir'] }),
    progressMs: values['progress-ms'] === undefined ? 5000 : integer('--progress-ms', values['progress-ms'], 0, 3_600_000),
    ...(values['check-time-limit'] === undefined ? {} : {
      linearizabilityTimeLimitMs: integer('--check-time-limit', values['check-time-limit'], 1, 86_400) * 1000,
    }),
  };
}

async function replayOne(seed: number, options: SimCommandOptions): Promise<number> {
  const summary = await runSeedSummary({
    options: { ...options.runOptions, seed },
    alwaysWriteRunDirectory: options.runDirectory !== undefined,
    progressMs: options.progressMs,
    ...(options.linearizabilityTimeLimitMs === undefined ? {} : { linearizabilityTimeLimitMs: options.linearizabilityTimeLimitMs }),
    ...(options.runDirectory === undefined ? {} : { runDirectory: options.runDirectory }),
  });
  process.stdout.write(describeSeed(summary));
  return exitCode([summary]);
}

export async function runMany(options: SimCommandOptions): Promise<number> {
  const count = options.seeds ?? 1;
  // A random base seed is the one use of wall-clock randomness here; it is printed, so the batch
  // can be run again exactly with --base-seed.
  const baseSeed = options.baseSeed ?? Math.floor(Math.random() * 2 ** 32);
  process.stdout.write(`running ${count} seeds from base seed ${baseSeed} on ${Math.min(options.jobs, count)} thread(s)\n`);
  const startedMs = performance.now();
  let done = 0;
  let failed = 0;
  let lastProgressMs = startedMs;
  const summaries = await runSeeds({
    baseSeed, count, jobs: options.jobs, runOptions: options.runOptions,
    ...(options.runDirectory === undefined ? {} : { runDirectoryRoot: options.runDirectory }),
    ...(options.linearizabilityTimeLimitMs === undefined ? {} : { linearizabilityTimeLimitMs: options.linearizabilityTimeLimitMs }),
    onSeedDone: (summary) => {
      done += 1;
      if (summary.verdict !== 'valid') {
        failed += 1;
        process.stderr.write(describeSeed(summary));
      }
      const nowMs = performance.now();
      if (nowMs - lastProgressMs >= options.progressMs || done === count) {
        lastProgressMs = nowMs;
        process.stderr.write(`progress: ${done}/${count} seeds, ${failed} not valid, ${((nowMs - startedMs) / 1000).toFixed(1)} s\n`);
      }
    },
  });
  process.stdout.write(describeBatch(summaries, baseSeed, performance.now() - startedMs));
  return exitCode(summaries);
}

export function describeSeed(summary: SeedSummary): string {
  const lines = [`seed ${summary.seed}: ${summary.verdict} (${summary.setup}; ${summary.operations} operations, ` +
    `${(summary.simulatedMs / 1000).toFixed(1)} simulated s in ${Math.round(summary.wallMs)} ms)`];
  for (const reason of summary.reasons) lines.push(`  ${reason.split('\n').join('\n  ')}`);
  for (const warning of summary.warnings) lines.push(`  warning: ${warning}`);
  if (summary.verdict !== 'valid') lines.push(`  reproduce with: ${summary.replay}`);
  if (summary.runDirectory !== null) lines.push(`  run directory: ${summary.runDirectory}`);
  return `${lines.join('\n')}\n`;
}

export function describeBatch(summaries: readonly SeedSummary[], baseSeed: number, wallMs: number): string {
  const byVerdict = (verdict: string): SeedSummary[] => summaries.filter((summary) => summary.verdict === verdict);
  const invalid = byVerdict('invalid');
  const unknown = byVerdict('unknown');
  const simulatedS = summaries.reduce((sum, summary) => sum + summary.simulatedMs, 0) / 1000;
  const lines = [
    `${summaries.length} seeds from base seed ${baseSeed}: ${byVerdict('valid').length} valid, ${invalid.length} invalid, ` +
      `${unknown.length} unknown`,
    `  ${simulatedS.toFixed(0)} simulated s in ${(wallMs / 1000).toFixed(1)} wall s ` +
      `(${(summaries.length / (wallMs / 60_000)).toFixed(0)} seeds/min)`,
  ];
  const warned = summaries.filter((summary) => summary.warnings.length > 0);
  if (warned.length > 0) {
    lines.push(`  ${warned.length} seeds had warnings, e.g. seed ${warned[0]?.seed}: ${warned[0]?.warnings[0]}`);
  }
  if (invalid.length > 0) lines.push(`  invalid seeds: ${invalid.map((summary) => summary.seed).join(' ')}`);
  for (const [kind, seeds] of groupByReason(invalid)) lines.push(`    ${kind}: ${seeds.join(' ')}`);
  if (unknown.length > 0) lines.push(`  unknown seeds: ${unknown.map((summary) => summary.seed).join(' ')}`);
  for (const summary of [...invalid, ...unknown].slice(0, 10)) lines.push(`  reproduce with: ${summary.replay}`);
  return `${lines.join('\n')}\n`;
}

/** Failing seeds grouped by the kind of their first reason, for triage. */
function groupByReason(summaries: readonly SeedSummary[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const summary of summaries) {
    const reason = summary.reasons[0] ?? 'no reason given';
    const kind = reasonKind(reason);
    groups.set(kind, [...(groups.get(kind) ?? []), summary.seed]);
  }
  return groups;
}

function reasonKind(reason: string): string {
  if (reason.startsWith('the run stopped on an exception: ')) {
    const message = reason.slice('the run stopped on an exception: '.length);
    return `exception (${message.split(/[:(]/)[message.startsWith('Error: ') ? 1 : 0]?.trim() ?? message})`;
  }
  return reason.split(/[:(]/)[0]?.trim() ?? reason;
}

function exitCode(summaries: readonly SeedSummary[]): number {
  if (summaries.some((summary) => summary.verdict === 'invalid')) return EXIT_INVALID;
  if (summaries.some((summary) => summary.verdict === 'unknown')) return EXIT_UNKNOWN;
  return EXIT_VALID;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be an integer in [${min}, ${max}], got '${text}'`);
  }
  return value;
}
