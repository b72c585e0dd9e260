/**
 * Three controller-only nodes and two broker-only nodes (KRaft's isolated mode): clients talk to
 * the brokers, which forward writes to the active controller; Metadata names a broker as the
 * controller; the brokers are the quorum's observers. A broker formatted with another cluster
 * id is refused with INCONSISTENT_CLUSTER_ID and never registers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, errorTypes } from './support/admin-client.js';
import { LocalCluster, quorumd, waitFor } from './support/local-cluster.js';

let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await LocalCluster.start({ controllers: 3, brokers: 2 });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('3 controllers + 2 brokers', () => {
  it('serves admin calls through the brokers, placing replicas only on brokers', async () => {
    expect(cluster.bootstrapServers).toHaveLength(2);
    const admin = await connectAdmin(cluster.bootstrapServers);
    try {
      const description = await admin.describeCluster();
      expect(description.brokers.map((b) => b.nodeId).sort()).toEqual([101, 102]);
      expect([101, 102], 'kafkajs sends admin writes to the controller id: it must be a broker').toContain(description.controller);
      expect(await admin.createTopics({ topics: [{ topic: 'isolated', numPartitions: 4, replicationFactor: 2 }] })).toBe(true);
      const metadata = await admin.fetchTopicMetadata({ topics: ['isolated'] });
      for (const partition of metadata.topics[0]!.partitions) expect([...partition.replicas].sort()).toEqual([101, 102]);
      expect(await errorTypes(admin.createTopics({ topics: [{ topic: 'three-replicas', replicationFactor: 3 }] })))
        .toEqual(['INVALID_REPLICATION_FACTOR']);
    } finally {
      await admin.disconnect();
    }
  });

  it('quorumd describe shows the controllers as voters and the brokers as observers', async () => {
    const server = cluster.bootstrapServers[0]!;
    const status = await quorumd(['describe', '--bootstrap-server', server, '--status']);
    expect(status).toMatch(new RegExp(`^ClusterId: {14}${cluster.clusterId}$`, 'm'));
    expect(status).toMatch(/^CurrentVoters: {10}\[\{"id": 1, "directoryId": null\}, \{"id": 2, "directoryId": null\}, \{"id": 3, "directoryId": null\}\]$/m);
    expect(status).toMatch(/^CurrentObservers: {7}\[\{"id": 101, "directoryId": null\}, \{"id": 102, "directoryId": null\}\]$/m);
    const replication = await quorumd(['describe', '--bootstrap-server', server, '--replication']);
    const rows = replication.trimEnd().split('\n').map((line) => line.split('\t').map((cell) => cell.trim()));
    expect(rows[0]).toEqual(['NodeId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp', 'Status', '']);
    expect(rows.slice(1).map((r) => r[5]).sort()).toEqual(['Follower', 'Follower', 'Leader', 'Observer', 'Observer']);
  });

  it('refuses a broker formatted with another cluster id (INCONSISTENT_CLUSTER_ID), which never registers', async () => {
    const stranger = await cluster.addBroker(199);
    await cluster.format(199, (await quorumd(['random-uuid'])).trim());
    await cluster.startNode(199);
    try {
      await waitFor(async () => (stranger.output.join('').includes('INCONSISTENT_CLUSTER_ID') ? true : null), 15_000,
        () => `no INCONSISTENT_CLUSTER_ID from node 199 or its peers\n${cluster.outputs()}`);
      const admin = await connectAdmin(cluster.bootstrapServers.filter((s) => s !== `127.0.0.1:${stranger.brokerPort}`));
      try {
        expect((await admin.describeCluster()).brokers.map((b) => b.nodeId).sort()).toEqual([101, 102]);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await cluster.stopNode(199);
    }
  });
});
