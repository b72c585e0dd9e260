/**
 * The real server's figures: quorumd processes on loopback, measured end to end over the Kafka
 * protocol. No assertions: each figure is printed with its target.
 *
 *   node --import tsx test/bench/server.ts [create-topics] [failover] [failover-rejoining] [recovery] [scale-2m] [leader-rebuild]
 *
 * or imported by test/bench/run.ts: SERVER_BENCHMARKS has the same { name, summary, run } shape
 * as its entries; a figure may carry targetMax (a time that should stay below it) as well as
 * targetMin.
 *
 * - create-topics: CreateTopics per second on 3 combined nodes, with many topics per request and
 *   several concurrent client connections (our Kafka client, so the client is not the bottleneck).
 *   QUORUMD_BENCH_BASELINE=<commit>[,<commit>...] measures those commits' quorumd beside this one,
 *   rounds alternating (baseline-checkout.ts); QUORUMD_BENCH_VERBOSE=1 prints every round.
 * - failover: time from kill -9 of the leader to the next acknowledged CreateTopics, over 20
 *   trials (QUORUMD_BENCH_FAILOVER_TRIALS), with the default 1 s election timeout; p50, p99, max,
 *   and where the time goes step by step (support/failover-timeline.ts), p50/p99 of each step
 *   after the kill and after the step before. QUORUMD_BENCH_VERBOSE=1 prints every trial. Each
 *   trial starts once the node killed in the trial before has caught up again (three live voters).
 * - failover-rejoining: the same without that wait, so the leader dies while the previous victim is
 *   still restarting: what this benchmark measured before (p50 2.2 s), kept as its own figure.
 * - recovery, scale-2m: a node's restart with 1,000,000 and 2,000,000 partitions, memory, and how
 *   long snapshots block the event loop (scale-bench.ts).
 * - leader-rebuild: a new leader elected with a 1,000,000-partition fencing uncommitted in its log,
 *   in one process (leader-rebuild-bench.ts): its longest input and check-quorum resignations.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTopicsApi } from '../../src/kafka/apis/create-topics/index.js';
import { KafkaClientConnection } from '../../src/kafka/client/kafka-client-connection.js';
import { FAILOVER_STEPS, failoverTimeline, type FailoverRecords, type FailoverTimeline } from '../integration/support/failover-timeline.js';
import { LocalCluster } from '../integration/support/local-cluster.js';
import { baselinesFromEnvironment } from './baseline-checkout.js';
import { SCALE_BENCHMARKS } from './scale-bench.js';
import { assertBuilt, BUILT_NODES, DEFAULT_TIMEOUTS, NODE_ARGS, nodeCpuMs, peakRss, quantile, type ServerBenchmark, type ServerFigure } from './server-figures.js';

export type { ServerBenchmark, ServerFigure } from './server-figures.js';

export const SERVER_BENCHMARKS: ServerBenchmark[] = [
  { name: 'create-topics', summary: 'CreateTopics per second, 3 combined nodes on loopback, batched, 4 concurrent clients', run: createTopicsThroughput },
  { name: 'failover', summary: 'kill -9 of the leader to the next acknowledged CreateTopics, 20 trials, 1 s election timeout', run: () => failoverTime(true) },
  {
    name: 'failover-rejoining', run: () => failoverTime(false),
    summary: 'as failover, but each trial kills the leader while the node killed in the trial before is still restarting (one voter short)',
  },
  ...SCALE_BENCHMARKS,
];

// ---------------------------------------------------------------- create-topics

/**
 * With QUORUMD_BENCH_BASELINE=<commit>, that commit's quorumd is measured too, in the same run:
 * rounds alternate between the two (QUORUMD_BENCH_ROUNDS each, default 2), so both see the same
 * machine load, and the figures are each one's median and their ratio.
 */
