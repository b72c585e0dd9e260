/**
 * The container side's figures: quorumd clusters in Docker, measured through the harness. No
 * assertions: each figure is printed with its target. Imported by test/bench/run.ts, or:
 *
 *   node --import tsx test/bench/docker.ts [docker-start] [docker-partition] ...
 *
 * - docker-start: a 5-node combined cluster, from nothing to every node serving, once the image
 *   exists; and on to a leader known through DescribeQuorum. Target < 5 s.
 * - docker-partition: applying and healing a partition on 5 nodes, through the path in use
 *   (nsenter where the engine is local and we are root) and, in the same run, through docker
 *   exec, the fallback for remote engines. Target < 200 ms each.
 * - docker-ops: operations per second the harness records on 3 nodes, through the run pipeline
 *   with 10 client processes and no rate limit, without faults and with partitions and kills;
 *   then the checker's time on each recorded history.
 * - docker-failover: the leader isolated by a partition, to the next write a kafkajs client on
 *   the majority side gets acknowledged; p50 and p99 over 20 trials (QUORUMCHECK_BENCH_FAILOVER_TRIALS)
 *   with quorumd's default 1 s election timeout. Target p99 < 2 s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { completeGrudge, type Grudge } from '../../src/faults/grudge.js';
import type { FaultPathChoice } from '../../src/harness/cluster/node-access.js';
import { assertDockerEngineAnswers } from '../../src/harness/docker/engine.js';
import { applyPartition, healPartition } from '../../src/harness/nemesis/partition.js';
import { quorumdSystem } from '../../src/harness/systems/quorumd/quorumd-system.js';
import { startSystemCluster, type StartedSystemCluster } from '../../src/harness/systems/system-cluster.js';
import type { Operation } from '../../src/history/operation.js';
import { checkTopicsLinearizability } from '../../src/run/checks/linearizability.js';
import { RATE_MAX, resolveRunOptions } from '../../src/run/options.js';
import { SILENT } from '../../src/run/progress.js';
import { runOnce } from '../../src/run/run-once.js';
import { createDockerWorld } from '../../src/run/worlds/docker-world.js';
import type { ServerBenchmark, ServerFigure } from './server.js';

const START_ROUNDS = Number(process.env.QUORUMCHECK_BENCH_START_ROUNDS ?? 3);
const PARTITION_ROUNDS = Number(process.env.QUORUMCHECK_BENCH_PARTITION_ROUNDS ?? 10);
const FAILOVER_TRIALS = Number(process.env.QUORUMCHECK_BENCH_FAILOVER_TRIALS ?? 20);
const OPS_CONCURRENCY = 10;
const OPS_TIME_LIMIT_S = Number(process.env.QUORUMCHECK_BENCH_OPS_SECONDS ?? 20);
/** Writers at once during a failover trial: a write stuck on the old leader must not hide the next one. */
const FAILOVER_WRITERS = 4;
/** A failover write that takes longer is retried by a fresh client (the history would call it info). */
const FAILOVER_REQUEST_TIMEOUT_MS = 3_000;

export const DOCKER_BENCHMARKS: ServerBenchmark[] = [
  { name: 'docker-start', summary: 'a 5-node combined quorumd cluster in containers: start until every node serves (image built), then until a leader is known', run: clusterStart },
  { name: 'docker-partition', summary: 'apply and heal a partition on 5 nodes (one iptables-restore per node), nsenter and docker exec', run: partitionApplyHeal },
  {
    name: 'docker-ops', run: operationsAndChecker,
    summary: `operations per second the harness records on 3 combined nodes (${OPS_CONCURRENCY} kafkajs processes, no rate limit, ${OPS_TIME_LIMIT_S} s), without and with faults; and the checker's time on those histories`,
  },
  {
    name: 'docker-failover', run: failoverAsClientSees,
    summary: `leader isolated by a partition to the next acknowledged write, as kafkajs clients on the majority see it; ${FAILOVER_TRIALS} trials, 3 combined nodes, 1 s election timeout`,
  },
];

async function image(): Promise<string> {
  await assertDockerEngineAnswers();
  return quorumdSystem.ensureImage({});
}

async function startFive(imageName: string, faultPath: FaultPathChoice = 'auto'): Promise<StartedSystemCluster> {
  return startSystemCluster({ system: quorumdSystem, topology: { voters: 5, roles: 'combined' }, image: imageName, faultPath });
}

