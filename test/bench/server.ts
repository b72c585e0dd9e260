/**
 * The real server's figures: quorumd processes on loopback, measured end to end over the Kafka
 * protocol. No assertions: each figure is printed with its target.
 *
 *   node --import tsx test/bench/server.ts [create-topics] [failover] [failover-rejoining] [recovery]
 *
 * or imported by test/bench/run.ts: SERVER_BENCHMARKS has the same { name, summary, run } shape
 * as its entries; a figure may carry targetMax (a time that should stay below it) as well as
 * targetMin.
 *
 * - create-topics: CreateTopics per second on 3 combined nodes, with many topics per request and
 *   several concurrent client connections (our Kafka client, so the client is not the bottleneck).
 * - failover: time from kill -9 of the leader to the next acknowledged CreateTopics, over 20
 *   trials (QUORUMD_BENCH_FAILOVER_TRIALS), with the default 1 s election timeout; p50, p99, max,
 *   and where the time goes step by step (support/failover-timeline.ts), p50/p99 of each step
 *   after the kill and after the step before. QUORUMD_BENCH_VERBOSE=1 prints every trial. Each
 *   trial starts once the node killed in the trial before has caught up again (three live voters).
 * - failover-rejoining: the same without that wait, so the leader dies while the previous victim is
 *   still restarting: what this benchmark measured before (p50 2.2 s), kept as its own figure.
 * - recovery: restart time of a node whose metadata log holds 1,000,000 partitions (with
 *   snapshots), until its Kafka port answers Metadata with every topic; and the nodes' peak RSS.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTopicsApi } from '../../src/kafka/apis/create-topics/index.js';
import { KafkaClientConnection } from '../../src/kafka/client/kafka-client-connection.js';
import { FAILOVER_STEPS, failoverTimeline, type FailoverRecords, type FailoverTimeline } from '../integration/support/failover-timeline.js';
import { LocalCluster, waitFor } from '../integration/support/local-cluster.js';
import { metadataApi } from '../../src/kafka/apis/metadata/index.js';

export interface ServerFigure {
  name: string;
  value: number;
  unit: string;
  targetMin?: number;
  targetMax?: number;
  note?: string;
}

export interface ServerBenchmark {
  name: string;
  summary: string;
  run(): Promise<ServerFigure[]>;
}

/** KRaft's default timeouts (1 s election timeout): the benchmarks measure with those. */
const DEFAULT_TIMEOUTS: Record<string, string> = {};
/** QUORUMD_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the nodes. */
const NODE_ARGS = (process.env.QUORUMD_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

export const SERVER_BENCHMARKS: ServerBenchmark[] = [
  { name: 'create-topics', summary: 'CreateTopics per second, 3 combined nodes on loopback, batched, 4 concurrent clients', run: createTopicsThroughput },
  { name: 'failover', summary: 'kill -9 of the leader to the next acknowledged CreateTopics, 20 trials, 1 s election timeout', run: () => failoverTime(true) },
  {
    name: 'failover-rejoining', run: () => failoverTime(false),
    summary: 'as failover, but each trial kills the leader while the node killed in the trial before is still restarting (one voter short)',
  },
  { name: 'recovery', summary: 'restart of a node whose metadata log holds 1,000,000 partitions (snapshots on), and peak RSS', run: restartRecovery },
];

// ---------------------------------------------------------------- create-topics

async function createTopicsThroughput(): Promise<ServerFigure[]> {
  const cluster = await LocalCluster.start({ controllers: 3, properties: DEFAULT_TIMEOUTS, nodeArgs: NODE_ARGS });
  try {
    const clients = 4;
    const requestsPerClient = 25;
    const topicsPerRequest = 200;
    // Warm-up: module JIT and connection set-up are not measured.
    await createBatches(cluster, 'warm', 2, 2, 50);
    const startedMs = performance.now();
    const { created, failed } = await createBatches(cluster, 'bench', clients, requestsPerClient, topicsPerRequest);
    const seconds = (performance.now() - startedMs) / 1000;
    return [
      { name: 'topics created per second', value: created / seconds, unit: 'topics/s', targetMin: 5000,
        note: `${created} topics (1 partition, RF 3) in ${seconds.toFixed(2)} s; ${clients} clients × ${requestsPerClient} requests × ${topicsPerRequest} topics; ${failed} refused` },
      ...await peakRss(cluster, 'after create-topics'),
    ];
  } finally {
    await cluster.stop();
  }
}

async function createBatches(cluster: LocalCluster, prefix: string, clients: number, requests: number, topicsPerRequest: number) {
  const servers = cluster.bootstrapServers;
  let created = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    const [host, port] = servers[client % servers.length]!.split(':') as [string, string];
    const connection = await KafkaClientConnection.connect({ host, port: Number(port) });
    try {
      for (let r = 0; r < requests; r++) {
        const topics = Array.from({ length: topicsPerRequest }, (_, t) => ({
          name: `${prefix}-${client}-${r}-${t}`, numPartitions: 1, replicationFactor: 3, assignments: [], configs: [],
        }));
        const response = await connection.request(createTopicsApi, 3, { topics, timeoutMs: 30_000, validateOnly: false });
        for (const topic of response.topics) {
          if (topic.errorCode === 0) created++;
          else failed++;
        }
      }
    } finally {
      await connection.close();
    }
  }));
  return { created, failed };
}

