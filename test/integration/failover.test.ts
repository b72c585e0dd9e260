/**
 * kill -9 of the leader of three combined quorumd processes: a new leader is elected, the next
 * CreateTopics is acknowledged, no acknowledged topic is lost, and the killed node, restarted
 * from its disk, recovers every topic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from './support/admin-client.js';
import { LocalCluster, waitFor } from './support/local-cluster.js';
import { topicsOnNode } from './support/topic-listing.js';

let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await LocalCluster.start({ controllers: 3 });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('leader failover on real processes', () => {
  it('elects a new leader after kill -9, loses no acknowledged topic, and the restarted node recovers', async () => {
    const acknowledged = Array.from({ length: 20 }, (_, i) => `before-${String(i).padStart(2, '0')}`);
    const admin = await connectAdmin(cluster.bootstrapServers);
    try {
      expect(await admin.createTopics({ topics: acknowledged.map((topic) => ({ topic, numPartitions: 2, replicationFactor: 3 })) })).toBe(true);
    } finally {
      await admin.disconnect();
    }
    const before = (await cluster.describe())!;
    const oldLeader = before.quorum.leaderId;
    await cluster.kill(oldLeader);

    const after = await waitFor(async () => {
      const report = await cluster.describe([oldLeader]);
      return report !== null && report.quorum.leaderId >= 0 && report.quorum.leaderId !== oldLeader ? report : null;
    }, 15_000, () => `no new leader after killing ${oldLeader}\n${cluster.outputs()}`);
    expect(after.quorum.leaderEpoch).toBeGreaterThan(before.quorum.leaderEpoch);

    const survivors = cluster.bootstrapServers.filter((s) => s !== `127.0.0.1:${cluster.node(oldLeader).brokerPort}`);
    const survivorAdmin = await connectAdmin(survivors);
    try {
      expect(await survivorAdmin.createTopics({ topics: [{ topic: 'after-failover', replicationFactor: 2 }] })).toBe(true);
      const listed = await survivorAdmin.listTopics();
      for (const topic of [...acknowledged, 'after-failover']) expect(listed, `acknowledged topic ${topic}`).toContain(topic);
    } finally {
      await survivorAdmin.disconnect();
    }

    await cluster.startNode(oldLeader);
    const expected = [...acknowledged, 'after-failover'].sort();
    const recovered = await waitFor(async () => {
      const topics = await topicsOnNode(cluster.node(oldLeader).brokerPort!);
      return topics !== null && expected.every((t) => topics.includes(t)) ? topics : null;
    }, 20_000, () => `node ${oldLeader} did not recover every topic after restart\n${cluster.outputs()}`);
    expect(recovered).toEqual(expected);
  });
});