async function clusterStart(): Promise<ServerFigure[]> {
  const imageName = await image();
  const startMs: number[] = [];
  const leaderMs: number[] = [];
  const stopMs: number[] = [];
  for (let round = 0; round < START_ROUNDS; round += 1) {
    const t0 = performance.now();
    const started = await startFive(imageName);
    startMs.push(performance.now() - t0);
    while ((await started.findLeader(1_000)) === null) await new Promise((resolve) => setTimeout(resolve, 50));
    leaderMs.push(performance.now() - t0);
    const t1 = performance.now();
    await started[Symbol.asyncDispose]();
    stopMs.push(performance.now() - t1);
  }
  return [
    { name: 'start, 5 nodes serving (median)', value: median(startMs), unit: 'ms', targetMax: 5_000,
      note: `${START_ROUNDS} rounds: ${startMs.map(Math.round).join(', ')} ms` },
    { name: 'start to a leader known (median)', value: median(leaderMs), unit: 'ms', note: `${leaderMs.map(Math.round).join(', ')} ms` },
    { name: 'stop and removal (median)', value: median(stopMs), unit: 'ms' },
  ];
}

async function partitionApplyHeal(): Promise<ServerFigure[]> {
  const imageName = await image();
  const figures: ServerFigure[] = [];
  for (const faultPath of ['auto', 'docker-exec'] as const) {
    await using started = await startFive(imageName, faultPath);
    const path = started.cluster.access.path;
    const applyMs: number[] = [];
    const healMs: number[] = [];
    for (let round = 0; round < PARTITION_ROUNDS; round += 1) {
      const t0 = performance.now();
      await applyPartition(started.cluster, roundGrudge(round));
      applyMs.push(performance.now() - t0);
      const t1 = performance.now();
      await healPartition(started.cluster);
      healMs.push(performance.now() - t1);
    }
    const target = path === 'nsenter' ? { targetMax: 200 } : {};
    figures.push(
      { name: `apply a partition, 5 nodes, ${path} (median)`, value: median(applyMs), unit: 'ms', ...target,
        note: `${PARTITION_ROUNDS} rounds, max ${Math.round(Math.max(...applyMs))} ms` },
      { name: `heal it, 5 nodes, ${path} (median)`, value: median(healMs), unit: 'ms', ...target,
        note: `${PARTITION_ROUNDS} rounds, max ${Math.round(Math.max(...healMs))} ms` },
    );
  }
  return figures;
}

/**
 * Each trial: wait for a leader and an acknowledged write with every link up; isolate the leader
 * (it keeps serving clients on the host, as in Jepsen, but hears no peer); writers on the other
 * nodes create topics back to back; the figure is the time from the partition in force to the
 * first write invoked after it and acknowledged. Then heal and let the old leader rejoin.
 */
async function failoverAsClientSees(): Promise<ServerFigure[]> {
  const imageName = await image();
  const defaults = await failoverTrials(imageName, {});
  // A follower notices a silent leader only after controller.quorum.fetch.timeout.ms (Kafka's
  // default 2 s, twice the election timeout): the same trials with it at 1 s show how much of
  // the figure that timer is.
  const fetch1s = await failoverTrials(imageName, { 'controller.quorum.fetch.timeout.ms': '1000' });
  return [
    { name: 'leader isolated to next acknowledged write, p50', value: percentile(defaults, 0.5), unit: 'ms',
      note: `Kafka's defaults (election 1 s, fetch 2 s); trials (ms): ${defaults.map(Math.round).join(', ')}` },
    { name: 'leader isolated to next acknowledged write, p99', value: percentile(defaults, 0.99), unit: 'ms', targetMax: 2_000 },
    { name: 'the same with controller.quorum.fetch.timeout.ms=1000, p50', value: percentile(fetch1s, 0.5), unit: 'ms',
      note: `trials (ms): ${fetch1s.map(Math.round).join(', ')}` },
    { name: 'the same with controller.quorum.fetch.timeout.ms=1000, p99', value: percentile(fetch1s, 0.99), unit: 'ms' },
  ];
}

async function failoverTrials(imageName: string, nodeConfig: Record<string, string>): Promise<number[]> {
  await using started = await startSystemCluster({ system: quorumdSystem, topology: { voters: 3, roles: 'combined' }, image: imageName, nodeConfig });
  const failoverMs: number[] = [];
  let topic = 0;
  for (let trial = 0; trial < FAILOVER_TRIALS; trial += 1) {
    const leader = await stableLeader(started, () => `bench-${trial}-warm-${(topic += 1)}`);
    const majority = started.endpoints().filter((endpoint) => endpoint.nodeId !== leader);
    await applyPartition(started.cluster, completeGrudge([[leader], majority.map((endpoint) => endpoint.nodeId)]));
    const partitionedMs = performance.now();
    let acknowledgedMs: number | null = null;
    await Promise.all(Array.from({ length: FAILOVER_WRITERS }, async (_, writer) => {
      while (acknowledgedMs === null) {
        const client = await started.openClient(writer, FAILOVER_REQUEST_TIMEOUT_MS, [majority[writer % majority.length]!]);
        try {
          while (acknowledgedMs === null) {
            const completion = await client.invoke('create-topic', { name: `bench-${trial}-${(topic += 1)}`, partitions: 1 });
            if (completion.type === 'ok') acknowledgedMs ??= performance.now();
            if (completion.type === 'info') break; // retire it, as the history would
          }
        } finally {
          await client.close();
        }
      }
    }));
    failoverMs.push((acknowledgedMs ?? NaN) - partitionedMs);
    await healPartition(started.cluster);
  }
  return failoverMs;
}

