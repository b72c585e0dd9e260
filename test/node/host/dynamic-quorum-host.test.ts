/**
 * A dynamic quorum (kraft.version 1) of in-process servers over real TCP: three controllers
 * formatted with `--initial-controllers`, each naming all three (itself too) in
 * `controller.quorum.bootstrap.servers`; a fourth formatted `--no-initial-controllers` whose only
 * bootstrap server is a follower, so it must learn the leader's endpoint from a Fetch answer
 * (NodeEndpoints) to catch up. Its addition goes as Kafka's AddRaftVoter to a controller listener,
 * which serves Kafka clients and peers alike; then the leader stops and the four voters elect
 * another.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { askServer } from '../../../src/cli/quorumd/describe.js';
import { addRaftVoterApi } from '../../../src/kafka/apis/add-raft-voter/index.js';
import { KafkaClientConnection } from '../../../src/kafka/client/kafka-client-connection.js';
import { parseInitialControllers } from '../../../src/node/config/listener-addresses.js';
import { parseServerConfig, type ServerConfig } from '../../../src/node/config/server-config.js';
import { formatStorage, type BootstrapChoice } from '../../../src/node/format-storage.js';
import { memoryNodeLogger } from '../../../src/node/node-logger.js';
import { startQuorumServer, type RunningQuorumServer } from '../../../src/node/quorum-server.js';
import { isDirectoryId } from '../../../src/node/storage/meta-properties.js';
import { FAST_QUORUM_PROPERTIES, freePort } from '../support/cluster-configs.js';
import { waitFor } from '../support/wait-for.js';

const running = new Map<number, RunningQuorumServer>();
const roots: string[] = [];

afterEach(async () => {
  for (const server of running.values()) await server.stop();
  running.clear();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const CLUSTER_ID = 'DynamicCluster';
const directoryId = (nodeId: number) => `${'B'.repeat(21)}${'AQgw'[nodeId % 4]}`.replace(/^B/, String.fromCharCode(64 + nodeId));

function controllerConfig(root: string, nodeId: number, port: number, bootstrapPorts: number[]): ServerConfig {
  return parseServerConfig([
    `node.id=${nodeId}`, 'process.roles=controller', `listeners=CONTROLLER://127.0.0.1:${port}`, 'controller.listener.names=CONTROLLER',
    `controller.quorum.bootstrap.servers=${bootstrapPorts.map((p) => `127.0.0.1:${p}`).join(',')}`, `log.dirs=${join(root, `c${nodeId}`)}`,
    ...Object.entries(FAST_QUORUM_PROPERTIES).map(([key, value]) => `${key}=${value}`),
  ].join('\n'));
}

async function start(nodeId: number, config: ServerConfig): Promise<RunningQuorumServer> {
  const server = await startQuorumServer({ config, logger: memoryNodeLogger(), onFatal: (error) => { throw error; } });
  running.set(nodeId, server);
  return server;
}

function leaderOf(ids: number[]): number | undefined {
  return ids.find((id) => running.get(id)?.host.debugState().state === 'leader');
}

describe('a dynamic quorum in-process', () => {
  it('starts from its initial controllers, adds a controller that found the leader through a follower, and fails over among four', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quorumd-dynamic-'));
    roots.push(root);
    const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
    const initial: BootstrapChoice = {
      kind: 'initial-controllers',
      controllers: parseInitialControllers('--initial-controllers', [1, 2, 3].map((id) => `${id}@127.0.0.1:${ports[id - 1]}:${directoryId(id)}`).join(','), isDirectoryId),
    };
    for (const nodeId of [1, 2, 3]) {
      const config = controllerConfig(root, nodeId, ports[nodeId - 1]!, ports.slice(0, 3));
      formatStorage(config, { clusterId: CLUSTER_ID, ignoreFormatted: false, bootstrap: initial });
      await start(nodeId, config);
    }
    const leader = await waitFor('a leader among the initial controllers', () => leaderOf([1, 2, 3]));
    const follower = [1, 2, 3].find((id) => id !== leader)!;

    const joinerConfig = controllerConfig(root, 4, ports[3]!, [ports[follower - 1]!]);
    formatStorage(joinerConfig, { clusterId: CLUSTER_ID, ignoreFormatted: false, bootstrap: { kind: 'no-initial-controllers' }, newDirectoryId: () => directoryId(4) });
    const joiner = await start(4, joinerConfig);
    await waitFor('the joiner fetching from the leader', () => joiner.host.debugState().leaderId === leader && joiner.transport.connectedPeers().includes(leader));
    // The leader adds only an observer it has seen caught up (else REQUEST_TIMED_OUT, as Kafka's).
    await waitFor('the joiner caught up', () => joiner.host.debugState().logEndOffset >= running.get(leader)!.host.debugState().highWatermark &&
      joiner.host.debugState().highWatermark > 0);

    // AddRaftVoter to the follower's controller listener, which forwards it to the leader.
    const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port: ports[follower - 1]! });
    try {
      const answer = await connection.request(addRaftVoterApi, 0, {
        clusterId: CLUSTER_ID, timeoutMs: 20_000, voterId: 4, voterDirectoryId: directoryId(4),
        listeners: [{ name: 'CONTROLLER', host: '127.0.0.1', port: ports[3]! }],
      });
      expect(answer).toMatchObject({ errorCode: 0, errorMessage: null });
    } finally {
      await connection.close();
    }
    const described = await askServer({ host: '127.0.0.1', port: ports[3]! }, 5000);
    expect(described.quorum.currentVoters.map((voter) => [voter.replicaId, voter.replicaDirectoryId]).sort())
      .toEqual([1, 2, 3, 4].map((id) => [id, directoryId(id)]));
    expect(described.nodes.find((node) => node.nodeId === 4)?.listeners).toEqual([{ name: 'CONTROLLER', host: '127.0.0.1', port: ports[3]! }]);

    await running.get(leader)!.stop();
    running.delete(leader);
    const others = [1, 2, 3, 4].filter((id) => id !== leader);
    const next = await waitFor('a new leader among the other three voters', () => leaderOf(others));
    expect(next).not.toBe(leader);
    const write = await running.get(next)!.host.submit({ type: 'createTopic', name: 'after', numPartitions: 1, replicationFactor: 1 });
    expect(write.outcome).toBe('ok');
  }, 60_000);
});
