/**
 * Two operator's figures, on a cluster holding a large metadata set (the same for every system):
 * - controlled shutdown: SIGTERM to the leader's node until its process has exited (Kafka
 *   brokers move partition leadership away first; quorumd resigns);
 * - recovery after an uncontrolled shutdown of the whole cluster: kill -9 of every node, all
 *   started again at once, until a client lists every topic of the set and a new CreateTopics is
 *   acknowledged.
 * The set is created in batches through kafkajs' admin client (one CreateTopics per batch).
 */
import kafkajs from 'kafkajs';
import { killNode, restartNode } from '../harness/nemesis/process-kill.js';
import type { StartedSystemCluster } from '../harness/systems/system-cluster.js';
import { compareReplicationFactor } from './topic-workload.js';
import { awaitLeader } from './await-leader.js';

const { Kafka, logLevel } = kafkajs;

export interface MetadataSet {
  topics: number;
  partitionsPerTopic: number;
}

export interface ShutdownAndRecovery {
  /** ms to create the set (all batches acknowledged). */
  createMs: number | null;
  controlledShutdownMs: number | null;
  recoveryMs: number | null;
  note?: string;
}

const batchTopics = 50;
const recoveryLimitMs = 600_000;
/** How long one batch of the set may keep failing before the set is given up. */
const batchLimitMs = 180_000;

export async function measureShutdownAndRecovery(started: StartedSystemCluster, set: MetadataSet, log: (line: string) => void): Promise<ShutdownAndRecovery> {
  const brokers = started.endpoints().filter((endpoint) => endpoint.servesClients).map((endpoint) => endpoint.clientAddress);
  const createStartedMs = Date.now();
  const created = await createMetadataSet(brokers, set, log).then(() => true, (error: unknown) => {
    log(`metadata set: ${String(error)}`);
    return false;
  });
  if (!created) return { createMs: null, controlledShutdownMs: null, recoveryMs: null, note: 'the metadata set could not be created' };
  const createMs = Date.now() - createStartedMs;
  log(`metadata set of ${set.topics} topics x ${set.partitionsPerTopic} partitions created in ${createMs} ms`);

  const leader = await awaitLeader(started, 30_000);
  let controlledShutdownMs: number | null = null;
  if (leader !== null) {
    const stopStartedMs = Date.now();
    await started.cluster.node(leader.leaderId).stop(120_000);
    controlledShutdownMs = Date.now() - stopStartedMs;
    log(`controlled shutdown of node ${leader.leaderId}: ${controlledShutdownMs} ms`);
    await started.cluster.node(leader.leaderId).start();
    await awaitLeader(started, 120_000);
  }

  const nodeIds = started.cluster.nodes.map((node) => node.nodeId);
  for (const nodeId of nodeIds) await killNode(started.cluster, nodeId);
  const recoveryStartedMs = Date.now();
  await Promise.all(nodeIds.map((nodeId) => restartNode(started.cluster, nodeId)));
  const recovered = await waitUntilServing(started, set, recoveryStartedMs);
  const recoveryMs = recovered ? Date.now() - recoveryStartedMs : null;
  log(`recovery after kill -9 of all ${nodeIds.length} nodes: ${recoveryMs === null ? `not within ${recoveryLimitMs} ms` : `${recoveryMs} ms`}`);
  return { createMs, controlledShutdownMs, recoveryMs };
}

async function createMetadataSet(brokers: readonly string[], set: MetadataSet, log: (line: string) => void): Promise<void> {
  const admin = new Kafka({ clientId: 'quorumcheck-compare-set', brokers: [...brokers], logLevel: logLevel.NOTHING, requestTimeout: 120_000, retry: { retries: 5 } }).admin();
  await admin.connect();
  try {
    for (let first = 0; first < set.topics; first += batchTopics) {
      const topics = Array.from({ length: Math.min(batchTopics, set.topics - first) }, (_, index) => ({
        topic: `set-${String(first + index).padStart(6, '0')}`, numPartitions: set.partitionsPerTopic, replicationFactor: compareReplicationFactor,
      }));
      await createBatch(admin, topics, log);
      if ((first / batchTopics) % 10 === 9) log(`metadata set: ${first + topics.length} of ${set.topics} topics`);
    }
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * One batch, tried again until it is acknowledged: right after the fault trials a cluster may not
 * know its controller yet (kafkajs: "Broker -1 not found in the cached metadata", which it does
 * not retry itself; the set then went missing from a comparison). A try that was applied answers
 * "already exists" to the next (kafkajs returns false): that is the same set.
 */
async function createBatch(admin: kafkajs.Admin, topics: kafkajs.ITopicConfig[], log: (line: string) => void): Promise<void> {
  const startedMs = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.createTopics({ topics, waitForLeaders: false, timeout: 120_000 });
      return;
    } catch (error) {
      if (Date.now() - startedMs > batchLimitMs) throw new Error(`a batch of ${topics.length} topics was not acknowledged within ${batchLimitMs} ms: ${String(error)}`, { cause: error });
      if (attempt === 1 || attempt % 10 === 0) log(`metadata set: try ${attempt} of a batch failed (${String(error)}); trying again`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** Until one client lists every topic of the set and a new topic's creation is acknowledged. */
async function waitUntilServing(started: StartedSystemCluster, set: MetadataSet, sinceMs: number): Promise<boolean> {
  let attempt = 0;
  while (Date.now() - sinceMs < recoveryLimitMs) {
    attempt += 1;
    const client = await started.openClient(200_000 + attempt, 5_000);
    try {
      const listed = await client.invoke('list-topics', {});
      const topics = listed.type === 'ok' ? (listed.value as { topics: string[] }).topics : [];
      if (topics.filter((name) => name.startsWith('set-')).length >= set.topics) {
        const createdAfter = await client.invoke('create-topic', { name: `after-recovery-${attempt}`, partitions: 1 });
        if (createdAfter.type === 'ok' && (createdAfter.value as { created?: boolean }).created === true) return true;
      }
    } finally {
      await client.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}
