/**
 * A run's options: what a person gave (`RunOptionsInput`, from `quorumcheck run` flags) and what
 * the run uses (`RunOptions`, every field resolved). In the simulator an option not given is
 * drawn from the seed, so a sweep of seeds covers cluster sizes, roles, fault mixes and loads; in
 * Docker it takes its default. results.json keeps the resolved options, and `rerunCommand`
 * spells every one out, so a run is repeated exactly in either world.
 */
import { NEMESIS_KINDS, TIME_LIMIT_MS_MAX, FAULT_LINES_MAX, type NemesisKind } from '../faults/schedule.js';
import { shapeProblem, type PartitionShape } from '../faults/partition-shapes.js';
import type { RunEnv } from '../history/run-directory-format.js';
import { SEED_MAX, SeededRandom } from '../sim/random.js';
import { SIM_CONDITIONS, type SimCondition } from '../sim/sim-cluster-config.js';
import { CONTROLLER_COUNTS, type RolesMode } from './world.js';
import { TOPICS_WORKLOAD, WORKLOAD_KINDS, type WorkloadChoice } from './workloads.js';

export const RUN_ENVS = ['sim', 'docker'] as const;
export const NODES_MAX = 9;
export const CONCURRENCY_MAX = 64;
export const RATE_MAX = 10_000;
/** --watch-after-heal at most: an hour of watching a healed cluster is already a soak test. */
export const WATCH_AFTER_HEAL_MS_MAX = 3_600_000;

export interface RunOptionsInput {
  env?: RunEnv;
  seed?: number;
  /** Controllers (voters). */
  nodes?: number;
  roles?: RolesMode;
  nemesis?: readonly NemesisKind[];
  /** Partition shapes to draw from (default: every shape the cluster size allows). */
  partitionShapes?: readonly PartitionShape[];
  timeLimitMs?: number;
  /** Client processes working at once. */
  concurrency?: number;
  /** Client operations per second, all processes together (a target: slow answers lower it). */
  rate?: number;
  /** Fault lines side by side (2 or more: faults overlap). */
  faultLines?: number;
  nodeConfig?: Readonly<Record<string, string>>;
  name?: string;
  /** Simulator only: its network and disk conditions (loss, duplicate, reorder, torn-write). */
  conditions?: readonly SimCondition[];
  /** Wall time the linearizability check may take. */
  checkTimeLimitMs?: number;
  /** The system's workload (default topics with reads, quorumd's). */
  workload?: WorkloadChoice;
  /** The recovery phase goes on at least this long after the heal (default 0: until every voter is back). */
  watchAfterHealMs?: number;
}

export interface RunOptions {
  env: RunEnv;
  seed: number;
  nodes: number;
  roles: RolesMode;
  nemesis: NemesisKind[];
  /** Null: every shape the cluster size allows. */
  partitionShapes: PartitionShape[] | null;
  timeLimitMs: number;
  concurrency: number;
  rate: number;
  faultLines: number;
  nodeConfig: Record<string, string>;
  name: string;
  /** Simulator only; null: the simulator draws them from the seed (Docker: always null). */
  conditions: SimCondition[] | null;
  checkTimeLimitMs: number;
  workload: WorkloadChoice;
  /**
   * --watch-after-heal: ms after the heal that the recovery phase watches the cluster at least,
   * so rules judged only once leadership has settled (StableLeadership) have a window to judge.
   * 0: the phase ends as soon as every voter is back, as before.
   */
  watchAfterHealMs: number;
}

interface DrawnOptions {
  nodes: number;
  roles: RolesMode;
  nemesis: readonly NemesisKind[];
  concurrency: number;
  rate: number;
  faultLines: number;
  watchAfterHealMs: number;
}

/**
 * The nemesis kinds of every cluster. Membership faults need a cluster whose voter set lives in its
 * log, with spare controllers: the simulator draws them on their own (below), and they are asked
 * for by name elsewhere. A vote-kill is asked for by name only (a fault aimed at one bug, the
 * vote-before-persist kind); left out here, it changes no seed's draws.
 */
const PROCESS_AND_NETWORK_KINDS = NEMESIS_KINDS.filter((kind) => kind !== 'membership' && kind !== 'vote-kill');