async function createTopicsThroughput(): Promise<ServerFigure[]> {
  await assertBuilt();
  const baselines = await baselinesFromEnvironment();
  try {
    if (BUILT_NODES) for (const baseline of baselines) await baseline.build();
    const rounds = Number(process.env.QUORUMD_BENCH_ROUNDS ?? (baselines.length === 0 ? 1 : 2));
    if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`QUORUMD_BENCH_ROUNDS must be a positive integer, got ${process.env.QUORUMD_BENCH_ROUNDS}`);
    const variants = [
      ...baselines.map((baseline) => ({ label: `baseline ${baseline.description}`, root: baseline.root as string | undefined })),
      { label: 'this checkout', root: undefined },
    ];
    const rates = variants.map(() => [] as number[]);
    const cpus = variants.map(() => [] as number[]);
    let last: ServerFigure[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const [index, variant] of variants.entries()) {
        const run = await createTopicsRound(variant.root);
        rates[index]!.push(run.rate);
        cpus[index]!.push(run.cpuMsPerThousand);
        if (process.env.QUORUMD_BENCH_VERBOSE === '1') {
          console.log(`  round ${round + 1}, ${variant.label.slice(0, 60)}: ${run.rate.toFixed(0)} topics/s, ` +
            `${run.cpuMsPerThousand.toFixed(0)} node CPU ms per 1,000 topics (load ${loadavg()[0]!.toFixed(1)})`);
        }
        if (variant.root === undefined) last = [run.figure, ...run.rss];
      }
    }
    const medians = rates.map((r) => quantile([...r].sort((x, y) => x - y), 0.5));
    const figures = variants.map((variant, index): ServerFigure => ({
      name: `topics created per second, ${variant.label}`, value: medians[index]!, unit: 'topics/s',
      ...(variant.root === undefined ? { targetMin: 10_000 } : {}),
      note: `median of ${rounds} round(s): ${rates[index]!.map((r) => r.toFixed(0)).join(', ')}; load average ${loadavg()[0]!.toFixed(1)}`,
    }));
    // CPU time per topic, summed over the three nodes: what the code costs, less the neighbours' share.
    const cpuMedians = cpus.map((c) => quantile([...c].sort((x, y) => x - y), 0.5));
    for (const [index, variant] of variants.entries()) {
      figures.push({ name: `node CPU per 1,000 topics (3 nodes summed), ${variant.label}`, value: cpuMedians[index]!, unit: 'ms',
        note: `median of ${rounds} round(s): ${cpus[index]!.map((c) => c.toFixed(0)).join(', ')}` });
    }
    const current = medians[medians.length - 1]!;
    for (const [index, baseline] of baselines.entries()) {
      figures.push({ name: `this checkout / baseline ${baseline.commit.slice(0, 7)}`, value: current / medians[index]!, unit: '×' });
    }
    return [...figures, ...last];
  } finally {
    await Promise.all(baselines.map((baseline) => baseline.remove()));
  }
}

async function createTopicsRound(repositoryRoot: string | undefined): Promise<{ rate: number; cpuMsPerThousand: number; figure: ServerFigure; rss: ServerFigure[] }> {
  const cluster = await LocalCluster.start({ controllers: 3, properties: DEFAULT_TIMEOUTS, nodeArgs: NODE_ARGS, repositoryRoot, built: BUILT_NODES });
  try {
    // A profile's file is named by pid: say which node each is, and which one leads.
    if (NODE_ARGS.some((arg) => arg.startsWith('--cpu-prof'))) {
      const leader = (await cluster.waitUntilReady()).quorum.leaderId;
      console.log(`  profiled nodes: ${[1, 2, 3].map((id) => `node ${id} pid ${cluster.node(id).process?.pid}${id === leader ? ' (leader)' : ''}`).join(', ')}`);
    }
    const clients = 4;
    const requestsPerClient = Number(process.env.QUORUMD_BENCH_CREATE_REQUESTS ?? 50);
    const topicsPerRequest = 200;
    // Warm-up: module JIT and connection set-up are not measured.
    await createBatches(cluster, 'warm', 2, 2, 50);
    const cpuBefore = await nodeCpuMs(cluster);
    const startedMs = performance.now();
    const { created, failed } = await createBatches(cluster, 'bench', clients, requestsPerClient, topicsPerRequest);
    const seconds = (performance.now() - startedMs) / 1000;
    const cpuAfter = await nodeCpuMs(cluster);
    const rate = created / seconds;
    const cpuByNode = [...cpuAfter].map(([id, ms]) => [id, ms - (cpuBefore.get(id) ?? 0)] as const);
    const cpuMs = cpuByNode.reduce((sum, [, ms]) => sum + ms, 0);
    const cpuMsPerThousand = cpuMs * 1000 / Math.max(1, created);
    return {
      rate,
      cpuMsPerThousand,
      figure: { name: 'topics created per second, last round of this checkout', value: rate, unit: 'topics/s',
        note: `${created} topics (1 partition, RF 3) in ${seconds.toFixed(2)} s; ${clients} clients × ${requestsPerClient} requests × ${topicsPerRequest} topics; ${failed} refused; ` +
          `node CPU ${cpuByNode.map(([id, ms]) => `${id}: ${(ms / 1000).toFixed(2)} s`).join(', ')}` },
      rss: await peakRss(cluster, 'after create-topics'),
    };
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
