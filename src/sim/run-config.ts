/**
 * One simulation run's settings, all drawn from its seed (cluster size, fault mix and rates,
 * clients, workload), with a few that a person may pin from the command line (`--nodes`,
 * `--faults`, `--duration`). Every setting has a limit, checked before the run starts.
 */
import { shapesFor, type PartitionShape } from '../faults/partition-shapes.js';
import { SeededRandom } from './random.js';
import type { NetworkConfig } from './sim-network.js';
import { drawWorkload, type WorkloadConfig } from './workload.js';

export const FAULT_KINDS = ['partition', 'crash', 'pause', 'loss', 'duplicate', 'reorder', 'torn-write'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SimRunOptions {
  seed: number;
  /** Voter count (3 or 5 when drawn; 1 to 9 when given). */
  voters?: number;
  /** Observer count (0 to 2 when drawn). */
  observers?: number;
  /** Fault kinds; [] for none; absent: drawn from the seed. */
  faults?: readonly FaultKind[];
  /** Length of the safety phase in simulated ms. */
  safetyPhaseMs?: number;
  /** Core settings for tests that need a specific timing (e.g. golden transcripts). */
  core?: Readonly<Record<string, number>>;
  /** Clients; 0 gives a run without client operations (golden transcripts of elections). */
  clients?: number;
}

export interface SimRunConfig {
  seed: number;
  voters: number[];
  observers: number[];
  faults: FaultKind[];
  partitionShapes: PartitionShape[];
  network: NetworkConfig;
  /** The calm network of the liveness phase. */
  healedNetwork: NetworkConfig;
  tornWrites: boolean;
  safetyPhaseMs: number;
  /** The liveness phase fails when no write is committed within this long after healing. */
  livenessPhaseMsMax: number;
  /** The nemesis waits this long between faults, and holds each for this long. */
  faultGapMs: readonly [number, number];
  faultHoldMs: readonly [number, number];
  /** Faults that may be in force at once (1 or 2). */
  nemesisSlots: number;
  clients: number;
  clientThinkMsMax: number;
  clientRequestTimeoutMs: number;
  workload: WorkloadConfig;
  core: Readonly<Record<string, number>>;
}

export const VOTERS_MAX = 9;
export const OBSERVERS_MAX = 4;
export const SAFETY_PHASE_MS_MAX = 3_600_000;
export const CLIENTS_MAX = 32;

export function resolveRunConfig(options: SimRunOptions): SimRunConfig {
  const random = SeededRandom.fromSeed(options.seed).fork('run-config');
  const voterCount = options.voters ?? random.pick([3, 5]);
  const observerCount = options.observers ?? random.intBetween(0, 2);
  checkInteger('voters', voterCount, 1, VOTERS_MAX);
  checkInteger('observers', observerCount, 0, OBSERVERS_MAX);
  const faults = options.faults !== undefined ? [...options.faults] : drawFaults(random);
  for (const fault of faults) {
    if (!(FAULT_KINDS as readonly string[]).includes(fault)) {
      throw new RangeError(`unknown fault kind '${fault}' (known: ${FAULT_KINDS.join(', ')}, or none)`);
    }
  }
  const safetyPhaseMs = options.safetyPhaseMs ?? 20_000;
  checkInteger('safety phase (ms)', safetyPhaseMs, 0, SAFETY_PHASE_MS_MAX);
  const clients = options.clients ?? random.intBetween(2, 5);
  checkInteger('clients', clients, 0, CLIENTS_MAX);
  const voters = Array.from({ length: voterCount }, (_, i) => i + 1);
  const observers = Array.from({ length: observerCount }, (_, i) => voterCount + i + 1);
  const has = (kind: FaultKind): boolean => faults.includes(kind);
  const delayMsMax = random.intBetween(2, 20);
  return {
    seed: options.seed,
    voters,
    observers,
    faults,
    // Shapes this cluster size cannot take (ping-pong needs exactly 5) are left out.
    partitionShapes: shapesFor(voterCount + observerCount),
    network: {
      delayMsMin: 1,
      delayMsMax,
      lossProbability: has('loss') ? random.pick([0.01, 0.05, 0.2]) : 0,
      duplicateProbability: has('duplicate') ? random.pick([0.01, 0.05]) : 0,
      reorderProbability: has('reorder') ? random.pick([0.01, 0.05, 0.1]) : 0,
      slowDelayMsMax: 200,
    },
    healedNetwork: { delayMsMin: 1, delayMsMax, lossProbability: 0, duplicateProbability: 0, reorderProbability: 0, slowDelayMsMax: delayMsMax },
    tornWrites: has('torn-write'),
    safetyPhaseMs,
    livenessPhaseMsMax: 30_000,
    faultGapMs: [500, random.pick([2_000, 5_000])],
    faultHoldMs: [500, random.pick([3_000, 8_000])],
    clients,
    clientThinkMsMax: random.pick([10, 50, 200]),
    clientRequestTimeoutMs: 5_000,
    workload: drawWorkload(random),
    // Drawn last, so adding it kept every earlier seed's other settings as they were.
    nemesisSlots: random.intBetween(1, 2),
    core: options.core ?? {},
  };
}

/** Each fault kind is on with probability 1/2; a run with none at all is a useful baseline too. */
function drawFaults(random: SeededRandom): FaultKind[] {
  return FAULT_KINDS.filter(() => random.chance(0.5));
}

/** `--faults` syntax: a comma-separated list of fault kinds, or `none`. */
export function parseFaultList(text: string): FaultKind[] {
  if (text.trim() === 'none') return [];
  const kinds = text.split(',').map((kind) => kind.trim()).filter((kind) => kind !== '');
  for (const kind of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new RangeError(`unknown fault kind '${kind}' (known: ${FAULT_KINDS.join(', ')}, or none)`);
    }
  }
  return kinds as FaultKind[];
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
