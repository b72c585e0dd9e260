/**
 * A dynamic quorum (KIP-853) of real quorumd processes on loopback, driven by the commands an
 * operator would type: one controller formatted `--standalone`, two formatted
 * `--no-initial-controllers` that join as observers, `quorumd add-controller` for each (once
 * through a follower, which forwards it to the leader), `quorumd describe --bootstrap-controller
 * --status` showing directory ids and endpoints as Kafka 3.9 prints them, a kafkajs client writing
 * throughout, and `quorumd remove-controller` removing the leader itself, which keeps leading
 * until the change commits and then resigns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { askServer, type QuorumReport } from '../../src/cli/quorumd/describe.js';
import { LocalCluster, quorumd, waitFor } from './support/local-cluster.js';

let cluster: LocalCluster | null = null;

afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});

function directoryIdOf(local: LocalCluster, nodeId: number): string {
  const text = readFileSync(join(local.directory, `data-${nodeId}`, 'meta.properties'), 'utf8');
  const match = /^directory\.id=(.+)$/m.exec(text);
  if (match === null) throw new Error(`node ${nodeId}'s meta.properties has no directory.id:\n${text}`);
  return match[1]!;
}

async function quorumVia(local: LocalCluster, nodeId: number, until: (report: QuorumReport) => boolean, what: string): Promise<QuorumReport> {
  const [host, port] = local.controllerAddress(nodeId).split(':');
  return waitFor(async () => {
    const report = await askServer({ host: host!, port: Number(port) }, 1000).catch(() => null);
    return report !== null && until(report) ? report : null;
  }, 30_000, () => `${what} within 30 s\n${local.outputs()}`);
}

const voterIds = (report: QuorumReport): number[] => report.quorum.currentVoters.map((voter) => voter.replicaId).sort();

describe('a dynamic quorum on loopback', () => {
  it('grows from one standalone controller to three and shrinks by removing its leader, a client writing throughout', async () => {
    const local = await LocalCluster.create({ controllers: 3, bootstrapControllers: [1] });
    cluster = local;
    for (const nodeId of [1, 2, 3]) await local.format(nodeId, local.clusterId);
    const directories = new Map([1, 2, 3].map((nodeId) => [nodeId, directoryIdOf(local, nodeId)]));
    await local.startNode(1);
    await quorumVia(local, 1, (report) => report.quorum.leaderId === 1, 'the standalone controller did not lead');
    await local.startNode(2);
    await local.startNode(3);
    // The leader adds only an observer it has seen caught up (else REQUEST_TIMED_OUT, as Kafka's).
    await quorumVia(local, 1, (report) => [2, 3].every((id) => report.quorum.observers.some((o) => o.replicaId === id && o.lastCaughtUpTimestamp > 0n)),
      'the new controllers did not join as observers and catch up');

    const status = await quorumd(['describe', '--bootstrap-controller', local.controllerAddress(1), '--status']);
    const endpoint = (nodeId: number) => `CONTROLLER://${local.controllerAddress(nodeId)}`;
    expect(status).toContain(`CurrentVoters:          [{"id": 1, "directoryId": "${directories.get(1)}", "endpoints": ["${endpoint(1)}"]}]`);
    expect(status).toMatch(new RegExp(`^CurrentObservers: .*\\{"id": 2, "directoryId": "${directories.get(2)}"\\}`, 'm'));

    const kafka = new Kafka({ clientId: 'dynamic-quorum', brokers: local.bootstrapServers, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'before', numPartitions: 1, replicationFactor: 1 }] })).toBe(true);

      const added = await quorumd(['add-controller', '--config', local.node(2).configPath, '--bootstrap-controller', local.controllerAddress(1)]);
      expect(added.trim()).toBe(`Added controller 2 with directory id ${directories.get(2)} and endpoints: ${endpoint(2)}`);
      // Through a follower this time: it forwards the change to the leader.
      await quorumd(['add-controller', '--config', local.node(3).configPath, '--bootstrap-controller', local.controllerAddress(2)]);
      const grown = await quorumVia(local, 3, (report) => voterIds(report).join() === '1,2,3', 'the quorum did not grow to three voters');
      expect(grown.quorum.leaderId).toBe(1);
      expect(grown.nodes.map((node) => node.nodeId).sort()).toEqual([1, 2, 3]);
      expect(await admin.createTopics({ topics: [{ topic: 'grown', numPartitions: 1, replicationFactor: 1 }] })).toBe(true);

      const removed = await quorumd(['remove-controller', '--bootstrap-controller', local.controllerAddress(2),
        '--controller-id', '1', '--controller-directory-id', directories.get(1)!]);
      expect(removed.trim()).toBe(`Removed KRaft controller 1 with directory id ${directories.get(1)}`);
      await quorumVia(local, 2, (report) => voterIds(report).join() === '2,3' && [2, 3].includes(report.quorum.leaderId),
        'the removed leader did not hand over to a remaining voter');
      // It stays on as an observer, fetching from the new leader.
      await quorumVia(local, 2, (report) => report.quorum.observers.some((observer) => observer.replicaId === 1),
        'the removed controller did not go on as an observer');
      expect(await admin.createTopics({ topics: [{ topic: 'shrunk', numPartitions: 1, replicationFactor: 1 }] })).toBe(true);
      const topics = await admin.listTopics();
      expect(topics.sort()).toEqual(['before', 'grown', 'shrunk']);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);
});