/**
 * Whole runs through the run pipeline (as `quorumcheck run --env docker` does), no rate limit:
 * the figure is completed client operations per second of the fault phase, from the history's
 * own times. Each recorded history is then checked again for linearizability alone, timed.
 */
async function operationsAndChecker(): Promise<ServerFigure[]> {
  await image();
  const runsRoot = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-bench-ops-'));
  const figures: ServerFigure[] = [];
  const histories: { label: string; history: readonly Operation[] }[] = [];
  try {
    for (const [label, nemesis] of [['no faults', []], ['partition and kill', ['partition', 'kill']]] as const) {
      const options = resolveRunOptions({
        env: 'docker', nodes: 3, roles: 'combined', nemesis: [...nemesis], timeLimitMs: OPS_TIME_LIMIT_S * 1000,
        concurrency: OPS_CONCURRENCY, rate: RATE_MAX, name: 'bench-ops',
      }, 20_261_201);
      const report = await runOnce({
        options, sink: SILENT, runsRoot, writeDirectory: 'never',
        makeWorld: (plan, log) => createDockerWorld({ topology: plan.topology, nodeConfig: plan.options.nodeConfig, seed: plan.options.seed, log }),
      });
      const history = report.record.history;
      const rate = clientOperationsPerSecond(history);
      figures.push({
        name: `operations recorded per second, 3 nodes, ${label}`, value: rate.perSecond, unit: 'ops/s',
        note: `${rate.completed} completed in ${(rate.spanMs / 1000).toFixed(1)} s (${report.record.counts.ok} ok, ${report.record.counts.fail} fail, ` +
          `${report.record.counts.info} info); verdict ${report.verdict}`,
      });
      histories.push({ label, history });
    }
    for (const { label, history } of histories) {
      const startedMs = performance.now();
      const checked = checkTopicsLinearizability(history, 60_000);
      figures.push({
        name: `checker time on the recorded history, ${label}`, value: performance.now() - startedMs, unit: 'ms',
        note: `${checked.calls} calls in ${checked.topics.length} topics, ${checked.verdict}`,
      });
    }
  } finally {
    await rm(runsRoot, { recursive: true, force: true });
  }
  return figures;
}

/** Client operations completed per second between the first client invocation and the last completion before recovery. */
function clientOperationsPerSecond(history: readonly Operation[]): { perSecond: number; completed: number; spanMs: number } {
  const client = history.filter((op) => op.process !== 'nemesis' && !String((op.value as { name?: unknown } | null)?.name ?? '').startsWith('recovery'));
  const invokes = client.filter((op) => op.type === 'invoke');
  const completions = client.filter((op) => op.type !== 'invoke');
  if (invokes.length === 0 || completions.length === 0) return { perSecond: 0, completed: 0, spanMs: 0 };
  const spanMs = (completions[completions.length - 1]!.timeNs - invokes[0]!.timeNs) / 1e6;
  return { perSecond: completions.length / (spanMs / 1000), completed: completions.length, spanMs };
}

/** The leader once one is known and a write through a fresh client is acknowledged. */
async function stableLeader(started: StartedSystemCluster, nextTopic: () => string): Promise<number> {
  for (;;) {
    const leader = await started.findLeader(1_000);
    if (leader !== null) {
      const client = await started.openClient(99, FAILOVER_REQUEST_TIMEOUT_MS);
      try {
        if ((await client.invoke('create-topic', { name: nextTopic(), partitions: 1 })).type === 'ok') {
          const now = await started.findLeader(1_000);
          if (now !== null && now.leaderId === leader.leaderId) return leader.leaderId;
        }
      } finally {
        await client.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Different shapes round to round, so every node's chain changes. */
function roundGrudge(round: number): Grudge {
  const nodes = [1, 2, 3, 4, 5];
  const rotated = nodes.map((_, index) => nodes[(index + round) % nodes.length] as number);
  return completeGrudge([rotated.slice(0, 2), rotated.slice(2)]);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = process.argv.slice(2);
  for (const benchmark of DOCKER_BENCHMARKS.filter((entry) => names.length === 0 || names.includes(entry.name))) {
    console.log(`\n${benchmark.name}: ${benchmark.summary}`);
    for (const figure of await benchmark.run()) console.log(`  ${figure.name}: ${figure.value.toFixed(1)} ${figure.unit}${figure.note ? `\n    ${figure.note}` : ''}`);
  }
}
