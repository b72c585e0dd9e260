/**
 * Test clusters on 127.0.0.1: free ports picked first (listen on 0, read the port, close), one
 * server.properties per node under a tmp dir, each formatted like `quorumd format` would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerConfig, type ServerConfig } from '../../../src/node/config/server-config.js';
import { formatStorage } from '../../../src/node/format-storage.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestNodeFiles {
  nodeId: number;
  configPath: string;
  config: ServerConfig;
  dataDir: string;
  eventLogPath: string;
  brokerPort: number;
  controllerPort: number;
}

export interface TestClusterFiles {
  root: string;
  clusterId: string;
  nodes: TestNodeFiles[];
}

/** Fast timeouts so elections finish in well under a second on a loaded machine. */
export const FAST_QUORUM_PROPERTIES: Record<string, string> = {
  'controller.quorum.election.timeout.ms': '300',
  'controller.quorum.fetch.timeout.ms': '600',
  'controller.quorum.election.backoff.max.ms': '200',
  'controller.quorum.request.timeout.ms': '300',
  'controller.quorum.append.linger.ms': '5',
  'broker.heartbeat.interval.ms': '200',
  'broker.session.timeout.ms': '3000',
};

export async function writeTestCluster(nodeCount: number, extra: Record<string, string> = {}, root = mkdtempSync(join(tmpdir(), 'quorumd-'))): Promise<TestClusterFiles> {
  const clusterId = 'TestCluster0123456789a';
  const ports = [];
  for (let i = 0; i < nodeCount; i++) ports.push({ broker: await freePort(), controller: await freePort() });
  const voters = ports.map((port, index) => `${index + 1}@127.0.0.1:${port.controller}`).join(',');
  const nodes = ports.map((port, index) => {
    const nodeId = index + 1;
    const dataDir = join(root, `node${nodeId}`, 'data');
    const eventLogPath = join(root, `node${nodeId}`, 'events.jsonl');
    const properties: Record<string, string> = {
      'node.id': String(nodeId),
      'process.roles': 'broker,controller',
      'controller.quorum.voters': voters,
      'listeners': `PLAINTEXT://127.0.0.1:${port.broker},CONTROLLER://127.0.0.1:${port.controller}`,
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': dataDir,
      'event.log.file': eventLogPath,
      ...FAST_QUORUM_PROPERTIES,
      ...extra,
    };
    const text = Object.entries(properties).map(([key, value]) => `${key}=${value}`).join('\n') + '\n';
    const configPath = join(root, `node${nodeId}.properties`);
    writeFileSync(configPath, text);
    const config = parseServerConfig(text, configPath);
    formatStorage(config, { clusterId, ignoreFormatted: false });
    return { nodeId, configPath, config, dataDir, eventLogPath, brokerPort: port.broker, controllerPort: port.controller };
  });
  return { root, clusterId, nodes };
}