/** The share of simulated seeds whose cluster gets membership faults (a kraft.version 1 cluster with spares). */
const SIM_MEMBERSHIP_CHANCE = 0.25;
/**
 * The share of simulated seeds without kill or stop that get kills all the same, so most seeds
 * restart a node (about 7 in 8 draw a restarting kind) and a restart from a snapshot is common.
 */
const SIM_EXTRA_KILL_CHANCE = 0.5;

/**
 * The share of simulated seeds that watch the healed cluster, and for how long after the heal
 * (--watch-after-heal): StableLeadership judges only from when leadership must have settled (3 s
 * after the heal with the default timeouts), and a run that ends its recovery once every voter is
 * back gives it nothing to judge (1,999 of 2,000 default seeds did). Cheap: the healed cluster
 * runs on its own, no client waiting, and a simulated second of it costs little.
 */
const SIM_WATCH_CHANCE = 0.25;
const SIM_WATCH_AFTER_HEAL_MS = 13_000;

export const DOCKER_DEFAULTS: Readonly<DrawnOptions & { timeLimitMs: number }> = Object.freeze({
  nodes: 3, roles: 'combined', nemesis: [...PROCESS_AND_NETWORK_KINDS], timeLimitMs: 60_000, concurrency: 5, rate: 20, faultLines: 1,
  watchAfterHealMs: 0,
});
export const SIM_TIME_LIMIT_MS_DEFAULT = 20_000;
export const CHECK_TIME_LIMIT_MS_DEFAULT = 20_000;

/**
 * Every option resolved for `seed`. Throws a RangeError naming the first bad one (a cluster size
 * out of range, a partition shape the size cannot take, ...).
 */
export function resolveRunOptions(input: RunOptionsInput, seed: number): RunOptions {
  const env = input.env ?? 'sim';
  if (!(RUN_ENVS as readonly string[]).includes(env)) throw new RangeError(`--env must be sim or docker, got '${String(env)}'`);
  checkInteger('--seed', seed, 0, SEED_MAX);
  const drawn = env === 'sim' ? drawSimOptions(seed) : DOCKER_DEFAULTS;
  const options: RunOptions = {
    env,
    seed,
    nodes: input.nodes ?? drawn.nodes,
    roles: input.roles ?? drawn.roles,
    nemesis: [...(input.nemesis ?? drawn.nemesis)],
    partitionShapes: input.partitionShapes === undefined ? null : [...input.partitionShapes],
    timeLimitMs: input.timeLimitMs ?? (env === 'sim' ? SIM_TIME_LIMIT_MS_DEFAULT : DOCKER_DEFAULTS.timeLimitMs),
    concurrency: input.concurrency ?? drawn.concurrency,
    rate: input.rate ?? drawn.rate,
    faultLines: input.faultLines ?? drawn.faultLines,
    nodeConfig: { ...(input.nodeConfig ?? {}) },
    name: input.name ?? env,
    conditions: input.conditions === undefined ? null : [...input.conditions],
    checkTimeLimitMs: input.checkTimeLimitMs ?? CHECK_TIME_LIMIT_MS_DEFAULT,
    workload: { ...(input.workload ?? TOPICS_WORKLOAD) },
    watchAfterHealMs: input.watchAfterHealMs ?? drawn.watchAfterHealMs,
  };
  validateRunOptions(options);
  return options;
}

/** What a seed draws in the simulator for options not given. */
function drawSimOptions(seed: number): DrawnOptions {
  const random = SeededRandom.fromSeed(seed).fork('run-options');
  const drawn: DrawnOptions = {
    nodes: random.pick([3, 5]),
    roles: random.chance(0.2) ? 'isolated' : 'combined',
    nemesis: PROCESS_AND_NETWORK_KINDS.filter(() => random.chance(0.5)),
    concurrency: random.intBetween(2, 5),
    rate: random.pick([25, 100, 400]),
    faultLines: random.intBetween(1, 2),
    watchAfterHealMs: 0,
  };
  // Drawn last, so every earlier draw (and every seed without membership faults) is as before.
  if (random.chance(SIM_MEMBERSHIP_CHANCE)) drawn.nemesis = [...drawn.nemesis, 'membership'];
  // A restart is what loads a snapshot from disk: half the seeds that drew neither kill nor stop get kills.
  if (!drawn.nemesis.includes('kill') && !drawn.nemesis.includes('stop') && random.chance(SIM_EXTRA_KILL_CHANCE)) {
    drawn.nemesis = NEMESIS_KINDS.filter((kind) => kind === 'kill' || drawn.nemesis.includes(kind));
  }
  // Drawn after every other option, so each is drawn as before.
  if (random.chance(SIM_WATCH_CHANCE)) drawn.watchAfterHealMs = SIM_WATCH_AFTER_HEAL_MS;
  return drawn;
}

