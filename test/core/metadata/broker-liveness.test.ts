import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerRead, BrokerSessions, NO_LEADER, planSessionExpiries, type DescribeTopicReply } from '../../../src/core/metadata/index.js';
import { MetadataDriver } from './metadata-driver.js';
import { runRandomWorkload, seededRandom } from './random-workload.js';

const SEED = Number(process.env.METADATA_TEST_SEED ?? 966);

function describeTopic(driver: MetadataDriver, name: string): DescribeTopicReply {
  const result = answerRead(driver.image, { type: 'describeTopic', name });
  if (!result.ok) throw new Error(result.message);
  return result.reply as DescribeTopicReply;
}

describe('fencing moves leadership and shrinks ISRs', () => {
  it('a fenced leader hands its partitions to the next ISR replica, and leaves every ISR', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2, 3);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 6, replicationFactor: 3 });
    const before = describeTopic(driver, 't');
    driver.must({ type: 'fenceBroker', brokerId: 1 });
    const after = describeTopic(driver, 't');
    for (const [i, p] of after.partitions.entries()) {
      const old = before.partitions[i];
      expect(p.isr).not.toContain(1);
      expect(p.leader).not.toBe(1);
      expect(p.offlineReplicas).toEqual([1]);
      // The leader epoch moves exactly when the leader does.
      expect(p.leaderEpoch).toBe(old?.leader === 1 ? 1 : 0);
      if (old?.leader === 1) expect(p.leader).toBe(old.replicas.find((id) => id !== 1));
    }
    const cluster = answerRead(driver.image, { type: 'describeCluster' });
    expect(cluster.ok && cluster.reply).toMatchObject({ fencedBrokerIds: [1] });
    expect(cluster.ok && (cluster.reply as { brokers: { brokerId: number }[] }).brokers.map((b) => b.brokerId)).toEqual([2, 3]);
  });

  it('the last ISR member stays in the ISR when fenced, and the partition has no leader until it returns', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 1 });
    driver.must({ type: 'fenceBroker', brokerId: 1 });
    expect(describeTopic(driver, 't').partitions[0]).toMatchObject({ leader: NO_LEADER, isr: [1], leaderEpoch: 1 });
    driver.must({ type: 'brokerHeartbeat', brokerId: 1, brokerEpoch: driver.epochOf(1) });
    expect(describeTopic(driver, 't').partitions[0]).toMatchObject({ leader: 1, isr: [1], leaderEpoch: 2 });
  });

  it('an unfenced broker rejoins the ISR of partitions that have a leader, in replica order', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2, 3);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 3, replicationFactor: 3 });
    const before = describeTopic(driver, 't');
    driver.must({ type: 'fenceBroker', brokerId: 2 });
    driver.must({ type: 'brokerHeartbeat', brokerId: 2, brokerEpoch: driver.epochOf(2) });
    const after = describeTopic(driver, 't');
    for (const [i, p] of after.partitions.entries()) {
      expect(p.isr).toEqual(before.partitions[i]?.replicas);
      expect(p.offlineReplicas).toEqual([]);
    }
  });

  it('a broker outside the ISR is never elected (no unclean election)', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2);
    driver.must({ type: 'createTopic', name: 't', numPartitions: 1, replicationFactor: 2 });
    const leader = describeTopic(driver, 't').partitions[0]?.leader as number;
    const follower = leader === 1 ? 2 : 1;
    driver.must({ type: 'fenceBroker', brokerId: follower });
    driver.must({ type: 'fenceBroker', brokerId: leader });
    expect(describeTopic(driver, 't').partitions[0]).toMatchObject({ leader: NO_LEADER, isr: [leader] });
    driver.must({ type: 'brokerHeartbeat', brokerId: follower, brokerEpoch: driver.epochOf(follower) });
    expect(describeTopic(driver, 't').partitions[0]).toMatchObject({ leader: NO_LEADER, isr: [leader] });
    driver.must({ type: 'brokerHeartbeat', brokerId: leader, brokerEpoch: driver.epochOf(leader) });
    expect(describeTopic(driver, 't').partitions[0]?.leader).toBe(leader);
  });

  it('a heartbeat asking to be fenced fences the broker; fencing a fenced broker appends nothing', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2);
    expect(driver.must({ type: 'brokerHeartbeat', brokerId: 1, brokerEpoch: driver.epochOf(1), wantFence: true })).toEqual({ isFenced: true });
    expect(driver.image.broker(1)?.fenced).toBe(true);
    expect(driver.write({ type: 'fenceBroker', brokerId: 1 })).toEqual({ ok: true, records: [], reply: { fenced: true } });
  });

  it('a heartbeat asking to be fenced moves the leaders first, then the ISR-only changes, then fences', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2, 3);
    driver.must({ type: 'createTopic', name: 'a', numPartitions: 9, replicationFactor: 3 });
    driver.must({ type: 'createTopic', name: 'b', numPartitions: 9, replicationFactor: 3 });
    const result = driver.write({ type: 'brokerHeartbeat', brokerId: 1, brokerEpoch: driver.epochOf(1), wantFence: true });
    if (!result.ok) throw new Error(result.message);
    const kinds = result.records.map((r) => (r.type === 'PartitionChange' ? (r.leader === null ? 'isr' : 'move') : r.type));
    // Every partition has broker 1 in its ISR, a third of them it leads.
    expect(kinds.filter((k) => k === 'move')).toHaveLength(6);
    expect(kinds.filter((k) => k === 'isr')).toHaveLength(12);
    expect(kinds.join(',')).toBe([...Array<string>(6).fill('move'), ...Array<string>(12).fill('isr'), 'FenceBroker'].join(','));
    expect(driver.image.broker(1)?.fenced).toBe(true);
  });

  it('applying fence and unfence records reports broker-fenced and broker-unfenced events', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1);
    const fence = driver.write({ type: 'fenceBroker', brokerId: 1 });
    // Replay the whole log on a fresh image and collect what each record reports.
    const events: string[] = [];
    const replay = new MetadataDriver();
    for (const record of driver.log) for (const e of replay.image.apply(record)) events.push(`${e.kind}:${e.brokerId}`);
    expect(fence.ok).toBe(true);
    expect(events).toEqual(['broker-unfenced:1', 'broker-fenced:1']);
  });
});

