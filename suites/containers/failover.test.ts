/**
 * quorumd failover, end to end in containers: three combined nodes on a private network, topics
 * created through kafkajs, the quorum leader's container stopped, and then what a Kafka user
 * relies on: a new leader in a higher epoch, every acknowledged topic still there with its
 * partitions and configs, new topics accepted, and the stopped node rejoining with the same
 * topics. Finally every node's event log is judged by the Raft invariant checker. Run once per
 * advertise mode: `mapped-port` (Testcontainers' Kafka module, Docker Desktop) with the leader
 * stopped as `docker stop` does (SIGTERM: quorumd may hand over leadership on its way out), and
 * `bridge-address` (Linux, Jepsen's clients) with the leader killed (SIGKILL: no hand-over; the
 * kernel still closes its sockets, so followers see the connections drop). A third run freezes
 * the leader (cgroup freezer, `mapped-port`): its sockets stay open and silent, so only the
 * followers' fetch timeout can end its term, and when thawed it must learn of the new epoch.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEventLogs, readNodeEventLog } from '../../src/checker/invariants/event-log-reader.js';
import { describeViolation } from '../../src/checker/invariants/violation.js';
import { askServer, parseServerList, type QuorumReport } from '../../src/cli/quorumd/describe.js';
import { QuorumCluster, quorumdProgram, type AdvertiseMode, type StartedQuorumCluster, type StartedQuorumNode } from '../../src/harness/cluster/index.js';
import { repositoryRoot } from '../../src/harness/docker/project-paths.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../test/support/docker-context.js';
import { retryUntil as retryEvery } from './support/retry-until.js';

const engine = await dockerEngineForTests();
const quorumdBuilt = existsSync(path.join(repositoryRoot, 'dist', 'cli', 'quorumd.js'));

/**
 * Short quorum and broker timers: this suite does not measure them, it only needs failover to
 * happen quickly. Election 500 ms and fetch 1 s (Kafka: 1 s and 2 s) make a follower notice the
 * lost leader within about a second; heartbeats of 500 ms and a 3 s session (Kafka: 2 s, 9 s)
 * fence the stopped broker before the new topics are placed.
 */
const fastFailoverProperties = {
  'controller.quorum.election.timeout.ms': 500,
  'controller.quorum.fetch.timeout.ms': 1_000,
  'controller.quorum.election.backoff.max.ms': 500,
  'broker.heartbeat.interval.ms': 500,
  'broker.session.timeout.ms': 3_000,
};
/** Bounds on waits that depend on the cluster, generous for a loaded 2-core machine. */
const convergeMsMax = 60_000;
const electionMsMax = 30_000;
const rejoinMsMax = 60_000;
const voters = [1, 2, 3];

/**
 * How the leader's container goes away and comes back: `docker stop` (SIGTERM first) or
 * `docker kill` (SIGKILL), then `docker start`; or `docker pause`, then `docker unpause`.
 */
type LeaderLoss = 'stop' | 'kill' | 'pause';

interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

