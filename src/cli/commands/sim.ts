/**
 * `quorumcheck sim`: the simulator's older command line, kept for its users; a thin alias of
 * `quorumcheck run --env sim` (the same pipeline, run directories and exit codes). `--faults`
 * names both what the fault schedule injects (partition, crash = kill, pause, stop, clock) and
 * the simulator's conditions (loss, duplicate, reorder, torn-write).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { NEMESIS_KINDS, type NemesisKind } from '../../faults/schedule.js';
import { DEFAULT_RUNS_ROOT } from '../../history/run-directory-format.js';
import type { RunOptionsInput } from '../../run/options.js';
import { JOBS_MAX } from '../../run/sweep.js';
import { SEED_MAX } from '../../sim/random.js';
import { SIM_CONDITIONS, type SimCondition } from '../../sim/sim-cluster-config.js';
import { EXIT_USAGE, EXIT_VALID } from '../subcommands.js';
import { execute, integer, seconds, UsageError, type RunCommand } from './run.js';

/** Every name --faults takes: the schedule's kinds (crash is kill's old name) and the simulator's conditions. */
export const SIM_FAULT_NAMES = ['partition', 'crash', 'kill', 'pause', 'stop', 'clock', 'loss', 'duplicate', 'reorder', 'torn-write'] as const;

const USAGE = `usage: quorumcheck sim (--seed N | --seeds M [--base-seed B]) [options]
(the same as quorumcheck run --env sim; see quorumcheck run --help for every option)

  --seed N          one seed, its run directory written (replays exactly)
  --seeds M         M seeds: B, B+1, ... (B printed; random unless --base-seed)
  --base-seed B     the first seed of --seeds
  --nodes V         voters (default: 3 or 5, drawn from the seed)
  --faults LIST     comma-separated, or none (default: drawn from the seed):
                    ${SIM_FAULT_NAMES.join(', ')}
  --duration S      simulated seconds of faults before the recovery phase (default 20)
  --jobs J          worker threads for --seeds (default: the number of cores)
  --run-dir DIR     where runs go (default ${DEFAULT_RUNS_ROOT}/)
  --progress-ms T   a progress line at most every T wall ms during --seeds (default 5000)
  --check-time-limit S
                    wall seconds the linearizability check may take per seed (default 20)
Exit codes: 0 valid, 1 invalid, 2 unknown, 3 usage error.
`;

export async function main(args: string[]): Promise<number> {
  let command: RunCommand | 'help';
  try {
    command = parseSimArgs(args);
  } catch (error) {
    process.stderr.write(`quorumcheck sim: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (command === 'help') {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  return execute(command, `npx quorumcheck sim ${args.join(' ')}`.trim());
}

export function parseSimArgs(args: string[]): RunCommand | 'help' {
  let values;
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        seed: { type: 'string' }, seeds: { type: 'string' }, 'base-seed': { type: 'string' },
        nodes: { type: 'string' }, observers: { type: 'string' }, faults: { type: 'string' },
        duration: { type: 'string' }, jobs: { type: 'string' }, 'run-dir': { type: 'string' },
        'progress-ms': { type: 'string' }, 'check-time-limit': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  if ((values.seed === undefined) === (values.seeds === undefined)) throw new UsageError('give exactly one of --seed N or --seeds M');
  const input: RunOptionsInput = { env: 'sim' };
  if (values.nodes !== undefined) input.nodes = integer('--nodes', values.nodes, 1, 9);
  if (values.observers !== undefined && integer('--observers', values.observers, 0, 4) > 0) {
    throw new UsageError('observers are the brokers of an isolated cluster now: use quorumcheck run --env sim --roles isolated');
  }
  if (values.faults !== undefined) Object.assign(input, parseFaults(values.faults));
  if (values.duration !== undefined) input.timeLimitMs = seconds('--duration', values.duration, 3600);
  if (values['check-time-limit'] !== undefined) input.checkTimeLimitMs = seconds('--check-time-limit', values['check-time-limit'], 86_400);
  return {
    input,
    seed: values.seed === undefined ? null : integer('--seed', values.seed, 0, SEED_MAX),
    seeds: values.seeds === undefined ? null : integer('--seeds', values.seeds, 1, 10_000_000),
    baseSeed: values['base-seed'] === undefined ? null : integer('--base-seed', values['base-seed'], 0, SEED_MAX),
    shard: null,
    jobs: values.jobs === undefined ? Math.min(availableParallelism(), JOBS_MAX) : integer('--jobs', values.jobs, 1, JOBS_MAX),
    runsRoot: values['run-dir'] ?? DEFAULT_RUNS_ROOT,
    json: false,
    quiet: false,
    ...(values['progress-ms'] === undefined ? {} : { progressMs: integer('--progress-ms', values['progress-ms'], 0, 3_600_000) }),
  };
}

/** `--faults`: the schedule's kinds and the simulator's conditions, both pinned. */
export function parseFaults(text: string): { nemesis: NemesisKind[]; conditions: SimCondition[] } {
  const names = text.trim() === 'none' ? [] : text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const nemesis = new Set<NemesisKind>();
  const conditions = new Set<SimCondition>();
  for (const name of names) {
    if (name === 'crash') nemesis.add('kill');
    else if ((NEMESIS_KINDS as readonly string[]).includes(name) && name !== 'loss') nemesis.add(name as NemesisKind);
    else if ((SIM_CONDITIONS as readonly string[]).includes(name)) conditions.add(name as SimCondition);
    else throw new UsageError(`unknown fault kind '${name}' (known: ${SIM_FAULT_NAMES.join(', ')}, or none)`);
  }
  return { nemesis: [...nemesis], conditions: [...conditions] };
}
