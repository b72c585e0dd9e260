/**
 * What `quorumcheck compare` runs: the systems, the faults, and one seeded schedule of fault
 * trials that every system gets, so their figures are measured under the same faults in one run.
 *
 * A trial targets the leader (active controller) as the system reports it at that moment, with
 * one fault kind (`partition`: the leader isolated from every other node; `kill`: kill -9 of its
 * node). The order of kinds over the trials, and the pauses between trials, come from the seed.
 */
import { SeededRandom } from '../sim/random.js';

export const COMPARE_SYSTEMS = ['quorumd', 'kafka-kraft', 'kafka-zk'] as const;
export type CompareSystem = (typeof COMPARE_SYSTEMS)[number];
export const COMPARE_FAULTS = ['partition', 'kill'] as const;
export type CompareFault = (typeof COMPARE_FAULTS)[number];

export interface ComparePlan {
  systems: CompareSystem[];
  faults: CompareFault[];
  seed: number;
  /** Failover trials per system (each one fault, then heal and wait for a leader). */
  trials: number;
  /** How long the throughput phase's clients run before the trials (ms). */
  throughputMs: number;
  /** Client processes of the throughput phase. */
  concurrency: number;
  /** The metadata set every system holds before the recovery measurement. */
  metadataTopics: number;
  partitionsPerTopic: number;
  /** Versions by system (absent: each system's default). */
  versions: Partial<Record<CompareSystem, string>>;
}

export interface FaultTrial {
  index: number;
  fault: CompareFault;
  /** Calm time before the fault (ms), so trials do not fall into a rhythm. */
  pauseBeforeMs: number;
}

export const comparePlanDefaults = {
  trials: 6,
  throughputMs: 20_000,
  concurrency: 4,
  metadataTopics: 200,
  partitionsPerTopic: 10,
} as const;

/** The same trials for every system: built once from the seed. */
export function faultTrials(plan: Pick<ComparePlan, 'faults' | 'seed' | 'trials'>): FaultTrial[] {
  const random = SeededRandom.fromSeed(plan.seed);
  const trials: FaultTrial[] = [];
  for (let index = 0; index < plan.trials; index += 1) {
    // Every kind in turn (so each gets its share), the pauses drawn from the seed.
    const fault = plan.faults[index % plan.faults.length]!;
    trials.push({ index, fault, pauseBeforeMs: 1_000 + random.intBelow(2_000) });
  }
  return trials;
}

export function parseSystems(list: string): CompareSystem[] {
  const names = list.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new RangeError(`--systems needs one or more of ${COMPARE_SYSTEMS.join(', ')}`);
  for (const name of names) {
    if (!(COMPARE_SYSTEMS as readonly string[]).includes(name)) {
      throw new RangeError(`--systems: unknown system '${name}'; compare runs ${COMPARE_SYSTEMS.join(', ')}`);
    }
  }
  if (new Set(names).size !== names.length) throw new RangeError(`--systems names a system twice: ${list}`);
  return names as CompareSystem[];
}

export function parseFaults(list: string): CompareFault[] {
  const names = list.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new RangeError(`--nemesis needs one or more of ${COMPARE_FAULTS.join(', ')}`);
  for (const name of names) {
    if (!(COMPARE_FAULTS as readonly string[]).includes(name)) {
      throw new RangeError(`--nemesis: unknown fault '${name}'; compare injects ${COMPARE_FAULTS.join(', ')}`);
    }
  }
  return [...new Set(names)] as CompareFault[];
}

/** The p-th percentile (0..100) by nearest rank; null for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
