/**
 * `quorumcheck run`: the main job. Its default (and for now only) target is the embedded
 * simulator: a batch of seeds sized to finish in about a minute on a 2-core machine, with a
 * summary. `--target docker` (containers of quorumd) will join it.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { runMany } from './sim.js';

/** About a minute on 2 cores at ~4 seeds per core-second of the default scenario. */
export const DEFAULT_SEEDS = 200;

const USAGE = `usage: quorumcheck run [--target sim] [--seeds M] [--base-seed B] [--jobs J] [--run-dir DIR]

Runs the main job. Targets: sim (the deterministic simulator, default). docker is not available yet.
  --seeds M       seeds to run (default ${DEFAULT_SEEDS})
  --base-seed B   first seed (default random, printed)
  --jobs J        worker threads (default: the number of cores)
  --run-dir DIR   where failing runs' directories go (default runs/)
`;

export async function main(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args, strict: true,
      options: {
        target: { type: 'string' }, seeds: { type: 'string' }, 'base-seed': { type: 'string' },
        jobs: { type: 'string' }, 'run-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`quorumcheck run: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_UNKNOWN;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  const target = values.target ?? 'sim';
  if (target !== 'sim') {
    process.stderr.write(`quorumcheck run: target '${target}' is not available yet (available: sim)\n`);
    return EXIT_UNKNOWN;
  }
  const seeds = values.seeds === undefined ? DEFAULT_SEEDS : Number(values.seeds);
  const baseSeed = values['base-seed'] === undefined ? undefined : Number(values['base-seed']);
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  for (const [flag, value] of [['--seeds', seeds], ['--base-seed', baseSeed], ['--jobs', jobs]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < (flag === '--base-seed' ? 0 : 1))) {
      process.stderr.write(`quorumcheck run: ${flag} must be a positive integer, got '${String(value)}'\n`);
      return EXIT_UNKNOWN;
    }
  }
  return runMany({
    seeds, ...(baseSeed === undefined ? {} : { baseSeed }), runOptions: {}, jobs: Math.min(jobs, 64), progressMs: 5000,
    ...(values['run-dir'] === undefined ? {} : { runDirectory: values['run-dir'] }),
  });
}
