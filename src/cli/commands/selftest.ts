/**
 * `quorumcheck selftest`: the suite's mutation score. Every bug switch of quorumd runs through the
 * run pipeline until a behaviour check catches it (src/selftest). Argument parsing, progress and
 * the summary only.
 *
 * Exit codes: 0 every switch caught, 1 a switch missed, 3 usage or set-up error (no engine, ...).
 */
import { parseArgs } from 'node:util';
import { BUG_SWITCH_NAMES, type BugSwitch } from '../../core/bug-switches.js';
import { DEFAULT_RUNS_ROOT, type RunEnv } from '../../history/run-directory-format.js';
import { RUN_ENVS } from '../../run/options.js';
import { WorldSetupError } from '../../run/world.js';
import { SEED_MAX } from '../../sim/random.js';
import { switchesFor } from '../../selftest/scenarios.js';
import { runSelftest, type SelftestEvent, type SelftestReport, type SwitchResult } from '../../selftest/selftest.js';
import { describeCatch } from '../../selftest/verdicts.js';
import { EXIT_INVALID, EXIT_USAGE, EXIT_VALID } from '../subcommands.js';
import { integer, UsageError } from './run.js';

/** Seeds per switch at most in the simulator: every switch is caught well within this today. */
export const SIM_SEEDS_DEFAULT = 20;
/** Runs per switch at most against containers (each starts a cluster). */
export const DOCKER_SEEDS_DEFAULT = 2;
/** The first seed when none is given: the figures in the commit messages are for these seeds. */
export const BASE_SEED_DEFAULT = 1;

const USAGE = `usage: quorumcheck selftest [--env sim|docker] [--seeds N] [--base-seed B] [--switch NAME,...] [--json] [--quiet]
The suite's mutation score: runs quorumd with each of its bug switches (deliberate, realistic
bugs, refused without an unsafe flag) through the run pipeline, seed after seed, until a check
that judges behaviour catches it: an invariant on the node event logs, linearizability of the
client history, or liveness after the heal. A run that only stops on an assertion inside quorumd
is run again with its safety assertions off: the suite must catch the bug, not quorumd's own
tripwire. A seed that fails without the switch too is reported, not counted.
  --env E          sim (default: every switch) or docker (the switches with a container scenario:
                   ${switchesFor('docker').join(', ')})
  --seeds N        seeds (runs) per switch at most (sim default ${SIM_SEEDS_DEFAULT}, docker ${DOCKER_SEEDS_DEFAULT})
  --base-seed B    the first seed (default ${BASE_SEED_DEFAULT})
  --switch LIST    only these switches (known: ${BUG_SWITCH_NAMES.join(', ')})
  --runs-dir DIR   where a failing container run's directory goes (default ${DEFAULT_RUNS_ROOT}/)
  --json           print the report as JSON instead of the summary, and no progress
  --quiet          no progress lines
Exit codes: 0 every switch caught, 1 a switch missed, 3 usage or set-up error.
`;

interface SelftestCommand {
  env: RunEnv;
  seeds: number;
  baseSeed: number;
  switches: BugSwitch[];
  runsRoot: string;
  json: boolean;
  quiet: boolean;
}