// ---------------------------------------------------------------- failover

/**
 * `rejoined`: before each trial, wait until the node killed in the trial before caught up again,
 * so every trial starts from three live voters. Without it, the next kill can come while that
 * node is still starting (tsx start-up takes about a second on a loaded machine), so the two
 * survivors are one live voter and one that is booting: a different, slower case.
 */
async function failoverTime(rejoined: boolean): Promise<ServerFigure[]> {
  const trials = Number(process.env.QUORUMD_BENCH_FAILOVER_TRIALS ?? 20);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`QUORUMD_BENCH_FAILOVER_TRIALS must be a positive integer, got ${process.env.QUORUMD_BENCH_FAILOVER_TRIALS}`);
  const trialTimeoutMs = 20_000;
  const cluster = await LocalCluster.start({ controllers: 3, properties: DEFAULT_TIMEOUTS, nodeArgs: NODE_ARGS });
  const timesMs: number[] = [];
  const steps: TrialSteps[] = [];
  const codesAfterCommit = new Map<number, number>();
  let stuck = 0;
  try {
    for (let trial = 0; trial < trials; trial++) {
      const report = await cluster.waitUntilReady(60_000);
      const leader = report.quorum.leaderId;
      const killedAtNs = process.hrtime.bigint();
      const killedAtWallMs = Date.now();
      const killedMs = performance.now();
      await cluster.kill(leader);
      const probe = await firstAcknowledgedCreate(cluster, leader, `failover-${trial}`, killedMs + trialTimeoutMs);
      if (probe.acknowledgedMs === null) {
        stuck++;
      } else {
        const acknowledgedMs = probe.acknowledgedMs - killedMs;
        timesMs.push(acknowledgedMs);
        const timeline = failoverTimeline(await failoverRecords(cluster, leader, killedAtNs, killedAtWallMs));
        // The client's view: its first answer (of any kind) once the new epoch was committed.
        const committedMs = timeline.epochCommittedMs ?? Infinity;
        const after = probe.answers.map((a) => ({ atMs: a.atMs - killedMs, code: a.code })).filter((a) => a.atMs >= committedMs);
        for (const answer of after) codesAfterCommit.set(answer.code, (codesAfterCommit.get(answer.code) ?? 0) + 1);
        steps.push({ ...timeline, answeredMs: after[0]?.atMs ?? null, acknowledgedMs });
        if (process.env.QUORUMD_BENCH_VERBOSE !== undefined) console.log(`  trial ${trial}: ${formatTrial(steps.at(-1)!)}`);
      }
      // The next trial needs all three voters again: a restarted node counts as a registered
      // broker at once (its registration outlives it), so wait until the leader saw it caught up.
      const restartedAtWallMs = Date.now();
      await cluster.startNode(leader);
      if (rejoined) await cluster.waitUntilCaughtUp(leader, restartedAtWallMs, 60_000);
    }
  } finally {
    await cluster.stop();
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  const note = `${timesMs.length} of ${trials} trials recovered; ${stuck} got no acknowledged CreateTopics within ${trialTimeoutMs / 1000} s`;
  const codes = [...codesAfterCommit].sort((a, b) => a[0] - b[0]).map(([code, n]) => `${code}: ${n}`).join(', ');
  return [
    { name: 'failover p50', value: quantile(sorted, 0.5), unit: 'ms', note },
    { name: 'failover p99', value: quantile(sorted, 0.99), unit: 'ms', targetMax: 2000 },
    { name: 'failover max', value: sorted.at(-1) ?? NaN, unit: 'ms' },
    ...stepFigures(steps),
    { name: 'client answers after the epoch committed', value: [...codesAfterCommit.values()].reduce((a, b) => a + b, 0), unit: 'answers',
      note: `by error code (0 created, 36 already exists, 7 request timed out): ${codes === '' ? 'none' : codes}` },
  ];
}

type TrialSteps = FailoverTimeline & { answeredMs: number | null; acknowledgedMs: number };

const TRIAL_STEPS = [
  ...FAILOVER_STEPS,
  ['answeredMs', 'client: first answer after the commit'],
  ['acknowledgedMs', 'client: CreateTopics acknowledged'],
] as const;

