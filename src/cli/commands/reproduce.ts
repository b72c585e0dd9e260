/**
 * `quorumcheck reproduce RUN_DIR`: runs a recorded run again from its run directory: the same
 * options, seed and fault schedule (schedule.json), written to a new run directory. In the
 * simulator the reproduction is exact, and the command says whether the history came out
 * byte-identical; against containers it is the same schedule, workload and seed on a fresh
 * cluster (timing differs, so the history does).
 *
 * Exit codes: the reproduction's verdict (0 valid, 1 invalid, 2 unknown); 3 when the directory
 * cannot be read or the run cannot be set up.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseFaultSchedule, type FaultSchedule } from '../../faults/schedule.js';
import { formatJsonLines } from '../../history/jsonl.js';
import { DEFAULT_RUNS_ROOT, readRunDirectory, RUN_FILES } from '../../history/run-directory-format.js';
import { inputFromRecorded, resolveRunOptions } from '../../run/options.js';
import { runOnce } from '../../run/run-once.js';
import { WorldSetupError } from '../../run/world.js';
import { describeRun, exitCodeOf, runProgressSink } from '../run-output.js';
import { EXIT_USAGE, EXIT_VALID } from '../subcommands.js';
import { chooseRunSystem, UsageError, worldMaker } from './run.js';

const USAGE = `usage: quorumcheck reproduce RUN_DIR [--runs-dir DIR] [--json] [--quiet]

Runs the run recorded in RUN_DIR again (same options, seed and fault schedule) into a new run
directory. In the simulator it is exact (the history is compared byte for byte); with Docker it is
the same schedule, workload and seed against a fresh cluster.
Exit codes: 0 valid, 1 invalid, 2 unknown, 3 unreadable directory or set-up error.
`;

export async function main(args: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: { 'runs-dir': { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    process.stderr.write(`quorumcheck reproduce: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`quorumcheck reproduce: expected exactly one RUN_DIR, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const directory = positionals[0]!;
  try {
    const recorded = await readRunDirectory(directory);
    if (recorded.results === null) {
      throw new RangeError(`${directory} has no readable results.json, so its options are unknown (${recorded.missing.join('; ')})`);
    }
    const input = inputFromRecorded(recorded.results.options);
    // A run of a chosen system (--system, --version, --read-mode) starts that system again.
    const systemChoice = recorded.results.systemChoice ?? null;
    const chosen = systemChoice === null ? null : await chooseRunSystem(systemChoice, input);
    const options = resolveRunOptions(input, recorded.results.seed);
    let schedule: FaultSchedule | undefined;
    if (recorded.schedule !== null) schedule = parseFaultSchedule(recorded.schedule);
    const report = await runOnce({
      options, makeWorld: await worldMaker(options.env, chosen?.system), sink: runProgressSink(process.stderr, values.quiet === true),
      runsRoot: values['runs-dir'] ?? DEFAULT_RUNS_ROOT, writeDirectory: 'always', ...(schedule === undefined ? {} : { schedule }),
      systemChoice,
    });
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(report.results, null, 2)}\n`);
    } else {
      process.stdout.write(describeRun(report));
      process.stdout.write(`  reproduces: ${directory}${schedule === undefined ? ' (its schedule.json was missing: the seed\'s schedule was played)' : ''}\n`);
      if (options.env === 'sim') process.stdout.write(`  ${await compareHistories(join(directory, RUN_FILES.history), formatJsonLines(report.record.history))}\n`);
    }
    return exitCodeOf(report.verdict);
  } catch (error) {
    if (error instanceof RangeError || error instanceof WorldSetupError || error instanceof UsageError ||
      (error as Error).message.startsWith('cannot read run directory')) {
      process.stderr.write(`quorumcheck reproduce: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** Whether the reproduction's history is the recorded one, byte for byte, or where they part. */
async function compareHistories(recordedPath: string, reproduced: string): Promise<string> {
  const recorded = await readFile(recordedPath, 'utf8').catch(() => null);
  if (recorded === null) return 'the recorded history.jsonl is missing: nothing to compare';
  if (recorded === reproduced) return `history identical to the recorded run (${reproduced.split('\n').length - 1} operations, byte for byte)`;
  const a = recorded.split('\n');
  const b = reproduced.split('\n');
  let line = 0;
  while (line < a.length && a[line] === b[line]) line += 1;
  return `history DIFFERS from the recorded run from line ${line + 1} (a different quorumcheck version, or a determinism bug)`;
}
