/**
 * Real Apache Kafka through the same harness as quorumd: Kafka 4.4 in KRaft mode (3 combined
 * controllers, static voters) and Kafka 3.9 in ZooKeeper mode (a 3-member ensemble beside 3
 * brokers), each started from its adapter, a topic created and described through the kafkajs
 * client every system shares, and the leader (active controller) found as the system reports it.
 * A smoke test: the images' first build fetches the class paths from Maven Central and Java from
 * Debian (a minute or two); afterwards they are reused by content hash.
 */
import { describe, expect, it } from 'vitest';
import { kafkaKraftSystem } from '../../src/harness/systems/kafka-kraft/kraft-system.js';
import { kafkaZkSystem } from '../../src/harness/systems/kafka-zk/zookeeper-mode-system.js';
import { startSystemCluster } from '../../src/harness/systems/system-cluster.js';
import type { SystemAdapter } from '../../src/harness/systems/system-adapter.js';
import { dockerEngineForTests, imageBuildTimeoutMs } from '../../test/support/docker-context.js';
import { retryUntil } from './support/retry-until.js';

const engine = await dockerEngineForTests();
const log = (line: string): void => console.log(`[kafka] ${line}`);
/** JVMs start slowly on 2 shared cores: a node may take a minute to say it started. */
const startupTimeoutMs = 240_000;

async function createAndDescribe(system: SystemAdapter): Promise<void> {
  const image = await system.ensureImage({ log });
  await using started = await startSystemCluster({ system, topology: { voters: 3, roles: 'combined' }, image, startupTimeoutMs, log });
  const leader = await started.findLeader(60_000);
  expect(leader, `${system.name}: a leader`).not.toBeNull();
  expect([1, 2, 3]).toContain(leader!.leaderId);
  const client = await started.openClient(0, 10_000);
  try {
    const created = await retryUntil(60_000, async () => {
      const completion = await client.invoke('create-topic', { name: 'smoke', partitions: 3, replicationFactor: 3 });
      if (completion.type !== 'ok') throw new Error(`create-topic: ${JSON.stringify(completion)}`);
      return completion;
    }, 500);
    expect(created.value).toEqual({ created: true });
    const described = await retryUntil(30_000, async () => {
      const completion = await client.invoke('describe-topic', { name: 'smoke' });
      if (completion.type !== 'ok' || (completion.value as { error?: string }).error !== undefined) {
        throw new Error(`describe-topic: ${JSON.stringify(completion)}`);
      }
      return completion;
    }, 500);
    expect(described.value).toEqual({ name: 'smoke', partitions: 3 });
  } finally {
    await client.close();
  }
}

describe.skipIf(!engine.available)('real Apache Kafka through the system adapters', () => {
  it('Kafka 4.4 in KRaft mode: 3 controllers elect a leader and serve topics', { timeout: imageBuildTimeoutMs }, async () => {
    await createAndDescribe(kafkaKraftSystem());
  });

  it('Kafka 3.9 in ZooKeeper mode: a 3-member ensemble, 3 brokers, a controller, topics', { timeout: imageBuildTimeoutMs }, async () => {
    await createAndDescribe(kafkaZkSystem());
  });
});
