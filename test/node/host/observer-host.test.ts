/**
 * A broker-only node (an observer: no controller listener) in-process with one controller: it
 * reaches the quorum only over the connection it opens, registers as a broker, forwards a write
 * to the controller, and applies the committed result to its own image.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerConfig, type ServerConfig } from '../../../src/node/config/server-config.js';
import { formatStorage } from '../../../src/node/format-storage.js';
import { memoryNodeLogger } from '../../../src/node/node-logger.js';
import { startQuorumServer, type RunningQuorumServer } from '../../../src/node/quorum-server.js';
import { FAST_QUORUM_PROPERTIES, freePort } from '../support/cluster-configs.js';
import { waitFor } from '../support/wait-for.js';

const running: RunningQuorumServer[] = [];
const roots: string[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function nodeConfig(lines: string[]): ServerConfig {
  const text = [...lines, ...Object.entries(FAST_QUORUM_PROPERTIES).map(([key, value]) => `${key}=${value}`)].join('\n');
  const config = parseServerConfig(text);
  formatStorage(config, { clusterId: 'ObserverCluster', ignoreFormatted: false });
  return config;
}

describe('a broker-only observer', () => {
  it('registers, forwards a write to the controller and applies it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quorumd-observer-'));
    roots.push(root);
    const controllerPort = await freePort();
    const voters = `controller.quorum.voters=1@127.0.0.1:${controllerPort}`;
    const controller = nodeConfig([
      'node.id=1', 'process.roles=controller', voters, `listeners=CONTROLLER://127.0.0.1:${controllerPort}`,
      'controller.listener.names=CONTROLLER', `log.dirs=${join(root, 'c1')}`,
    ]);
    const observer = nodeConfig([
      'node.id=5', 'process.roles=broker', voters, `listeners=PLAINTEXT://127.0.0.1:${await freePort()}`,
      'controller.listener.names=CONTROLLER', `log.dirs=${join(root, 'b5')}`,
    ]);
    for (const config of [controller, observer]) {
      running.push(await startQuorumServer({ config, logger: memoryNodeLogger(), withoutKafka: true, onFatal: (error) => { throw error; } }));
    }
    const [controllerServer, observerServer] = running as [RunningQuorumServer, RunningQuorumServer];
    expect(observerServer.transport.port).toBeNull();
    await waitFor('the observer registered as broker 5', () => controllerServer.host.localImage().unfencedBrokerIds().includes(5));
    const response = await observerServer.host.submit({ type: 'createTopic', name: 'from-observer', numPartitions: 3, replicationFactor: 1 });
    expect(response.outcome, JSON.stringify(response)).toBe('ok');
    expect(observerServer.host.localImage().topicNames()).toEqual(['from-observer']);
    expect(observerServer.host.debugState().state).toBe('follower');
  });
});