/** Per step: when it happened after the kill, and how long it took after the step before (p50/p99). */
function stepFigures(steps: TrialSteps[]): ServerFigure[] {
  return TRIAL_STEPS.map(([field, label], index) => {
    const since = steps.map((s) => s[field]).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const previous = index === 0 ? null : TRIAL_STEPS[index - 1]![0];
    const deltas = steps.flatMap((s) => {
      const at = s[field];
      const before = previous === null ? 0 : s[previous];
      return at === null || before === null ? [] : [at - before];
    }).sort((a, b) => a - b);
    return {
      name: `step ${index + 1}, ${label}: after the kill p50`, value: quantile(since, 0.5), unit: 'ms',
      note: `after the kill p99 ${quantile(since, 0.99).toFixed(0)} ms; ` +
        `after the step before p50 ${quantile(deltas, 0.5).toFixed(0)} ms, p99 ${quantile(deltas, 0.99).toFixed(0)} ms; ` +
        `seen in ${since.length} of ${steps.length} trials`,
    };
  });
}

function formatTrial(steps: TrialSteps): string {
  return TRIAL_STEPS.map(([field, label]) => `${label} ${steps[field] === null ? '-' : steps[field].toFixed(0)}`).join(', ') +
    ` (new leader ${steps.newLeader}, epoch ${steps.newEpoch})`;
}

/** The nearest-rank quantile of ascending `sorted`; NaN when empty. */
function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function failoverRecords(cluster: LocalCluster, killed: number, killedAtNs: bigint, killedAtWallMs: number): Promise<FailoverRecords> {
  const survivors = await Promise.all([...cluster.nodes.values()].filter((n) => n.nodeId !== killed).map(async (node) => ({
    nodeId: node.nodeId,
    eventLog: await readFile(join(cluster.directory, `data-${node.nodeId}`, 'quorumd-events.jsonl'), 'utf8').catch(() => ''),
    output: node.output.join(''),
  })));
  return { killedLeader: killed, killedAtNs, killedAtWallMs, survivors };
}

interface ProbeResult {
  /** performance.now() of the first acknowledgement; null when none came before the deadline. */
  acknowledgedMs: number | null;
  /** Every answer a survivor gave (performance.now() and error code); connection failures are not answers. */
  answers: { atMs: number; code: number }[];
}

/**
 * Starts a CreateTopics of one topic at a survivor every ATTEMPT_INTERVAL_MS (alternating
 * survivors, overlapping, each on a fresh connection with a 1 s timeout) until one is
 * acknowledged. Overlapping attempts keep the measurement's resolution at the interval rather
 * than at one attempt's timeout, and a fresh connection has no cached metadata to refresh: this
 * measures quorumd, not a client's retry backoff. A later attempt answered TOPIC_ALREADY_EXISTS
 * means an earlier one took effect, so it counts as acknowledged at that moment.
 */
async function firstAcknowledgedCreate(cluster: LocalCluster, killed: number, topic: string, deadlineMs: number): Promise<ProbeResult> {
  const ports = [...cluster.nodes.values()].filter((n) => n.nodeId !== killed && n.brokerPort !== null).map((n) => n.brokerPort!);
  const result: ProbeResult = { acknowledgedMs: null, answers: [] };
  const attempts: Promise<void>[] = [];
  for (let attempt = 0; result.acknowledgedMs === null && performance.now() < deadlineMs; attempt++) {
    attempts.push(createOnce(ports[attempt % ports.length]!, topic).then((code) => {
      if (code === null) return;
      const atMs = performance.now();
      result.answers.push({ atMs, code });
      if (code === 0 || code === 36) result.acknowledgedMs ??= atMs;
    }));
    await new Promise((resolve) => setTimeout(resolve, ATTEMPT_INTERVAL_MS));
  }
  await Promise.all(attempts);
  result.answers.sort((a, b) => a.atMs - b.atMs);
  return result;
}

const ATTEMPT_INTERVAL_MS = 25;

/** The error code a survivor answered one CreateTopics with; null when it did not answer. */
async function createOnce(port: number, topic: string): Promise<number | null> {
  try {
    const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 500 });
    try {
      const response = await connection.request(createTopicsApi, 3, {
        topics: [{ name: topic, numPartitions: 1, replicationFactor: 2, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false,
      });
      return response.topics[0]!.errorCode;
    } finally {
      await connection.close();
    }
  } catch {
    // Connection refused or closed while the cluster elects.
    return null;
  }
}

// ---------------------------------------------------------------- recovery and memory

