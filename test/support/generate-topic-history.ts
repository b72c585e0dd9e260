/**
 * Generates topic-metadata histories that are linearizable by construction, for the topics model's
 * tests and the checker benchmark (100,000 calls from 10 clients).
 *
 * A sequential execution of the topics model (applyTopicCall) runs underneath: clients invoke
 * calls at random moments, each call takes effect at one instant between its invocation and its
 * completion (its linearization point), and the answer recorded is the one the model gives at that
 * instant. So the order of linearization points is a witness. Some calls end in `info` (a timeout:
 * the effect may or may not have happened; both are generated) and then, as in Jepsen, the client
 * continues as a new process; some end in `fail` without effect. Topic ids are handed out on each
 * successful create and echoed by describes, as Kafka does.
 *
 * `corruptRead` changes the answer of one describe-topic to a partition count no topic ever had,
 * which no linearization can explain.
 *
 * Everything random comes from one seed.
 */
import type { Operation } from '../../src/history/operation.js';
import type { Call } from '../../src/checker/model.js';
import { applyTopicCall } from '../../src/checker/models/topics-step.js';
import { EMPTY_TOPICS_STATE, topicEntry, type TopicsState } from '../../src/checker/models/topics-state.js';

export interface TopicHistoryOptions {
  seed: number;
  /** How many calls to invoke in all. */
  calls: number;
  clients: number;
  /** Size of the bounded set of topic names ("t0".."t{n-1}"). */
  topicNames?: number;
  /** Chance that a call ends in info (half of them after taking effect, half without). */
  infoRate?: number;
  /** Chance that a call ends in fail (certainly no effect). */
  failRate?: number;
  corruptRead?: boolean;
}

export interface GeneratedTopicHistory {
  operations: Operation[];
  /** The same history paired into calls (fails dropped, info open-ended), ids in invocation order. */
  calls: Call[];
  /** Call id of the corrupted read, when `corruptRead` was asked. */
  corruptedCallId?: number;
}

/** How a call ends, decided when it is invoked. */
type Fate = 'ok' | 'fail' | 'info-without-effect' | 'info-after-effect';

interface Pending {
  call: Call;
  fate: Fate;
  linearized: boolean;
  /** The answer given at the linearization point. */
  output?: unknown;
}

const WEIGHTED_FUNCTIONS: ReadonlyArray<[string, number]> = [
  ['create-topic', 16],
  ['delete-topic', 8],
  ['create-partitions', 10],
  ['alter-config', 10],
  ['describe-topic', 26],
  ['describe-configs', 16],
  ['list-topics', 4],
];
const CONFIG_KEYS = ['retention.ms', 'cleanup.policy', 'max.message.bytes'];
const CONFIG_VALUES = ['1', '2', '3'];

export function generateTopicHistory(options: TopicHistoryOptions): GeneratedTopicHistory {
  if (!Number.isInteger(options.calls) || options.calls < 0) throw new Error(`calls must be a natural number, got ${options.calls}`);
  if (!Number.isInteger(options.clients) || options.clients < 1) throw new Error(`clients must be at least 1, got ${options.clients}`);
  const random = seededRandom(options.seed);
  const topicNames = Array.from({ length: options.topicNames ?? 6 }, (_, i) => `t${i}`);
  const infoRate = options.infoRate ?? 0.02;
  const failRate = options.failRate ?? 0.01;

  const operations: Operation[] = [];
  const calls: Call[] = [];
  const pending: (Pending | null)[] = Array.from({ length: options.clients }, () => null);
  const processOf = Array.from({ length: options.clients }, (_, client) => client);
  const topicIds = new Map<string, string>();
  let nextTopicId = 0;
  let state: TopicsState = EMPTY_TOPICS_STATE;
  let invoked = 0;
  let open = 0;
  let timeNs = 0;

  const record = (op: Omit<Operation, 'index' | 'timeNs'>): Operation => {
    const operation: Operation = { index: operations.length, timeNs, ...op };
    operations.push(operation);
    return operation;
  };

  while (invoked < options.calls || open > 0) {
    timeNs += 1_000 + Math.floor(random() * 100_000);
    const client = Math.floor(random() * options.clients);
    const current = pending[client] ?? null;
    if (current === null) {
      if (invoked >= options.calls) continue;
      const [f, input] = chooseCall(random, state, topicNames);
      const invoke = record({ type: 'invoke', process: processOf[client] ?? client, f, value: input });
      const call: Call = {
        id: -1, process: invoke.process, f, input, output: undefined, outputKnown: false,
        invokeIndex: invoke.index, completeIndex: null, invokeTimeNs: timeNs, completeTimeNs: Infinity,
      };
      pending[client] = { call, fate: chooseFate(random, failRate, infoRate), linearized: false };
      invoked++;
      open++;
      continue;
    }
    if (current.fate === 'fail') {
      record({ type: 'fail', process: current.call.process, f: current.call.f, value: current.call.input, error: 'NOT_CONTROLLER' });
    } else if (!current.linearized && current.fate !== 'info-without-effect') {
      const applied = applyTopicCall(state, current.call.f, current.call.input);
      state = applied.next;
      current.output = withTopicIds(current.call, applied.output, topicIds, () => `id-${nextTopicId++}`);
      current.linearized = true;
      continue;
    } else if (current.fate === 'ok') {
      const ok = record({ type: 'ok', process: current.call.process, f: current.call.f, value: current.output });
      calls.push({ ...current.call, output: current.output, outputKnown: true, completeIndex: ok.index, completeTimeNs: timeNs });
    } else {
      // A timeout: the effect happened (info-after-effect) or never will (info-without-effect).
      record({ type: 'info', process: current.call.process, f: current.call.f, value: current.call.input, error: 'timeout' });
      calls.push(current.call);
      processOf[client] = (processOf[client] ?? client) + options.clients;
    }
    pending[client] = null;
    open--;
  }

  calls.sort((a, b) => a.invokeIndex - b.invokeIndex);
  calls.forEach((call, id) => { call.id = id; });
  const generated: GeneratedTopicHistory = { operations, calls };
  if (options.corruptRead === true) generated.corruptedCallId = corruptOneRead(random, generated);
  return generated;
}

