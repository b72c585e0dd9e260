/**
 * The topics workload, the same in both worlds: what clients ask, a seeded mix of topic-metadata operations over a small set of topic
 * names, so operations collide (create vs delete of one name, describe during alter) and the
 * checker has something to judge. Values stay valid for Kafka except where a definite error is
 * the point (a create-partitions that does not grow answers INVALID_PARTITIONS). Without reads
 * (`--read-mode none`) the describe and list functions get no weight: every operation is a write
 * the controller decides. (The register workload is register-workload.ts; workloads.ts picks.)
 */
import { isReadFunction } from '../history/kafka-completion.js';
import type { TopicFunction } from '../history/topic-operations.js';
import type { SeededRandom } from '../sim/random.js';

export interface WorkloadConfig {
  kind: 'topics';
  topicNames: readonly string[];
  /** Relative weights of each function. */
  weights: Readonly<Record<TopicFunction, number>>;
  partitionsMax: number;
}

export const DEFAULT_WEIGHTS: Readonly<Record<TopicFunction, number>> = Object.freeze({
  'create-topic': 4,
  'delete-topic': 2,
  'create-partitions': 2,
  'alter-config': 2,
  'describe-topic': 4,
  'describe-configs': 2,
  'list-topics': 2,
});

const TOPIC_NAME_POOL = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'] as const;
const CONFIG_CHOICES: readonly Record<string, string>[] = [
  {},
  { 'cleanup.policy': 'compact' },
  { 'retention.ms': '60000' },
  { 'retention.ms': '120000', 'cleanup.policy': 'delete' },
];

/**
 * A workload drawn from the run's seed: 2 to 4 names and a perturbed mix; `reads` false gives the
 * reads no weight (drawn all the same, so a seed's names and write mix do not depend on it).
 */
export function drawWorkload(random: SeededRandom, reads = true): WorkloadConfig {
  const weights = Object.fromEntries(
    Object.entries(DEFAULT_WEIGHTS).map(([f, weight]) => [f, weight * random.intBetween(1, 3)]),
  ) as Record<TopicFunction, number>;
  if (!reads) for (const f of Object.keys(weights) as TopicFunction[]) if (isReadFunction(f)) weights[f] = 0;
  return { kind: 'topics', topicNames: TOPIC_NAME_POOL.slice(0, random.intBetween(2, 4)), weights, partitionsMax: 4 };
}

export interface PlannedOperation {
  f: TopicFunction;
  value: unknown;
}

export function nextOperation(workload: WorkloadConfig, random: SeededRandom): PlannedOperation {
  const f = pickWeighted(workload.weights, random);
  const name = random.pick(workload.topicNames);
  switch (f) {
    case 'create-topic': {
      const configs = random.pick(CONFIG_CHOICES);
      return { f, value: { name, partitions: random.intBetween(1, workload.partitionsMax), ...(Object.keys(configs).length > 0 ? { configs } : {}) } };
    }
    case 'delete-topic': return { f, value: { name } };
    case 'create-partitions': return { f, value: { name, count: random.intBetween(1, workload.partitionsMax + 2) } };
    case 'alter-config': return { f, value: { name, configs: random.pick(CONFIG_CHOICES) } };
    case 'describe-topic': return { f, value: { name } };
    case 'describe-configs': return { f, value: { name } };
    case 'list-topics': return { f, value: {} };
  }
}

/** Each weights table as a list with its total, built once (a draw per operation must not allocate). */
const weightLists = new WeakMap<Readonly<Record<TopicFunction, number>>, { entries: [TopicFunction, number][]; total: number }>();

function pickWeighted(weights: Readonly<Record<TopicFunction, number>>, random: SeededRandom): TopicFunction {
  let list = weightLists.get(weights);
  if (list === undefined) {
    const entries = Object.entries(weights) as [TopicFunction, number][];
    list = { entries, total: entries.reduce((sum, [, weight]) => sum + weight, 0) };
    weightLists.set(weights, list);
  }
  let draw = random.nextFloat() * list.total;
  for (const [f, weight] of list.entries) {
    draw -= weight;
    if (draw < 0) return f;
  }
  return (list.entries[list.entries.length - 1] as [TopicFunction, number])[0];
}
