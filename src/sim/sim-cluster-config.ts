/**
 * What a simulated cluster is made of, drawn from its seed where not given: the nodes and their
 * roles, the network's delays, and the simulator's own conditions, faults no fault schedule
 * drives because they are properties of the medium rather than actions: background message loss,
 * duplication and reordering, and a disk that tears unsynced writes in a crash. Every setting has
 * a limit, checked before the run starts.
 *
 * Draws come from the seed's `run-config` stream, the network's delay bound first, so scripted
 * scenarios (the golden transcripts) keep their network from before this file existed.
 */
import { SeededRandom } from './random.js';
import type { NetworkConfig } from './sim-network.js';
import { drawFetchSnapshotMaxBytes, drawLogRetention, drawSnapshotIntervalEntries } from './sim-snapshot-interval.js';

export const SIM_CONDITIONS = ['loss', 'duplicate', 'reorder', 'torn-write'] as const;
export type SimCondition = (typeof SIM_CONDITIONS)[number];

/**
 * The loss rates a seed draws. Bounded so a lossy seed still does real work: a lost fetch, read
 * index or forward costs a request its retry wait (a forward its whole client timeout), and at the
 * 5 % and 20 % once drawn here a run completed 154 and 40 operations against 1,019 without loss
 * (`npm run bench -- sim-loss`); losses still number in the dozens per run at these rates.
 */
export const LOSS_PROBABILITIES = [0.002, 0.01, 0.03] as const;

export const VOTERS_MAX = 9;
export const OBSERVERS_MAX = 4;
export const SPARES_MAX = 2;

export interface SimClusterOptions {
  seed: number;
  /** Voter (controller) ids. */
  voters: readonly number[];
  /** Broker-only node ids (the quorum's observers). */
  observers: readonly number[];
  /**
   * Spare controllers, formatted to join later (KIP-853): with any, the cluster's voter set lives
   * in its log (kraft.version 1) and membership faults may add and remove voters.
   */
  spares?: readonly number[];
  /** Voters are also brokers (KRaft's combined mode); default true. */
  combined?: boolean;
  /** The simulator's conditions; absent: each drawn from the seed with probability 1/2. */
  conditions?: readonly SimCondition[];
  /** Settings of every node's core, by QuorumNode config name (sim-node-config.ts maps Kafka's). */
  core?: Readonly<Record<string, unknown>>;
  /**
   * Draw the snapshot interval from the seed (sim-snapshot-interval.ts) unless `core` sets
   * `snapshotIntervalEntries`. Off by default, so scripted scenarios keep quorumd's default.
   */
  drawSnapshotInterval?: boolean;
}

export interface SimClusterConfig {
  seed: number;
  voters: number[];
  observers: number[];
  /** Spare controllers (observers until added); non-empty: a dynamic voter set (kraft.version 1). */
  spares: number[];
  combined: boolean;
  /** The nodes clients talk to: every node in combined mode, the observers in isolated mode. */
  brokers: number[];
  conditions: SimCondition[];
  network: NetworkConfig;
  /** The calm network after the faults heal (no loss, duplication or reordering). */
  healedNetwork: NetworkConfig;
  tornWrites: boolean;
  core: Readonly<Record<string, unknown>>;
}

export function simClusterConfig(options: SimClusterOptions): SimClusterConfig {
  const random = SeededRandom.fromSeed(options.seed).fork('run-config');
  checkIds('voters', options.voters, 1, VOTERS_MAX);
  checkIds('observers', options.observers, 0, OBSERVERS_MAX);
  const spares = [...(options.spares ?? [])];
  checkIds('spares', spares, 0, SPARES_MAX);
  const all = [...options.voters, ...spares, ...options.observers];
  if (new Set(all).size !== all.length) throw new RangeError(`node ids must be distinct, got ${all.join(',')}`);
  const delayMsMax = random.intBetween(2, 20);
  const conditions = options.conditions !== undefined ? [...options.conditions] : SIM_CONDITIONS.filter(() => random.chance(0.5));
  for (const condition of conditions) {
    if (!(SIM_CONDITIONS as readonly string[]).includes(condition)) {
      throw new RangeError(`unknown simulator condition '${condition}' (known: ${SIM_CONDITIONS.join(', ')})`);
    }
  }
  const has = (condition: SimCondition): boolean => conditions.includes(condition);
  const combined = options.combined ?? true;
  if (!combined && options.observers.length === 0) throw new RangeError('an isolated cluster needs broker-only nodes (observers)');
  return {
    seed: options.seed,
    voters: [...options.voters],
    observers: [...options.observers],
    spares,
    combined,
    brokers: combined ? all : [...options.observers],
    conditions,
    network: {
      delayMsMin: 1,
      delayMsMax,
      lossProbability: has('loss') ? random.pick(LOSS_PROBABILITIES) : 0,
      duplicateProbability: has('duplicate') ? random.pick([0.01, 0.05]) : 0,
      reorderProbability: has('reorder') ? random.pick([0.01, 0.05, 0.1]) : 0,
      slowDelayMsMax: 200,
    },
    healedNetwork: { delayMsMin: 1, delayMsMax, lossProbability: 0, duplicateProbability: 0, reorderProbability: 0, slowDelayMsMax: delayMsMax },
    tornWrites: has('torn-write'),
    core: coreSettings(options),
  };
}

function coreSettings(options: SimClusterOptions): Readonly<Record<string, unknown>> {
  const core = options.core ?? {};
  if (options.drawSnapshotInterval !== true || core.snapshotIntervalEntries !== undefined) return core;
  const drawn = drawSnapshotIntervalEntries(options.seed);
  const pieceBytes = core.fetchSnapshotMaxBytes === undefined ? drawFetchSnapshotMaxBytes(options.seed) : null;
  const retention = core.logRetentionEntries === undefined && core.logRetentionSize === undefined ? drawLogRetention(options.seed) : null;
  return {
    ...core, ...(drawn === null ? {} : { snapshotIntervalEntries: drawn }), ...(pieceBytes === null ? {} : { fetchSnapshotMaxBytes: pieceBytes }),
    ...(retention === null ? {} : { logRetentionEntries: retention.entries, logRetentionSize: retention.size }),
  };
}

/** `--conditions` syntax: comma-separated conditions, or `none`. */
export function parseConditionList(text: string): SimCondition[] {
  if (text.trim() === 'none') return [];
  const conditions = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const condition of conditions) {
    if (!(SIM_CONDITIONS as readonly string[]).includes(condition)) {
      throw new RangeError(`unknown simulator condition '${condition}' (known: ${SIM_CONDITIONS.join(', ')}, or none)`);
    }
  }
  return [...new Set(conditions)] as SimCondition[];
}

function checkIds(name: string, ids: readonly number[], min: number, max: number): void {
  if (ids.length < min || ids.length > max) throw new RangeError(`${name}: between ${min} and ${max} nodes, got ${ids.length}`);
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`${name}: node ids must be non-negative integers, got ${id}`);
  }
}
