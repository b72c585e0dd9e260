/**
 * SIGTERM of a quorumd process is a controlled shutdown, as KRaft's broker does it: before the
 * process exits, the controller has moved the leadership of every partition it led to another ISR
 * member and fenced it, so kafkajs finds the new leaders at once, on any other broker.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from './support/admin-client.js';
import { LocalCluster } from './support/local-cluster.js';

let cluster: LocalCluster;
let admin: Admin;

beforeAll(async () => {
  cluster = await LocalCluster.start({ controllers: 3 });
}, 60_000);

afterAll(async () => {
  await admin?.disconnect();
  await cluster?.stop();
});

describe('SIGTERM of a broker', () => {
  it('moves its partition leaders to other ISR members and fences it before the process exits', { timeout: 60_000 }, async () => {
    const setup = await connectAdmin(cluster.bootstrapServers);
    try {
      expect(await setup.createTopics({ topics: [{ topic: 'orders', numPartitions: 12, replicationFactor: 3 }], waitForLeaders: false })).toBe(true);
    } finally {
      await setup.disconnect();
    }
    const report = await cluster.waitUntilReady(30_000);
    // A broker that is not the active controller, so no election mixes in.
    const victim = [1, 2, 3].find((id) => id !== report.quorum.leaderId)!;
    const survivor = [1, 2, 3].find((id) => id !== victim)!;
    admin = await connectAdmin([`127.0.0.1:${cluster.node(survivor).brokerPort}`]);
    const before = (await admin.fetchTopicMetadata({ topics: ['orders'] })).topics[0]!.partitions;
    expect(before.filter((p) => p.leader === victim).length).toBeGreaterThan(0);

    await cluster.stopNode(victim);

    const output = cluster.node(victim).output.join('');
    expect(output).toMatch(/Controlled shutdown completed in \d+ ms: the controller moved this broker's partition leaders and fenced it/);
    // The process has exited: the survivors already answer with the new leaders, all in the ISR.
    const after = (await admin.fetchTopicMetadata({ topics: ['orders'] })).topics[0]!.partitions;
    for (const partition of after) {
      expect(partition.leader, `partition ${partition.partitionId}`).not.toBe(victim);
      expect(partition.isr).not.toContain(victim);
      expect(partition.isr).toContain(partition.leader);
    }
    const brokers = (await admin.describeCluster()).brokers.map((b) => b.nodeId);
    expect(brokers).not.toContain(victim);
  });
});