/** Acknowledged before the failover: several partition counts and non-default configs. */
const topicsBefore: readonly TopicSpec[] = [
  { topic: 'orders', numPartitions: 3, replicationFactor: 3, configs: { 'retention.ms': '3600000', 'cleanup.policy': 'compact' } },
  { topic: 'payments', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
  { topic: 'audit', numPartitions: 8, replicationFactor: 2, configs: { 'compression.type': 'zstd', 'segment.bytes': '1048576' } },
];
/** Created while the old leader is down: two brokers remain, so at most two replicas. */
const topicsDuring: readonly TopicSpec[] = [
  { topic: 'after-failover', numPartitions: 2, replicationFactor: 2, configs: { 'retention.bytes': '1048576' } },
];

describe.skipIf(!engine.available || !quorumdBuilt)('quorumd failover in containers', () => {
  let image: string;
  beforeAll(async () => {
    image = await quorumdImageForTests();
  }, imageBuildTimeoutMs);

  it.each<[AdvertiseMode, LeaderLoss]>([['mapped-port', 'stop'], ['bridge-address', 'kill'], ['mapped-port', 'pause']])(
    'advertising %s, leader container %s: a new leader, metadata survives, the node rejoins, invariants hold',
    { timeout: 240_000 },
    async (advertise, loss) => {
      const log = (line: string): void => console.log(`[failover ${advertise} ${loss}] ${line}`);
      await using cluster = await new QuorumCluster({
        image, nodeCount: 3, advertise, program: quorumdProgram({ properties: fastFailoverProperties }), log,
      }).start();
      const runDir = await mkdtemp(path.join(os.tmpdir(), `quorumcheck-failover-${advertise}-`));
      let passed = false;
      let collected = false;
      try {
        const lostNodeId = await failoverScenario(cluster, loss, log);
        collected = true; // the logs the checker judges are the ones kept: never collect over them
        await expectEventLogsHoldInvariants(cluster, runDir, loss === 'pause' ? null : lostNodeId, log);
        passed = true;
      } finally {
        // Logs are kept only when they are needed: to read why the suite failed.
        if (passed) {
          await rm(runDir, { recursive: true, force: true });
        } else {
          if (!collected) await cluster.collectLogs(runDir).catch((error: unknown) => log(`log collection failed: ${String(error)}`));
          console.log(`node logs and event logs of the failed run ${cluster.runId}: ${runDir}`);
        }
      }
    },
  );
});

/** Returns the id of the node whose container was lost and brought back. */
async function failoverScenario(cluster: StartedQuorumCluster, loss: LeaderLoss, log: (line: string) => void): Promise<number> {
  await withAdmin(cluster.clientAddresses(), async (admin) => {
    for (const spec of topicsBefore) {
      await retryUntil(convergeMsMax, () => admin.createTopics({ topics: [toCreatable(spec)], waitForLeaders: false }));
    }
  });
  const before = await retryUntil(convergeMsMax, () => quorumStatus(cluster.nodes, (report) => report.quorum.leaderId >= 0));
  const leader = cluster.node(before.quorum.leaderId);
  const survivors = cluster.nodes.filter((node) => node !== leader);
  log(`leader is node ${leader.nodeId} in epoch ${before.quorum.leaderEpoch}; ${lossVerb[loss]} its container`);

  const stoppedMs = Date.now();
  if (loss === 'stop') await leader.stop();
  else if (loss === 'kill') await leader.kill('SIGKILL');
  else await leader.pause();
  // A paused container still counts as running: its processes exist, frozen.
  expect(await leader.isRunning()).toBe(loss === 'pause');
  const after = await retryUntil(electionMsMax, () => quorumStatus(survivors, (report) =>
    report.quorum.leaderId >= 0 && report.quorum.leaderId !== leader.nodeId));
  log(`node ${after.quorum.leaderId} leads epoch ${after.quorum.leaderEpoch}, ${Date.now() - stoppedMs} ms after the leader was lost`);
  expect(after.quorum.leaderEpoch).toBeGreaterThan(before.quorum.leaderEpoch);
  expect(survivors.map((node) => node.nodeId)).toContain(after.quorum.leaderId);

  const survivorAddresses = survivors.map((node) => node.clientAddress);
  await withAdmin(survivorAddresses, async (admin) => {
    for (const spec of topicsBefore) await expectTopicDescribed(admin, spec);
    for (const spec of topicsDuring) {
      await retryUntil(convergeMsMax, () => admin.createTopics({ topics: [toCreatable(spec)], waitForLeaders: false }));
      await expectTopicDescribed(admin, spec);
    }
  });

  const restartedMs = Date.now();
  if (loss === 'pause') await leader.unpause();
  else await leader.start();
  const expected = [...topicsBefore, ...topicsDuring].map((spec) => spec.topic).sort();
  // A fresh client bootstrapped from the restarted node alone asks that node for its metadata.
  const listed = await retryUntil(rejoinMsMax, () => withAdmin([leader.clientAddress], async (admin) => {
    const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort();
    if (topics.join() !== expected.join()) throw new Error(`node ${leader.nodeId} lists [${topics.join(', ')}], expected [${expected.join(', ')}]`);
    return topics;
  }));
  expect(listed).toEqual(expected);
  // In Raft terms it has rejoined once the leader counts it a voter caught up to the high watermark.
  const caughtUp = await retryUntil(rejoinMsMax, () => quorumStatus(cluster.nodes, (report) => {
    const replica = report.quorum.currentVoters.find((voter) => voter.replicaId === leader.nodeId);
    return report.quorum.leaderId >= 0 && replica !== undefined && replica.logEndOffset >= report.quorum.highWatermark;
  }));
  expect(caughtUp.quorum.leaderEpoch).toBeGreaterThanOrEqual(after.quorum.leaderEpoch);
  log(`node ${leader.nodeId} rejoined and lists every topic ${Date.now() - restartedMs} ms after it was brought back`);
  await withAdmin([leader.clientAddress], async (admin) => {
    for (const spec of [...topicsBefore, ...topicsDuring]) await expectTopicDescribed(admin, spec);
  });
  return leader.nodeId;
}

/**
 * Each node's event log reaches the run directory, the restarted node's log spans both of its
 * lives (its file is appended to, not replaced), and the merged logs break no Raft invariant.
 */
async function expectEventLogsHoldInvariants(
  cluster: StartedQuorumCluster, runDir: string, restartedNodeId: number | null, log: (line: string) => void,
): Promise<void> {
  const collected = await cluster.collectLogs(runDir);
  const eventLogPaths = collected.map(({ eventsPath, nodeId }) => eventsPath ?? path.join(runDir, 'nodes', `${nodeId}.events.jsonl (missing)`));
  for (const [index, eventLogPath] of eventLogPaths.entries()) {
    const nodeId = collected[index]?.nodeId;
    const events = await readNodeEventLog(eventLogPath);
    expect(events.length, `${eventLogPath} (node ${nodeId}) has no events`).toBeGreaterThan(0);
    expect(events.every((event) => event.node === nodeId), `${eventLogPath} holds another node's events`).toBe(true);
    const restartedAt = events.findIndex((event) => event.kind === 'restarted');
    if (nodeId === restartedNodeId) {
      expect(restartedAt, `node ${nodeId} restarted but its event log has no 'restarted' event`).toBeGreaterThan(0);
      expect(events.slice(restartedAt + 1).some((event) => event.kind === 'epoch-changed' || event.kind === 'high-watermark'),
        `node ${nodeId} logged nothing after its restart`).toBe(true);
    } else {
      expect(restartedAt, `node ${nodeId} never restarted but logged 'restarted'`).toBe(-1);
    }
  }
  const violations = await checkEventLogs(eventLogPaths, voters);
  if (violations.length > 0) {
    console.log(`Raft invariant violations in ${runDir}:\n${violations.map(describeViolation).join('\n')}`);
  }
  expect(violations.map((violation) => `${violation.rule}: ${violation.message}`)).toEqual([]);
  log(`event logs of ${collected.length} nodes hold every invariant`);
}

const lossVerb: Readonly<Record<LeaderLoss, string>> = { stop: 'stopping', kill: 'killing', pause: 'pausing' };

async function expectTopicDescribed(admin: Admin, spec: TopicSpec): Promise<void> {
  const metadata = await retryUntil(convergeMsMax, () => admin.fetchTopicMetadata({ topics: [spec.topic] }));
  const partitions = metadata.topics[0]?.partitions ?? [];
  expect(partitions.map((partition) => partition.partitionId).sort((a, b) => a - b))
    .toEqual(Array.from({ length: spec.numPartitions }, (_, index) => index));
  for (const partition of partitions) expect(partition.replicas).toHaveLength(spec.replicationFactor);
  const described = await retryUntil(convergeMsMax, () => admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.topic, configNames: Object.keys(spec.configs) }],
  }));
  const entries = described.resources[0]?.configEntries ?? [];
  const values = Object.fromEntries(entries.map((entry) => [entry.configName, entry.configValue]));
  expect(values, `configs of ${spec.topic}`).toEqual(spec.configs);
}

