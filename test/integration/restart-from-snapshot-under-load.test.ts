/**
 * A node killed -9 while CreateTopics keep coming, at a seeded moment after it wrote a snapshot in
 * the background (so snapshots were taken while the log grew under it), restarts from its newest
 * durable snapshot and the log after it: it says it recovered a snapshot, and its own Metadata
 * then holds every topic the cluster acknowledged, each with all its partitions led.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopicsApi } from '../../src/kafka/apis/create-topics/index.js';
import { metadataApi } from '../../src/kafka/apis/metadata/index.js';
import { KafkaClientConnection } from '../../src/kafka/client/kafka-client-connection.js';
import { SeededRandom } from '../../src/sim/random.js';
import { FAST_TIMEOUTS, LocalCluster, waitFor } from './support/local-cluster.js';

const PARTITIONS_PER_TOPIC = 50;
const TOPICS_PER_REQUEST = 20;
const CLIENTS = 2;

let cluster: LocalCluster;

beforeAll(async () => {
  // A snapshot every 10 entries: many background writes while the load runs.
  cluster = await LocalCluster.start({ controllers: 3, properties: { ...FAST_TIMEOUTS, 'metadata.snapshot.interval.entries': '10' } });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** CreateTopics from one connection until `stop` says so; the names acknowledged. */
async function createUntil(port: number, client: number, stop: () => boolean): Promise<string[]> {
  const acknowledged: string[] = [];
  const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port });
  try {
    for (let request = 0; !stop(); request++) {
      const topics = Array.from({ length: TOPICS_PER_REQUEST }, (_, t) => ({
        name: `load-${client}-${request}-${t}`, numPartitions: PARTITIONS_PER_TOPIC, replicationFactor: 3, assignments: [], configs: [],
      }));
      const response = await connection.request(createTopicsApi, 3, { topics, timeoutMs: 10_000, validateOnly: false });
      for (const topic of response.topics) if (topic.errorCode === 0) acknowledged.push(topic.name);
    }
  } finally {
    await connection.close();
  }
  return acknowledged;
}

/** Topics the node at `port` answers with every partition led, of `names` (asked 200 at a time). */
async function completeTopicsOn(port: number, names: string[]): Promise<number | null> {
  try {
    const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 1000 });
    try {
      let complete = 0;
      for (let from = 0; from < names.length; from += 200) {
        const response = await connection.request(metadataApi, 6, { topics: names.slice(from, from + 200), allowAutoTopicCreation: false });
        for (const topic of response.topics) {
          if (topic.errorCode === 0 && topic.partitions.length === PARTITIONS_PER_TOPIC && topic.partitions.every((p) => p.leaderId >= 0)) complete++;
        }
      }
      return complete;
    } catch {
      return null;
    } finally {
      await connection.close();
    }
  } catch {
    return null;
  }
}

describe('restart from a snapshot written under load', () => {
  it('a node killed -9 mid-load recovers its snapshot and the log after it, with every acknowledged topic', { timeout: 120_000 }, async () => {
    const seed = Number(process.env.QUORUMD_SNAPSHOT_LOAD_SEED ?? Date.now() % 1_000_000);
    const context = `seed ${seed} (QUORUMD_SNAPSHOT_LOAD_SEED=${seed} replays the kill's timing)`;
    const random = SeededRandom.fromSeed(seed);
    const report = await cluster.waitUntilReady(30_000);
    const victim = [1, 2, 3].find((id) => id !== report.quorum.leaderId)!;
    const survivors = [1, 2, 3].filter((id) => id !== victim);
    const snapshotsWritten = (): number => (cluster.node(victim).output.join('').match(/Wrote snapshot /g) ?? []).length;

    let stopped = false;
    // The load goes to the survivors only: it keeps going while the victim is down.
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, client) =>
      createUntil(cluster.node(survivors[client % survivors.length]!).brokerPort!, client, () => stopped)));
    try {
      await waitFor(async () => (snapshotsWritten() >= 2 ? true : null), 60_000,
        () => `${context}: node ${victim} wrote no 2 snapshots under load within 60 s\n${cluster.outputs()}`);
      await new Promise((resolve) => setTimeout(resolve, random.intBetween(0, 400)));
      await cluster.kill(victim);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await cluster.startNode(victim);
      // Load on, while it recovers and catches up.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      stopped = true;
    }
    const acknowledged = (await load).flat();
    expect(acknowledged.length, context).toBeGreaterThan(0);

    const port = cluster.node(victim).brokerPort!;
    await waitFor(async () => ((await completeTopicsOn(port, acknowledged)) === acknowledged.length ? true : null), 60_000,
      () => `${context}: node ${victim} does not answer all ${acknowledged.length} acknowledged topics\n${cluster.node(victim).output.join('').slice(-3000)}`);
    const output = cluster.node(victim).output.join('');
    const recovered = /Recovered the snapshot at offset (\d+) and (\d+) log entries after it/.exec(output);
    expect(recovered, `${context}: node ${victim} did not restart from a snapshot\n${output.slice(-3000)}`).not.toBeNull();
    expect(Number(recovered![1]), context).toBeGreaterThan(0);
  });
});
