/**
 * `quorumcheck run`: the main job. Argument parsing and wiring only; the run is src/run/.
 *
 *  - `--env sim --seed N`: one simulated run, its full run directory written.
 *  - `--env sim` without a seed: a sweep of `--seeds` seeds (directories only for seeds that are
 *    not valid, plus the sweep's summary), sharded with `--shard i/n`; without `--seeds`, seeds
 *    for `--wall-time` (default a minute); `--nightly`, 100,000 seeds from a fresh random base.
 *  - `--env docker`: one run against a fresh cluster in containers (a random seed unless given).
 *
 * Exit codes: 0 valid, 1 invalid, 2 unknown, 3 usage or set-up error.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { PARTITION_SHAPES, isPartitionShape, type PartitionShape } from '../../faults/partition-shapes.js';
import { parseNemesisList } from '../../faults/schedule.js';
import { DEFAULT_RUNS_ROOT, type RunEnv } from '../../history/run-directory-format.js';
import {
  parseNodeConfigEntry, resolveRunOptions, RUN_ENVS, WATCH_AFTER_HEAL_MS_MAX, type RunOptions, type RunOptionsInput,
} from '../../run/options.js';
import { stableLeadershipWindowNote } from '../../run/recovery.js';
import { DOCKER_RESTART_ALLOWANCE_MS, WorldSetupError, type WorldFactory } from '../../run/world.js';
import { runOnce, type WorldMaker } from '../../run/run-once.js';
import { JOBS_MAX, parseShard, runSweep, shardSeeds, SWEEP_SEEDS_MAX, TIME_BOXED_SEEDS, type Shard } from '../../run/sweep.js';
import { simWorldMaker } from '../../run/worlds/sim-world.js';
import { SEED_MAX } from '../../sim/random.js';
import { parseConditionList } from '../../sim/sim-cluster-config.js';
import { describeRun, describeSweep, exitCodeOf, runProgressSink, sweepProgressSink } from '../run-output.js';
import { EXIT_USAGE, EXIT_VALID } from '../subcommands.js';
import type { ChosenSystem } from '../../harness/systems/system-choice.js';
import type { SystemAdapter } from '../../harness/systems/system-adapter.js';

/**
 * A sweep without --seeds runs seeds for this long (wall time), from a random base seed: how many
 * fit depends on the machine (about 600 of the default seeds on 2 cores shared by 8 sessions, far
 * more on idle ones), so the default is a time, and the sweep prints the count that replays it.
 */
export const DEFAULT_SWEEP_WALL_S = 60;
/** --nightly: a fresh random range this large (about 3 hours on 2 busy cores, under one on idle ones). */
export const NIGHTLY_SEEDS = 100_000;