function toCreatable(spec: TopicSpec): { topic: string; numPartitions: number; replicationFactor: number; configEntries: { name: string; value: string }[] } {
  return {
    topic: spec.topic,
    numPartitions: spec.numPartitions,
    replicationFactor: spec.replicationFactor,
    configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
  };
}

/** The first node whose DescribeQuorum answer satisfies `accept`; throws naming every answer. */
async function quorumStatus(nodes: readonly StartedQuorumNode[], accept: (report: QuorumReport) => boolean): Promise<QuorumReport> {
  const answers: string[] = [];
  for (const node of nodes) {
    const [server] = parseServerList(node.clientAddress);
    try {
      const report = await askServer(server as { host: string; port: number }, 2_000);
      if (accept(report)) return report;
      answers.push(`node ${node.nodeId}: leader ${report.quorum.leaderId} epoch ${report.quorum.leaderEpoch}`);
    } catch (error) {
      answers.push(`node ${node.nodeId}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no node reports the quorum state awaited: ${answers.join('; ')}`);
}

async function withAdmin<T>(brokers: string[], use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({
    clientId: 'quorumcheck-failover', brokers, logLevel: logLevel.NOTHING,
    // A frozen broker accepts connections but never answers: give up on it soon and retry.
    connectionTimeout: 3_000, requestTimeout: 5_000, retry: { retries: 2 },
  }).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The suite's pause between tries: 250 ms. */
function retryUntil<T>(deadlineMs: number, attempt: () => Promise<T>): Promise<T> {
  return retryEvery(deadlineMs, attempt, 250);
}