async function restartRecovery(): Promise<ServerFigure[]> {
  const topics = 100;
  const partitionsPerTopic = 10_000; // KRaft's bound on partitions per write
  const cluster = await LocalCluster.start({
    controllers: 3, properties: { ...DEFAULT_TIMEOUTS, 'metadata.snapshot.interval.entries': '20' }, nodeArgs: NODE_ARGS,
  });
  try {
    const [host, port] = cluster.bootstrapServers[0]!.split(':') as [string, string];
    const connection = await KafkaClientConnection.connect({ host, port: Number(port) });
    const loadStartedMs = performance.now();
    try {
      // One 10,000-partition topic per request: ten at once time out on today's node (see report).
      for (let t = 0; t < topics; t++) {
        const batch = [{ name: `big-${t}`, numPartitions: partitionsPerTopic, replicationFactor: 3, assignments: [], configs: [] }];
        const response = await connection.request(createTopicsApi, 3, { topics: batch, timeoutMs: 120_000, validateOnly: false });
        const refused = response.topics.filter((x) => x.errorCode !== 0);
        if (refused.length > 0) throw new Error(`creating ${refused[0]!.name} failed with error ${refused[0]!.errorCode}: ${refused[0]!.errorMessage}`);
      }
    } finally {
      await connection.close();
    }
    const loadSeconds = (performance.now() - loadStartedMs) / 1000;
    const rssBefore = await peakRss(cluster, `holding ${topics * partitionsPerTopic} partitions`);
    const report = await cluster.waitUntilReady(60_000);
    const victim = [...cluster.nodes.keys()].find((id) => id !== report.quorum.leaderId)!;
    await cluster.kill(victim);
    const restartedMs = performance.now();
    await cluster.startNode(victim);
    // Its Kafka port answering at all is the process start-up (tsx included), the baseline.
    await waitFor(async () => ((await topicOnNode(cluster.node(victim).brokerPort!, 'none')) !== null ? true : null), 120_000,
      () => `node ${victim} did not listen within 120 s\n${cluster.outputs()}`);
    const listeningSeconds = (performance.now() - restartedMs) / 1000;
    // The log applies in order, so the last topic answered by the node itself means all are back.
    // (Asking for every topic would make each probe a million-partition response.)
    const last = `big-${topics - 1}`;
    await waitFor(async () => ((await topicOnNode(cluster.node(victim).brokerPort!, last)) === 0 ? true : null), 120_000,
      () => `node ${victim} did not recover within 120 s\n${cluster.outputs()}`);
    const recoverySeconds = (performance.now() - restartedMs) / 1000;
    return [
      { name: 'restart recovery, 1,000,000 partitions', value: recoverySeconds * 1000, unit: 'ms', targetMax: 10_000,
        note: `node ${victim} killed -9 and restarted; until its own Metadata answers ${last} (listening after ${listeningSeconds.toFixed(1)} s; ` +
          `creating the ${topics} topics took ${loadSeconds.toFixed(1)} s)` },
      ...rssBefore,
      ...await peakRss(cluster, 'after the restart'),
    ];
  } finally {
    await cluster.stop();
  }
}

/** The error code the node at `port` answers Metadata for `topic` with; null when it does not answer. */
async function topicOnNode(port: number, topic: string): Promise<number | null> {
  try {
    const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 1000 });
    try {
      const response = await connection.request(metadataApi, 6, { topics: [topic], allowAutoTopicCreation: false });
      return response.topics[0]?.errorCode ?? null;
    } finally {
      await connection.close();
    }
  } catch {
    return null;
  }
}

/** Peak resident set size (VmHWM) of each running node process. */
async function peakRss(cluster: LocalCluster, when: string): Promise<ServerFigure[]> {
  const figures: ServerFigure[] = [];
  for (const node of cluster.nodes.values()) {
    const pid = node.process?.pid;
    if (pid === undefined) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (match !== null) figures.push({ name: `node ${node.nodeId} peak RSS (${when})`, value: Number(match[1]) / 1024, unit: 'MiB' });
  }
  return figures;
}

// ---------------------------------------------------------------- standalone

export function formatFigure(figure: ServerFigure): string {
  const targets: string[] = [];
  if (figure.targetMin !== undefined) targets.push(`target ≥ ${figure.targetMin}: ${figure.value >= figure.targetMin ? 'met' : 'NOT met'}`);
  if (figure.targetMax !== undefined) targets.push(`target < ${figure.targetMax}: ${figure.value < figure.targetMax ? 'met' : 'NOT met'}`);
  const line = `  ${figure.name}: ${figure.value.toFixed(1)} ${figure.unit}${targets.length > 0 ? ` (${targets.join('; ')})` : ''}`;
  return figure.note === undefined ? line : `${line}\n    ${figure.note}`;
}

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !SERVER_BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${SERVER_BENCHMARKS.map((b) => b.name).join(', ')}`);
  for (const benchmark of SERVER_BENCHMARKS.filter((b) => names.length === 0 || names.includes(b.name))) {
    console.log(`\n${benchmark.name}: ${benchmark.summary}`);
    try {
      for (const figure of await benchmark.run()) console.log(formatFigure(figure));
    } catch (error) {
      console.log(`  failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
