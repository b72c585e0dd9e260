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
  /**
   * Most topics one create-topic request creates together (a CreateTopics of several topics, one
   * write on the controller); absent or 1: one topic per request. Drawn for a share of the runs.
   */
  createBatchMax?: number;
}

/** The share of runs whose clients create several topics in one request some of the time. */
const CREATE_BATCH_RUN_SHARE = 0.3;
/** In such a run, the share of creates sent with other topics. */
const CREATE_BATCH_SHARE = 0.5;

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
/** The one choice of CONFIG_CHOICES with no configs. */
const NO_CONFIGS: Readonly<Record<string, string>> = {};
const CONFIG_CHOICES: readonly Record<string, string>[] = [
  NO_CONFIGS,
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
  const workload: WorkloadConfig = { kind: 'topics', topicNames: TOPIC_NAME_POOL.slice(0, random.intBetween(2, 4)), weights, partitionsMax: 4 };
  // A stream of its own: the runs without batches draw exactly what they drew before.
  const batches = random.fork('create-batches');
  if (batches.nextFloat() < CREATE_BATCH_RUN_SHARE) workload.createBatchMax = batches.intBetween(2, 3);
  return workload;
}

export interface PlannedOperation {
  f: TopicFunction;
  value: unknown;
  /** create-topic operations sent in the same request (world.ts ClientOperation.together). */
  together?: PlannedOperation[];
}

function createTopicValue(workload: WorkloadConfig, random: SeededRandom, name: string): unknown {
  const configs = random.pick(CONFIG_CHOICES);
  // Built field by field (the same keys in the same order): a spread of `{}` or `{ configs }` and a
  // list of the configs' keys were made for every create.
  const value: { name: string; partitions: number; configs?: Record<string, string> } = { name, partitions: random.intBetween(1, workload.partitionsMax) };
  if (configs !== NO_CONFIGS) value.configs = configs;
  return value;
}

export function nextOperation(workload: WorkloadConfig, random: SeededRandom): PlannedOperation {
  const f = pickWeighted(workload.weights, random);
  const name = random.pick(workload.topicNames);
  switch (f) {
    case 'create-topic': {
      const operation: PlannedOperation = { f, value: createTopicValue(workload, random, name) };
      const batchMax = Math.min(workload.createBatchMax ?? 1, workload.topicNames.length);
      if (batchMax > 1 && random.nextFloat() < CREATE_BATCH_SHARE) {
        // Other names of the pool, each once: one request never names a topic twice.
        const others = workload.topicNames.filter((other) => other !== name);
        const together: PlannedOperation[] = [];
        for (let n = random.intBetween(1, batchMax - 1); n > 0; n--) {
          const other = others.splice(random.intBetween(0, others.length - 1), 1)[0]!;
          together.push({ f, value: createTopicValue(workload, random, other) });
        }
        operation.together = together;
      }
      return operation;
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
  const entries = list.entries;
  for (let i = 0; i < entries.length; i++) {
    draw -= entries[i]![1];
    if (draw < 0) return entries[i]![0];
  }
  return (list.entries[list.entries.length - 1] as [TopicFunction, number])[0];
}