export function validateRunOptions(options: RunOptions): void {
  checkInteger('--nodes', options.nodes, 1, NODES_MAX);
  // A container cluster is one of the sizes quorumd is deployed at; the simulator also explores
  // the odd ones out (1, 2, 4 voters), which cost nothing there.
  if (options.env === 'docker' && !(CONTROLLER_COUNTS as readonly number[]).includes(options.nodes)) {
    throw new RangeError(`--nodes must be ${CONTROLLER_COUNTS.join(', ')} with --env docker, got ${options.nodes}`);
  }
  if (options.roles !== 'combined' && options.roles !== 'isolated') {
    throw new RangeError(`--roles must be combined or isolated, got '${String(options.roles)}'`);
  }
  for (const kind of options.nemesis) {
    if (!(NEMESIS_KINDS as readonly string[]).includes(kind)) throw new RangeError(`unknown nemesis '${kind}' (known: ${NEMESIS_KINDS.join(', ')})`);
  }
  const nodeCount = options.nodes + (options.roles === 'isolated' ? 3 : 0);
  for (const shape of options.partitionShapes ?? []) {
    const problem = shapeProblem(shape, nodeCount);
    if (problem !== null) throw new RangeError(`--partition-shapes: ${problem}${options.roles === 'isolated' ? ' (controllers and brokers together)' : ''}`);
  }
  checkInteger('--time-limit (ms)', options.timeLimitMs, 0, TIME_LIMIT_MS_MAX);
  checkInteger('--concurrency', options.concurrency, 1, CONCURRENCY_MAX);
  if (!(options.rate > 0 && options.rate <= RATE_MAX)) throw new RangeError(`--rate must be operations per second in (0, ${RATE_MAX}], got ${options.rate}`);
  checkInteger('--fault-lines', options.faultLines, 1, FAULT_LINES_MAX);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.name)) {
    throw new RangeError(`--name '${options.name}' must be letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  if (options.conditions !== null) {
    if (options.env !== 'sim') throw new RangeError('--conditions applies to the simulator only (--env sim)');
    for (const condition of options.conditions) {
      if (!(SIM_CONDITIONS as readonly string[]).includes(condition)) throw new RangeError(`unknown simulator condition '${condition}'`);
    }
  }
  for (const [key, value] of Object.entries(options.nodeConfig)) {
    if (!/^[a-z][a-z0-9._-]*$/.test(key)) throw new RangeError(`--node-config key '${key}' is not a server property name`);
    if (value.includes('\n')) throw new RangeError(`--node-config ${key}: the value may not span lines`);
  }
  checkInteger('--check-time-limit (ms)', options.checkTimeLimitMs, 1, 86_400_000);
  checkInteger('--watch-after-heal (ms)', options.watchAfterHealMs, 0, WATCH_AFTER_HEAL_MS_MAX);
  const { workload } = options;
  if (!WORKLOAD_KINDS.includes(workload.kind)) throw new RangeError(`unknown workload '${String(workload.kind)}' (known: ${WORKLOAD_KINDS.join(', ')})`);
  if (typeof workload.model !== 'string' || workload.model === '') throw new RangeError('the workload needs the name of the model that judges it');
  if (typeof workload.reads !== 'boolean') throw new RangeError('the workload\'s reads must be true or false');
  if (options.env === 'sim' && workload.kind !== 'topics') {
    throw new RangeError(`the simulator's clients speak topic operations only; the ${workload.kind} workload runs against containers (--env docker)`);
  }
}