const USAGE = `usage: quorumcheck run [--env sim|docker] [--seed N | --seeds M [--base-seed B] [--shard i/n]] [options]

Runs clients and a fault schedule against a cluster, then checks linearizability, the Raft
invariants on every node's event log, and availability after healing. Writes runs/<name>/<time>/.
  --env E               sim (the deterministic simulator, default) or docker (containers)
  --system S            (docker) quorumd (default), kafka-kraft or kafka-zk (real Apache Kafka; the
                        topics workload), or etcd (3.4; reads, writes and cas on a few keys)
  --version V           (docker) the release, e.g. 4.3.1 or 4.3 for Kafka (default the newest known)
  --read-mode M         (docker; also --reads M) quorumd and Kafka: controller (quorumd's linearizable
                        reads, its default), any-broker (a broker's cached metadata: Kafka's only
                        reads, its default) or none (writes only); etcd: linearizable (default) or
                        serializable. An invalid verdict says whether it is what the system
                        promises of its reads (expected) or a bug
  --seed N              one run; in the simulator, options not given are drawn from the seed
  --seeds M             (sim) a sweep of M seeds from --base-seed (random base, printed)
  --wall-time S         (sim) a sweep that starts seeds from --base-seed for S wall seconds (without
                        --seeds or --seed: ${DEFAULT_SWEEP_WALL_S} s); it prints the --seeds count that replays it
  --nightly             (sim) a sweep of ${NIGHTLY_SEEDS.toLocaleString('en-US')} seeds from a fresh random base seed (printed)
  --shard i/n           (sim) run the i-th of n interleaved slices of the sweep's seeds
  --nodes N             controllers (voters): 3, 5 or 7 (sim: 1 to 9)
  --roles R             combined (every node broker,controller) or isolated (controllers + 3 brokers)
  --nemesis LIST        faults to schedule: partition,kill,pause,stop,clock,loss,membership,vote-kill
                        (or none); membership: voters added, removed and replaced on fresh disks
                        (KIP-853), on a cluster with 2 spare controllers (sim, and docker with quorumd);
                        vote-kill: a node that grants a vote is killed -9 at once and started again
                        (asked for by name only; docker: quorumd's event log, read on this host)
  --partition-shapes L  shapes to draw from: ${PARTITION_SHAPES.join(', ')}
  --time-limit S        seconds of faults before the recovery phase (sim default 20, docker 60)
  --concurrency N       client processes working at once
  --rate R              client operations per second, all processes together
  --fault-lines N       faults running side by side (2+: overlapping faults)
  --node-config K=V     a server property on every node (repeatable), e.g. metadata.read.consistency=cached
  --conditions LIST     (sim) network and disk conditions: loss,duplicate,reorder,torn-write (or none)
  --name NAME           the run's name: runs/NAME/<time>/ (default: the environment)
  --runs-dir DIR        where runs go (default ${DEFAULT_RUNS_ROOT}/)
  --jobs J              (sim sweep) worker threads (default: the number of cores)
  --check-time-limit S  wall seconds the linearizability check may take (default 20)
  --watch-after-heal S  keep the healed cluster watched at least S seconds after the heal (default in
                        Docker 0: the recovery phase ends once every voter is back; the simulator
                        draws 13 for a quarter of seeds, 0 for the rest). StableLeadership judges
                        only once leadership must have settled (quorumd's default timeouts:
                        ${stableLeadershipWindowNote(DOCKER_RESTART_ALLOWANCE_MS)}); a run that ends
                        sooner says it was not judged
  --json                print results.json (or sweep.json) instead of the summary, and no progress
  --quiet               no progress lines
Exit codes: 0 valid, 1 invalid, 2 unknown, 3 usage or set-up error.
`;

/** Bad arguments: one line naming what is wrong, exit 3. */
export class UsageError extends Error {}

export interface RunCommand {
  input: RunOptionsInput;
  seed: number | null;
  seeds: number | null;
  baseSeed: number | null;
  shard: Shard | null;
  jobs: number;
  runsRoot: string;
  json: boolean;
  quiet: boolean;
  /** Wall ms between a sweep's progress counts (default 5000). */
  progressMs?: number;
  /** --system/--version/--read-mode as given (docker); null: quorumd, the Docker world's default. */
  systemChoice?: { name?: string; version?: string; readMode?: string } | null;
  /** --wall-time: a sweep starts no seed after this many wall ms (default: DEFAULT_SWEEP_WALL_S without --seeds). */
  wallLimitMs?: number | null;
}