function chooseFate(random: () => number, failRate: number, infoRate: number): Fate {
  const roll = random();
  if (roll < failRate) return 'fail';
  if (roll < failRate + infoRate / 2) return 'info-without-effect';
  if (roll < failRate + infoRate) return 'info-after-effect';
  return 'ok';
}

function chooseCall(random: () => number, state: TopicsState, topicNames: string[]): [string, unknown] {
  const f = pickWeighted(random, WEIGHTED_FUNCTIONS);
  const name = pick(random, topicNames);
  switch (f) {
    case 'create-topic':
      return [f, { name, partitions: 1 + Math.floor(random() * 3), configs: randomConfigs(random) }];
    case 'create-partitions':
      // Around the current count, so both growth and INVALID_PARTITIONS happen.
      return [f, { name, count: Math.max(1, topicEntry(state, name).partitions + Math.floor(random() * 4) - 1) }];
    case 'alter-config':
      return [f, { name, configs: randomConfigs(random) }];
    case 'list-topics':
      return [f, {}];
    default:
      return [f, { name }];
  }
}

/** Kafka hands out a fresh id on each create and echoes it on describe. */
function withTopicIds(call: Call, output: unknown, topicIds: Map<string, string>, freshId: () => string): unknown {
  const name = (call.input as { name?: string }).name ?? '';
  const answer = output as Record<string, unknown>;
  if (call.f === 'create-topic' && answer.created === true) {
    const topicId = freshId();
    topicIds.set(name, topicId);
    return { ...answer, topicId };
  }
  if (call.f === 'delete-topic' && answer.deleted === true) topicIds.delete(name);
  if (call.f === 'describe-topic' && typeof answer.partitions === 'number') {
    return { ...answer, topicId: topicIds.get(name) };
  }
  return output;
}

function corruptOneRead(random: () => number, history: GeneratedTopicHistory): number {
  const reads = history.calls.filter((call) => call.outputKnown && READS.has(call.f));
  if (reads.length === 0) throw new Error('corruptRead: the history has no completed read to corrupt');
  const victim = pick(random, reads);
  victim.output = impossibleAnswer(victim, history.calls);
  const completion = history.operations[victim.completeIndex ?? -1];
  if (completion === undefined) throw new Error('corruptRead: the victim has no completion');
  completion.value = victim.output;
  return victim.id;
}

const READS: ReadonlySet<string> = new Set(['describe-topic', 'describe-configs', 'list-topics']);

/** An answer no state of the history can give: a count, config or name that nothing ever wrote. */
function impossibleAnswer(read: Call, calls: readonly Call[]): unknown {
  const name = (read.input as { name?: string }).name ?? '';
  switch (read.f) {
    case 'describe-topic': {
      // Every partition count comes from some call's input, even those whose outcome is unknown.
      const largest = calls.reduce((most, call) => Math.max(most, largestRequestedCount(call)), 0);
      return { name, partitions: largest + 1 };
    }
    case 'describe-configs':
      return { configs: { 'never.written': 'x' } };
    default:
      return { topics: [...(read.output as { topics: string[] }).topics, 'never-created'].sort() };
  }
}

function largestRequestedCount(call: Call): number {
  const input = call.input as { partitions?: number; count?: number };
  return Math.max(input.partitions ?? 0, input.count ?? 0);
}

function randomConfigs(random: () => number): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const configKey of CONFIG_KEYS) if (random() < 0.4) configs[configKey] = pick(random, CONFIG_VALUES);
  return configs;
}

function pickWeighted(random: () => number, weighted: ReadonlyArray<[string, number]>): string {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [item, weight] of weighted) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return weighted[weighted.length - 1]?.[0] ?? '';
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** sfc32, seeded through splitmix32: small, fast, and the same on every platform. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(), b = splitmix(), c = splitmix(), d = splitmix();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
