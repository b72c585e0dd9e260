/**
 * Kafka 4.4 in KRaft mode with a dynamic quorum (KIP-853: kraft.version 1, the voters kept in the
 * metadata log): every controller formatted with `--initial-controllers`, brokers finding the
 * quorum through `controller.quorum.bootstrap.servers`. The test starts one (3 combined nodes)
 * through the adapter, asks DescribeQuorum v2, which names each voter's directory id, and checks
 * they are the fixed ids the node program gave `--initial-controllers` (a static quorum's nodes
 * format with random ones), then creates and describes a topic through the kafkajs client every
 * system shares. Measured once (2026-12-01, load average about 30): 139 s, most of it JVM starts.
 * Nightly only (`npm run conformance`): CI already starts one Kafka cluster per mode.
 */
import { describe, expect, it } from 'vitest';
import { describeQuorumApi } from '../../src/kafka/apis/describe-quorum/index.js';
import { KafkaClientConnection } from '../../src/kafka/client/kafka-client-connection.js';
import { controllerDirectoryId } from '../../src/harness/systems/kafka-kraft/kraft-program.js';
import { kafkaKraftSystem } from '../../src/harness/systems/kafka-kraft/kraft-system.js';
import { startSystemCluster } from '../../src/harness/systems/system-cluster.js';
import { dockerEngineForTests, imageBuildTimeoutMs } from '../../test/support/docker-context.js';
import { conformanceLevel } from '../support/topologies.js';
import { retryUntil } from './support/retry-until.js';

const engine = await dockerEngineForTests();
const log = (line: string): void => console.log(`[kafka dynamic] ${line}`);
const startupTimeoutMs = 240_000;

/** The voters (id and directory id) as the active controller reports them, through one broker. */
async function votersOf(clientAddress: string): Promise<{ id: number; directoryId: string }[]> {
  const [host = '', port = ''] = clientAddress.split(':');
  const connection = await KafkaClientConnection.connect({ host, port: Number(port), connectTimeoutMs: 10_000, clientId: 'quorumcheck-dynamic-test' });
  try {
    const response = await connection.request(describeQuorumApi, 2, { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] });
    const partition = response.topics[0]?.partitions[0];
    if (response.errorCode !== 0 || partition === undefined || partition.errorCode !== 0 || partition.leaderId < 0) {
      throw new Error(`DescribeQuorum: ${JSON.stringify(response)}`);
    }
    return partition.currentVoters.map((voter) => ({ id: voter.replicaId, directoryId: voter.replicaDirectoryId })).sort((a, b) => a.id - b.id);
  } finally {
    await connection.close();
  }
}

describe.skipIf(!engine.available || conformanceLevel() !== 'nightly')('Kafka 4.4 in KRaft mode with a dynamic quorum', () => {
  it('3 controllers formatted with --initial-controllers elect a leader, report their directory ids and serve topics', { timeout: imageBuildTimeoutMs }, async () => {
    const system = kafkaKraftSystem({ quorum: 'dynamic' });
    const image = await system.ensureImage({ log });
    await using started = await startSystemCluster({ system, topology: { voters: 3, roles: 'combined' }, image, startupTimeoutMs, log });
    const leader = await started.findLeader(60_000);
    expect(leader, 'a leader').not.toBeNull();
    const voters = await retryUntil(60_000, () => votersOf(started.endpoints()[0]!.clientAddress), 1_000);
    log(`voters: ${JSON.stringify(voters)}`);
    expect(voters).toEqual([1, 2, 3].map((id) => ({ id, directoryId: controllerDirectoryId(id) })));

    const client = await started.openClient(0, 10_000);
    try {
      const created = await retryUntil(60_000, async () => {
        const completion = await client.invoke('create-topic', { name: 'dynamic', partitions: 3, replicationFactor: 3 });
        if (completion.type !== 'ok') throw new Error(`create-topic: ${JSON.stringify(completion)}`);
        return completion;
      }, 500);
      expect(created.value).toEqual({ created: true });
      const described = await retryUntil(30_000, async () => {
        const completion = await client.invoke('describe-topic', { name: 'dynamic' });
        if (completion.type !== 'ok' || (completion.value as { error?: string }).error !== undefined) throw new Error(`describe-topic: ${JSON.stringify(completion)}`);
        return completion;
      }, 500);
      expect(described.value).toEqual({ name: 'dynamic', partitions: 3 });
    } finally {
      await client.close();
    }
  });
});