export async function main(args: string[]): Promise<number> {
  let command: RunCommand | 'help';
  try {
    command = parseRunArgs(args);
  } catch (error) {
    process.stderr.write(`quorumcheck run: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (command === 'help') {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  return execute(command, `npx quorumcheck run ${args.join(' ')}`.trim());
}

export function parseRunArgs(args: string[]): RunCommand | 'help' {
  let values;
  try {
    values = parseArgs({
      args, strict: true,
      options: {
        env: { type: 'string' }, seed: { type: 'string' }, seeds: { type: 'string' }, 'base-seed': { type: 'string' },
        shard: { type: 'string' }, nodes: { type: 'string' }, roles: { type: 'string' }, nemesis: { type: 'string' },
        'partition-shapes': { type: 'string' }, 'time-limit': { type: 'string' }, concurrency: { type: 'string' },
        rate: { type: 'string' }, 'fault-lines': { type: 'string' }, 'node-config': { type: 'string', multiple: true },
        conditions: { type: 'string' }, name: { type: 'string' }, 'runs-dir': { type: 'string' }, jobs: { type: 'string' },
        'check-time-limit': { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' },
        system: { type: 'string' }, version: { type: 'string' }, 'read-mode': { type: 'string' }, reads: { type: 'string' },
        'wall-time': { type: 'string' }, nightly: { type: 'boolean' }, 'watch-after-heal': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  const env = (values.env ?? 'sim') as RunEnv;
  if (!(RUN_ENVS as readonly string[]).includes(env)) throw new UsageError(`--env must be sim or docker, got '${env}'`);
  const input: RunOptionsInput = { env };
  if (values.nodes !== undefined) input.nodes = integer('--nodes', values.nodes, 1, 9);
  if (values.roles !== undefined) {
    if (values.roles !== 'combined' && values.roles !== 'isolated') throw new UsageError(`--roles must be combined or isolated, got '${values.roles}'`);
    input.roles = values.roles;
  }
  try {
    if (values.nemesis !== undefined) input.nemesis = parseNemesisList(values.nemesis);
    if (values.conditions !== undefined) input.conditions = parseConditionList(values.conditions);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values['partition-shapes'] !== undefined) input.partitionShapes = parseShapes(values['partition-shapes']);
  if (values['time-limit'] !== undefined) input.timeLimitMs = seconds('--time-limit', values['time-limit'], 86_400);
  if (values.concurrency !== undefined) input.concurrency = integer('--concurrency', values.concurrency, 1, 64);
  if (values.rate !== undefined) {
    const rate = Number(values.rate);
    if (!(rate > 0 && rate <= 10_000)) throw new UsageError(`--rate must be operations per second in (0, 10000], got '${values.rate}'`);
    input.rate = rate;
  }
  if (values['fault-lines'] !== undefined) input.faultLines = integer('--fault-lines', values['fault-lines'], 1, 4);
  if (values['node-config'] !== undefined) {
    const nodeConfig: Record<string, string> = {};
    for (const entry of values['node-config']) {
      try {
        const [key, value] = parseNodeConfigEntry(entry);
        nodeConfig[key] = value;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    input.nodeConfig = nodeConfig;
  }
  if (values.name !== undefined) input.name = values.name;
  if (values['check-time-limit'] !== undefined) input.checkTimeLimitMs = seconds('--check-time-limit', values['check-time-limit'], 86_400);
  if (values['watch-after-heal'] !== undefined) input.watchAfterHealMs = seconds('--watch-after-heal', values['watch-after-heal'], WATCH_AFTER_HEAL_MS_MAX / 1000);
  const seed = values.seed === undefined ? null : integer('--seed', values.seed, 0, SEED_MAX);
  let seeds = values.seeds === undefined ? null : integer('--seeds', values.seeds, 1, SWEEP_SEEDS_MAX);
  const wallLimitMs = values['wall-time'] === undefined ? null : seconds('--wall-time', values['wall-time'], 7 * 86_400);
  if (wallLimitMs === 0) throw new UsageError('--wall-time must be more than 0 seconds');
  if (values.nightly === true) {
    if (seeds !== null || wallLimitMs !== null || seed !== null) throw new UsageError('--nightly sweeps a set number of seeds: it does not go with --seed, --seeds or --wall-time');
    seeds = NIGHTLY_SEEDS;
  }
  const baseSeed = values['base-seed'] === undefined ? null : integer('--base-seed', values['base-seed'], 0, SEED_MAX);
  let shard: Shard | null = null;
  if (values.shard !== undefined) {
    try {
      shard = parseShard(values.shard);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (seed !== null && (seeds !== null || baseSeed !== null || shard !== null || wallLimitMs !== null)) {
    throw new UsageError('--seed runs one seed: it does not go with --seeds, --base-seed, --shard or --wall-time');
  }
  if (env === 'docker' && (seeds !== null || shard !== null || wallLimitMs !== null || values.nightly === true)) {
    throw new UsageError('--seeds, --wall-time, --nightly and --shard sweep the simulator; against containers, run one seed per invocation (the nightly matrix shards suites/)');
  }
  if (env === 'docker' && input.conditions !== undefined) throw new UsageError('--conditions applies to the simulator only (--env sim)');
  // --reads is the issue's name for --read-mode: one option under two names.
  if (values.reads !== undefined && values['read-mode'] !== undefined && values.reads !== values['read-mode']) {
    throw new UsageError(`--reads ${values.reads} and --read-mode ${values['read-mode']} disagree: they are one option, give it once`);
  }
  const given = { system: values.system, version: values.version, readMode: values['read-mode'] ?? values.reads };
  const systemChoice = given.system === undefined && given.version === undefined && given.readMode === undefined ? null : {
    ...(given.system === undefined ? {} : { name: given.system }),
    ...(given.version === undefined ? {} : { version: given.version }),
    ...(given.readMode === undefined ? {} : { readMode: given.readMode }),
  };
  if (systemChoice !== null && env !== 'docker') throw new UsageError('--system, --version and --read-mode choose a system in containers: add --env docker');
  return {
    input, seed, seeds, baseSeed, shard, systemChoice, wallLimitMs,
    jobs: values.jobs === undefined ? Math.min(availableParallelism(), JOBS_MAX) : integer('--jobs', values.jobs, 1, JOBS_MAX),
    runsRoot: values['runs-dir'] ?? DEFAULT_RUNS_ROOT,
    json: values.json === true,
    quiet: values.quiet === true,
  };
}

/** Runs a parsed command; shared with `quorumcheck sim`. */
export async function execute(command: RunCommand, commandLine: string): Promise<number> {
  try {
    if (command.seed === null && command.input.env === 'sim') return await sweep(command, commandLine);
    const chosen = command.systemChoice === undefined || command.systemChoice === null ? null : await chooseRunSystem(command.systemChoice, command.input);
    if (chosen !== null) command.input.nodeConfig = { ...chosen.nodeConfig, ...command.input.nodeConfig };
    // A random seed is the one use of wall-clock randomness here; it is printed with the run.
    return await single(command, command.seed ?? Math.floor(Math.random() * 2 ** 32), chosen);
  } catch (error) {
    if (error instanceof UsageError || error instanceof RangeError || error instanceof WorldSetupError) {
      process.stderr.write(`quorumcheck run: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

async function single(command: RunCommand, seed: number, chosen: ChosenSystem | null = null): Promise<number> {
  const options = resolveRunOptions(command.input, seed);
  if (chosen !== null) checkTopology(chosen.system, options);
  const makeWorld = await worldMaker(options.env, chosen?.system);
  const report = await runOnce({
    options, makeWorld, sink: runProgressSink(process.stderr, command.quiet || command.json), runsRoot: command.runsRoot, writeDirectory: 'always',
    systemChoice: command.systemChoice ?? null,
  });
  process.stdout.write(command.json ? `${JSON.stringify(report.results, null, 2)}\n` : describeRun(report));
  return exitCodeOf(report.verdict);
}

async function sweep(command: RunCommand, commandLine: string): Promise<number> {
  // Without --seeds a sweep is time-boxed: it lists far more seeds than it will start.
  const wallLimitMs = command.wallLimitMs ?? (command.seeds === null ? DEFAULT_SWEEP_WALL_S * 1000 : null);
  const count = command.seeds ?? TIME_BOXED_SEEDS;
  // A random base seed is printed, so the sweep can be run again exactly with --base-seed.
  const baseSeed = command.baseSeed ?? Math.floor(Math.random() * 2 ** 32);
  const seeds = shardSeeds(baseSeed, count, command.shard);
  const jobs = Math.min(command.jobs, Math.max(1, seeds.length));
  if (!command.quiet) {
    const what = command.seeds === null ? 'seeds' : `${seeds.length} seeds`;
    process.stderr.write(`running ${what} from base seed ${baseSeed}` +
      `${command.shard === null ? '' : ` (shard ${command.shard.index}/${command.shard.count} of ${command.seeds === null ? 'the seeds' : count})`}` +
      `${wallLimitMs === null ? '' : ` for ${wallLimitMs / 1000} wall s`} on ${jobs} thread(s)\n`);
  }
  const report = await runSweep({
    input: command.input, seeds, jobs, runsRoot: command.runsRoot, name: command.input.name ?? 'sim', shard: command.shard,
    ...(wallLimitMs === null ? {} : { wallLimitMs }),
    command: commandLine, sink: sweepProgressSink(process.stderr, command.quiet || command.json, command.progressMs ?? 5_000),
  });
  process.stdout.write(command.json ? `${JSON.stringify(report.sweep, null, 2)}\n` : describeSweep(report, baseSeed));
  // A time box or a random base (--nightly too) is replayed by a plain count from a given base.
  if (!command.json && (wallLimitMs !== null || command.baseSeed === null) && command.shard === null) {
    process.stdout.write(`  the same seeds again: ${replayLine(commandLine, report.sweep.seedCount, baseSeed)}\n`);
  }
  return exitCodeOf(report.sweep.verdict);
}

/** The command line that sweeps exactly these seeds: --seeds and --base-seed in place of the time box. */
export function replayLine(commandLine: string, count: number, baseSeed: number): string {
  const words = commandLine.split(' ').filter((word) => word !== '');
  const kept: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (word === '--seeds' || word === '--base-seed' || word === '--wall-time') index += 1;
    else if (!/^--(seeds|base-seed|wall-time)=/.test(word) && word !== '--nightly') kept.push(word);
  }
  return [...kept, '--seeds', String(count), '--base-seed', String(baseSeed)].join(' ');
}

/**
 * The world of an environment. Docker's world is loaded only when asked for (it pulls in the
 * container harness and Testcontainers, which a simulator run never needs).
 */
export async function worldMaker(env: RunEnv, system?: SystemAdapter): Promise<WorldMaker> {
  if (env === 'sim') return simWorldMaker();
  const modulePath = '../../run/worlds/docker-world.js';
  let loaded: { createDockerWorld?: unknown; openDockerWorld?: unknown };
  try {
    loaded = await import(modulePath) as { createDockerWorld?: unknown; openDockerWorld?: unknown };
  } catch (error) {
    throw new WorldSetupError(`the Docker world could not be loaded: ${(error as Error).message}`, { cause: error });
  }
  if (typeof loaded.createDockerWorld !== 'function') throw new WorldSetupError('the Docker world module exports no createDockerWorld');
  if (system !== undefined && typeof loaded.openDockerWorld === 'function') {
    const open = loaded.openDockerWorld as (options: Parameters<WorldFactory>[0], docker: { system: SystemAdapter }) => ReturnType<WorldFactory>;
    return (plan, log) => open({ topology: plan.topology, nodeConfig: plan.options.nodeConfig, seed: plan.options.seed, log }, { system });
  }
  const create = loaded.createDockerWorld as WorldFactory;
  return (plan, log) => create({ topology: plan.topology, nodeConfig: plan.options.nodeConfig, seed: plan.options.seed, log });
}

/**
 * --system, --version and --read-mode: the system's adapter at that version, the workload its
 * clients speak (set on `input`, so results.json's options keep it), and the server settings its
 * read mode implies (the caller adds them under the run's own --node-config, which wins). Also
 * reproduce's way back from a recorded run's systemChoice.
 */
export async function chooseRunSystem(choice: { name?: string; version?: string; readMode?: string }, input: RunOptionsInput): Promise<ChosenSystem> {
  // Loaded only when asked for, as the Docker world is: it pulls in the container harness.
  const { chooseSystem } = await import('../../harness/systems/system-choice.js');
  let chosen: ChosenSystem;
  try {
    chosen = chooseSystem(choice.name ?? 'quorumd', {
      ...(choice.version === undefined ? {} : { version: choice.version }),
      ...(choice.readMode === undefined ? {} : { readMode: choice.readMode }),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (chosen.system.name !== 'quorumd' && (input.nemesis ?? []).includes('membership')) {
    throw new UsageError(`--nemesis membership: voter changes (KIP-853) are set up for quorumd only, not ${chosen.system.name}`);
  }
  input.workload = { ...chosen.workload };
  return chosen;
}

/** A topology the system cannot have (isolated roles for etcd) is a usage error before anything starts. */
function checkTopology(system: SystemAdapter, options: RunOptions): void {
  try {
    system.planTopology({ voters: options.nodes, roles: options.roles });
  } catch (error) {
    throw new UsageError(`--system ${system.name}: ${(error as Error).message}`);
  }
}

function parseShapes(text: string): PartitionShape[] {
  const shapes = text.split(',').map((shape) => shape.trim()).filter((shape) => shape !== '');
  for (const shape of shapes) {
    if (!isPartitionShape(shape)) throw new UsageError(`unknown partition shape '${shape}' (known: ${PARTITION_SHAPES.join(', ')})`);
  }
  if (shapes.length === 0) throw new UsageError('--partition-shapes needs at least one shape');
  return shapes as PartitionShape[];
}

export function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer in [${min}, ${max}], got '${text}'`);
  }
  return value;
}

/** Seconds (decimals allowed) as whole ms. */
export function seconds(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= max)) throw new UsageError(`${flag} must be seconds in [0, ${max}], got '${text}'`);
  return Math.round(value * 1000);
}