/**
 * The input that resolves to `recorded` (results.json's `options`, for reproduce): every field
 * pinned, nulls meaning "not given". Throws a RangeError naming a field of the wrong kind.
 */
export function inputFromRecorded(recorded: unknown): RunOptionsInput {
  if (typeof recorded !== 'object' || recorded === null) throw new RangeError("results.json's options must be an object");
  const value = recorded as Record<string, unknown>;
  const input: RunOptionsInput = {};
  const set = <K extends keyof RunOptionsInput>(key: K, check: (field: unknown) => boolean): void => {
    const field = value[key];
    if (field === undefined || field === null) return;
    if (!check(field)) throw new RangeError(`results.json's options.${key} is not valid: ${JSON.stringify(field)}`);
    input[key] = field as RunOptionsInput[K];
  };
  const isNumber = (field: unknown): boolean => typeof field === 'number';
  const isString = (field: unknown): boolean => typeof field === 'string';
  const isStrings = (field: unknown): boolean => Array.isArray(field) && field.every((item) => typeof item === 'string');
  set('env', isString);
  set('nodes', isNumber);
  set('roles', isString);
  set('nemesis', isStrings);
  set('partitionShapes', isStrings);
  set('timeLimitMs', isNumber);
  set('concurrency', isNumber);
  set('rate', isNumber);
  set('faultLines', isNumber);
  set('nodeConfig', (field) => typeof field === 'object' && !Array.isArray(field) && Object.values(field as object).every((item) => typeof item === 'string'));
  set('name', isString);
  set('conditions', isStrings);
  set('checkTimeLimitMs', isNumber);
  set('watchAfterHealMs', isNumber);
  set('workload', (field) => typeof field === 'object' && !Array.isArray(field) && typeof (field as { kind?: unknown }).kind === 'string');
  return input;
}

/** `KEY=VALUE` of `--node-config`. */
export function parseNodeConfigEntry(text: string): [string, string] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new RangeError(`--node-config wants KEY=VALUE, got '${text}'`);
  return [text.slice(0, equals).trim(), text.slice(equals + 1).trim()];
}

/** The `quorumcheck run` line that repeats these options exactly (in either world, with --env changed). */
export function rerunCommand(options: RunOptions): string {
  const parts = [
    'npx quorumcheck run', `--env ${options.env}`, `--seed ${options.seed}`, `--nodes ${options.nodes}`, `--roles ${options.roles}`,
    `--nemesis ${options.nemesis.length === 0 ? 'none' : options.nemesis.join(',')}`,
  ];
  if (options.partitionShapes !== null) parts.push(`--partition-shapes ${options.partitionShapes.join(',')}`);
  parts.push(`--time-limit ${options.timeLimitMs / 1000}`, `--concurrency ${options.concurrency}`, `--rate ${options.rate}`,
    `--fault-lines ${options.faultLines}`);
  if (options.conditions !== null) parts.push(`--conditions ${options.conditions.length === 0 ? 'none' : options.conditions.join(',')}`);
  for (const [key, value] of Object.entries(options.nodeConfig)) parts.push(`--node-config ${key}=${value}`);
  if (options.watchAfterHealMs > 0) parts.push(`--watch-after-heal ${options.watchAfterHealMs / 1000}`);
  parts.push(`--name ${options.name}`);
  return parts.join(' ');
}

/** A one-line description: "5 nodes combined; nemesis kill,partition; 3 clients at 100 ops/s; 20 s". */
export function describeOptions(options: RunOptions): string {
  const conditions = options.conditions === null ? '' : `; conditions ${options.conditions.length === 0 ? 'none' : options.conditions.join(',')}`;
  const workload = options.workload.kind === 'topics' && options.workload.reads ? '' : `; ${options.workload.kind} workload${options.workload.reads ? '' : ' without reads'}`;
  return `${options.nodes} nodes ${options.roles}; nemesis ${options.nemesis.length === 0 ? 'none' : options.nemesis.join(',')}` +
    `${conditions}${workload}; ${options.concurrency} clients at ${options.rate} ops/s; ${options.timeLimitMs / 1000} s` +
    (options.watchAfterHealMs > 0 ? `; watched ${options.watchAfterHealMs / 1000} s after the heal` : '');
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