describe('after any mix of writes', () => {
  it('every leader is an unfenced broker in its ISR (or none), and only a lone ISR member may be fenced', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (workloadSeed) => {
        const driver = new MetadataDriver();
        runRandomWorkload(driver, seededRandom(workloadSeed), 200);
        const image = driver.image;
        const unfenced = new Set(image.unfencedBrokerIds());
        for (const name of image.topicNames()) {
          for (const p of image.partitions(image.topic(name)?.topicId ?? '')) {
            const where = `${name}-${p.partitionId} (leader ${p.leader}, isr [${p.isr.join(',')}])`;
            if (p.leader !== NO_LEADER) {
              expect(unfenced.has(p.leader), where).toBe(true);
              expect(p.isr, where).toContain(p.leader);
            }
            if (p.isr.length > 1) for (const id of p.isr) expect(unfenced.has(id), where).toBe(true);
            // A leaderless partition has no unfenced ISR member to elect.
            if (p.leader === NO_LEADER) for (const id of p.isr) expect(unfenced.has(id), where).toBe(false);
          }
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe('broker sessions', () => {
  it('an unfenced broker whose last heartbeat is sessionTimeoutMs old is due to be fenced; a recent one is not', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2, 3);
    const sessions = new BrokerSessions(9_000);
    sessions.touch(1, 1_000);
    sessions.touch(2, 5_000);
    sessions.touch(3, 10_000);
    expect(planSessionExpiries(driver.image, sessions, 9_999)).toEqual([]);
    expect(planSessionExpiries(driver.image, sessions, 10_000)).toEqual([{ type: 'fenceBroker', brokerId: 1 }]);
    expect(sessions.expiredBrokers(driver.image, 14_000)).toEqual([1, 2]);
  });

  it('fenced brokers are never due again, and a broker without any session is due at once', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2);
    const sessions = new BrokerSessions(100);
    sessions.touch(1, 0);
    expect(sessions.expiredBrokers(driver.image, 50)).toEqual([2]);
    driver.must({ type: 'fenceBroker', brokerId: 1 });
    expect(sessions.expiredBrokers(driver.image, 1_000)).toEqual([2]);
  });

  it('a new controller starts every registered broker session afresh', () => {
    const driver = new MetadataDriver();
    driver.addBrokers(1, 2);
    const sessions = new BrokerSessions(100);
    sessions.resetAll(driver.image, 500);
    expect(sessions.expiredBrokers(driver.image, 599)).toEqual([]);
    expect(sessions.hasLiveSession(1, 599)).toBe(true);
    expect(sessions.expiredBrokers(driver.image, 600)).toEqual([1, 2]);
  });

  it('a session timeout that is not a positive integer is refused with its name', () => {
    expect(() => new BrokerSessions(0)).toThrow(/sessionTimeoutMs/);
  });
});
