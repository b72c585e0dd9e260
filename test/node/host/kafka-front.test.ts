/**
 * The Kafka front as quorumd mounts it: two real nodes with their broker listeners, asked over
 * the Kafka protocol. DescribeQuorum's timestamps are wall-clock epoch ms (the host's
 * `hostNowMs` lets the handler shift them off the monotonic clock the core runs on), and the
 * listener name from server.properties picks the endpoints DescribeCluster answers with.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { askServer } from '../../../src/cli/quorumd/describe.js';
import { describeClusterApi } from '../../../src/kafka/apis/index.js';
import { KafkaClientConnection } from '../../../src/kafka/client/kafka-client-connection.js';
import { memoryNodeLogger } from '../../../src/node/node-logger.js';
import { startQuorumServer, type RunningQuorumServer } from '../../../src/node/quorum-server.js';
import { writeTestCluster, type TestClusterFiles } from '../support/cluster-configs.js';
import { waitFor } from '../support/wait-for.js';

const running: RunningQuorumServer[] = [];
let cluster: TestClusterFiles | null = null;

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  if (cluster !== null) rmSync(cluster.root, { recursive: true, force: true });
  cluster = null;
});

describe('the Kafka front of a quorumd node', () => {
  it('answers DescribeQuorum with wall-clock timestamps and DescribeCluster with the listener it is reached on', async () => {
    cluster = await writeTestCluster(2);
    const startedWallMs = Date.now();
    for (const node of cluster.nodes) {
      running.push(await startQuorumServer({ config: node.config, logger: memoryNodeLogger(), onFatal: (error) => { throw error; } }));
    }
    await waitFor('a leader', () => running.find((server) => server.host.debugState().state === 'leader'), 20_000);
    const node = cluster.nodes[0]!;
    // A follower's fetch timestamp appears once it has fetched from the leader.
    let resolved = await askServer({ host: '127.0.0.1', port: node.brokerPort }, 5000);
    for (let attempt = 0; attempt < 100 && !resolved.quorum.currentVoters.every((voter) => voter.lastFetchTimestamp > 0n); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      resolved = await askServer({ host: '127.0.0.1', port: node.brokerPort }, 5000);
    }
    expect(resolved.quorum.currentVoters.map((voter) => voter.replicaId).sort()).toEqual([1, 2]);
    const askedWallMs = BigInt(Date.now());
    for (const voter of resolved.quorum.currentVoters) {
      // Monotonic-clock stamps would be far below the epoch time the test started at.
      expect(voter.lastFetchTimestamp, `voter ${voter.replicaId}`).toBeGreaterThanOrEqual(BigInt(startedWallMs) - 1000n);
      expect(voter.lastFetchTimestamp, `voter ${voter.replicaId}`).toBeLessThanOrEqual(askedWallMs + 1000n);
    }
    const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port: node.brokerPort });
    try {
      // The nodes register as brokers and are unfenced by their first heartbeats.
      let described = await connection.request(describeClusterApi, 0, { includeClusterAuthorizedOperations: false });
      for (let attempt = 0; attempt < 100 && described.brokers.length < 2; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        described = await connection.request(describeClusterApi, 0, { includeClusterAuthorizedOperations: false });
      }
      expect(described.errorCode).toBe(0);
      const ports = described.brokers.map((broker) => broker.port).sort((a, b) => a - b);
      // The PLAINTEXT endpoints, never the CONTROLLER ones.
      expect(ports).toEqual(cluster.nodes.map((n) => n.brokerPort).sort((a, b) => a - b));
    } finally {
      await connection.close();
    }
  }, 60_000);
});