export async function main(args: string[]): Promise<number> {
  let command: SelftestCommand | 'help';
  try {
    command = parseSelftestArgs(args);
  } catch (error) {
    process.stderr.write(`quorumcheck selftest: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (command === 'help') {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  const progress = command.quiet || command.json ? undefined : (event: SelftestEvent) => process.stderr.write(`${formatEvent(event)}\n`);
  let report: SelftestReport;
  try {
    if (progress !== undefined) {
      process.stderr.write(`selftest --env ${command.env}: ${command.switches.length} bug switches, up to ${command.seeds} seeds each from seed ${command.baseSeed}\n`);
    }
    report = await runSelftest({
      env: command.env, switches: command.switches, seeds: command.seeds, baseSeed: command.baseSeed, runsRoot: command.runsRoot,
      ...(progress === undefined ? {} : { onEvent: progress }),
    });
  } catch (error) {
    if (error instanceof WorldSetupError || error instanceof RangeError) {
      process.stderr.write(`quorumcheck selftest: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  process.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : describeSelftest(report));
  return report.caught === report.results.length ? EXIT_VALID : EXIT_INVALID;
}

export function parseSelftestArgs(args: string[]): SelftestCommand | 'help' {
  let values;
  try {
    values = parseArgs({
      args, strict: true,
      options: {
        env: { type: 'string' }, seeds: { type: 'string' }, 'base-seed': { type: 'string' }, switch: { type: 'string' },
        'runs-dir': { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  const env = (values.env ?? 'sim') as RunEnv;
  if (!(RUN_ENVS as readonly string[]).includes(env)) throw new UsageError(`--env must be sim or docker, got '${env}'`);
  const available = switchesFor(env);
  let switches = available;
  if (values.switch !== undefined) {
    switches = values.switch.split(',').map((name) => name.trim()).filter((name) => name !== '') as BugSwitch[];
    if (switches.length === 0) throw new UsageError('--switch needs at least one switch name');
    for (const name of switches) {
      if (!(BUG_SWITCH_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown bug switch '${name}' (known: ${BUG_SWITCH_NAMES.join(', ')})`);
      if (!available.includes(name)) throw new UsageError(`bug switch ${name} has no scenario against containers (--env docker runs: ${available.join(', ')})`);
    }
  }
  return {
    env, switches,
    seeds: values.seeds === undefined ? (env === 'sim' ? SIM_SEEDS_DEFAULT : DOCKER_SEEDS_DEFAULT) : integer('--seeds', values.seeds, 1, 100_000),
    baseSeed: values['base-seed'] === undefined ? BASE_SEED_DEFAULT : integer('--base-seed', values['base-seed'], 0, SEED_MAX),
    runsRoot: values['runs-dir'] ?? DEFAULT_RUNS_ROOT,
    json: values.json === true,
    quiet: values.quiet === true,
  };
}

function formatEvent(event: SelftestEvent): string {
  if (event.kind === 'switch') return `[${event.index}/${event.total}] ${event.name}: ${event.why}`;
  return `  seed ${event.seed} (${event.tried}): ${event.outcome} (${(event.wallMs / 1000).toFixed(1)} s)`;
}

/** The summary: one paragraph per switch, then the score. */
export function describeSelftest(report: SelftestReport): string {
  const lines = [`selftest --env ${report.env}, up to ${report.seedsPerSwitch} seeds per switch from seed ${report.baseSeed}:`];
  for (const result of report.results) lines.push(...describeResult(result));
  const percent = Math.round(report.mutationScore * 100);
  lines.push(`mutation score ${report.caught}/${report.results.length} (${percent} %); wall ${(report.wallMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}

function describeResult(result: SwitchResult): string[] {
  const cost = `${result.runs} runs, ${(result.wallMs / 1000).toFixed(1)} s`;
  const lines: string[] = [];
  if (!result.caught) {
    lines.push(`  ${result.name}: MISSED in ${result.seedsTried} seeds (${cost})`);
  } else {
    lines.push(`  ${result.name}: caught at seed ${result.seed}, the ${ordinal(result.seedsTried)} tried (${cost}), by ${describeCatch(result.caughtBy)}`);
    for (const entry of result.caughtBy) lines.push(`      ${entry.check}: ${entry.message.split('\n')[0]}`);
    if (result.assertionFirst !== null) lines.push(`      (an assertion in quorumd stopped the run first; caught as above with the safety assertions off: ${result.assertionFirst})`);
    if (result.rerun !== null) lines.push(`      again: ${result.rerun}`);
  }
  if (result.assertionOnly.length > 0) lines.push(`      seeds where only quorumd's own assertion fired: ${result.assertionOnly.join(', ')}`);
  for (const failing of result.failingWithout) {
    lines.push(`      seed ${failing.seed} fails without the switch too (a bug to look into): ${failing.reasons[0] ?? '?'}`);
  }
  return lines;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
