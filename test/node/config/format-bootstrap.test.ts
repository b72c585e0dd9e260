/**
 * format for a dynamic quorum (KIP-853): which flags each configuration takes, each refusal naming
 * what to do instead; what `--standalone`, `--initial-controllers` and `--no-initial-controllers`
 * write (the directory id in meta.properties, the bootstrap voters); the configuration's
 * `controller.quorum.bootstrap.servers`; and a node that refuses to start on a disk formatted for
 * the other kraft.version (a dynamic quorum is never downgraded).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerConfig, type ServerConfig } from '../../../src/node/config/server-config.js';
import { formatStorage } from '../../../src/node/format-storage.js';
import { memoryNodeLogger } from '../../../src/node/node-logger.js';
import { startQuorumServer } from '../../../src/node/quorum-server.js';
import { readMetaProperties } from '../../../src/node/storage/meta-properties.js';
import { bootstrapVotersOf, readQuorumBootstrap } from '../../../src/node/storage/quorum-bootstrap.js';
import { parseInitialControllers } from '../../../src/node/config/listener-addresses.js';
import { isDirectoryId } from '../../../src/node/storage/meta-properties.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const DIR_A = 'AAAAAAAAAAAAAAAAAAAAAQ';
const DIR_B = 'Gs0tgWzCQuWa5EdbkWGbdA';

function config(lines: string[]): ServerConfig {
  const root = mkdtempSync(join(tmpdir(), 'quorumd-format-'));
  roots.push(root);
  return parseServerConfig([...lines, `log.dirs=${join(root, 'a')},${join(root, 'b')}`].join('\n'));
}

const controller = (quorum: string, id = 1) => config([
  `node.id=${id}`, 'process.roles=controller', quorum, 'listeners=CONTROLLER://:9093',
  'advertised.listeners=CONTROLLER://c1.example:19093', 'controller.listener.names=CONTROLLER',
]);
const BOOTSTRAP = 'controller.quorum.bootstrap.servers=c1.example:19093,c2.example:9093';

describe('format for a dynamic quorum', () => {
  it('reads controller.quorum.bootstrap.servers as kraft.version 1, exclusive of controller.quorum.voters', () => {
    const dynamic = controller(BOOTSTRAP);
    expect(dynamic.kraftVersion).toBe(1);
    expect(dynamic.voters).toEqual([]);
    expect(dynamic.bootstrapServers).toEqual([{ host: 'c1.example', port: 19093 }, { host: 'c2.example', port: 9093 }]);
    expect(dynamic.controllerEndpoints).toEqual([{ name: 'CONTROLLER', host: 'c1.example', port: 19093 }]);
    expect(dynamic.quorum.bootstrapServers).toEqual([-2, -3]);
    // Without an advertised address, a wildcard listener is this machine's host name: what others dial.
    for (const bound of ['', '0.0.0.0', '[::]']) {
      const wildcard = config([`node.id=1`, 'process.roles=controller', BOOTSTRAP, `listeners=CONTROLLER://${bound}:9093`, 'controller.listener.names=CONTROLLER']);
      expect(wildcard.controllerEndpoints, bound).toEqual([{ name: 'CONTROLLER', host: hostname(), port: 9093 }]);
    }
    expect(config(['node.id=1', 'process.roles=controller', BOOTSTRAP, 'listeners=CONTROLLER://127.0.0.1:9093', 'controller.listener.names=CONTROLLER'])
      .controllerEndpoints).toEqual([{ name: 'CONTROLLER', host: '127.0.0.1', port: 9093 }]);
    expect(controller('controller.quorum.voters=1@h:1').kraftVersion).toBe(0);
    expect(() => controller(`controller.quorum.voters=1@h:1\n${BOOTSTRAP}`)).toThrow(/controller\.quorum\.bootstrap\.servers: cannot be set together with controller\.quorum\.voters/);
    expect(() => controller('controller.quorum.bootstrap.servers=nohost')).toThrow(/'nohost' is not host:port/);
    expect(() => config(['node.id=1', 'process.roles=controller', 'listeners=CONTROLLER://:9093', 'controller.listener.names=CONTROLLER']))
      .toThrow(/controller\.quorum\.voters: is required \(or controller\.quorum\.bootstrap\.servers/);
  });

  it('--standalone makes this controller the one initial voter, under the directory id it writes', () => {
    const node = controller(BOOTSTRAP);
    const result = formatStorage(node, { clusterId: 'C1', ignoreFormatted: false, bootstrap: { kind: 'standalone' }, newDirectoryId: () => DIR_A });
    expect(result.formatted).toHaveLength(2);
    expect(readMetaProperties(node.metadataLogDir)).toEqual({ clusterId: 'C1', nodeId: 1, directoryId: DIR_A, version: 1 });
    expect(readFileSync(join(node.metadataLogDir, 'meta.properties'), 'utf8')).toMatch(/^directory\.id=AAAAAAAAAAAAAAAAAAAAAQ$/m);
    const bootstrap = readQuorumBootstrap(node.metadataLogDir)!;
    expect(bootstrapVotersOf(bootstrap)).toEqual([{ id: 1, directoryId: DIR_A, endpoints: [{ name: 'CONTROLLER', host: 'c1.example', port: 19093 }] }]);
    // Only the metadata log directory holds the bootstrap.
    expect(readQuorumBootstrap(node.logDirs[1]!)).toBeNull();
  });

  it('--initial-controllers formats this controller with the directory id the list gives it', () => {
    const node = controller(BOOTSTRAP, 2);
    const controllers = parseInitialControllers('--initial-controllers', `1@c1:9093:${DIR_A},2@[::1]:9094:${DIR_B}`, isDirectoryId);
    formatStorage(node, { clusterId: 'C1', ignoreFormatted: false, bootstrap: { kind: 'initial-controllers', controllers } });
    expect(readMetaProperties(node.metadataLogDir).directoryId).toBe(DIR_B);
    expect(readMetaProperties(node.logDirs[1]!).directoryId).not.toBe(DIR_B);
    expect(bootstrapVotersOf(readQuorumBootstrap(node.metadataLogDir)!)).toEqual([
      { id: 1, directoryId: DIR_A, endpoints: [{ name: 'CONTROLLER', host: 'c1', port: 9093 }] },
      { id: 2, directoryId: DIR_B, endpoints: [{ name: 'CONTROLLER', host: '::1', port: 9094 }] },
    ]);
    const other = controller(BOOTSTRAP, 3);
    expect(() => formatStorage(other, { clusterId: 'C1', ignoreFormatted: false, bootstrap: { kind: 'initial-controllers', controllers } }))
      .toThrow(/does not name this controller's node\.id 3: use --no-initial-controllers/);
  });

  it('--no-initial-controllers and brokers write no voters; the flags are refused where they do not belong', () => {
    const joiner = controller(BOOTSTRAP);
    formatStorage(joiner, { clusterId: 'C1', ignoreFormatted: false, bootstrap: { kind: 'no-initial-controllers' } });
    expect(readQuorumBootstrap(joiner.metadataLogDir)).toMatchObject({ kraftVersion: 1, initialControllers: null });
    expect(() => formatStorage(controller(BOOTSTRAP), { clusterId: 'C1', ignoreFormatted: false }))
      .toThrow(/one of --standalone, --initial-controllers or --no-initial-controllers/);
    expect(() => formatStorage(controller('controller.quorum.voters=1@h:1'), { clusterId: 'C1', ignoreFormatted: false, bootstrap: { kind: 'standalone' } }))
      .toThrow(/--standalone is for a dynamic quorum: .*controller\.quorum\.voters/);
    const broker = config(['node.id=7', 'process.roles=broker', BOOTSTRAP, 'listeners=PLAINTEXT://:9092', 'controller.listener.names=CONTROLLER']);
    expect(() => formatStorage(broker, { clusterId: 'C1', ignoreFormatted: false, bootstrap: { kind: 'standalone' } })).toThrow(/--standalone is for controllers/);
    formatStorage(broker, { clusterId: 'C1', ignoreFormatted: false });
    expect(readQuorumBootstrap(broker.metadataLogDir)).toMatchObject({ initialControllers: null });
  });

  it('a disk formatted for one kraft.version refuses to start under the other', async () => {
    const dynamic = controller(BOOTSTRAP);
    formatStorage(dynamic, { clusterId: 'C1', ignoreFormatted: false, bootstrap: { kind: 'standalone' } });
    const downgraded = parseServerConfig([
      'node.id=1', 'process.roles=controller', 'controller.quorum.voters=1@127.0.0.1:0', 'listeners=CONTROLLER://127.0.0.1:0',
      'controller.listener.names=CONTROLLER', `log.dirs=${dynamic.logDirs.join(',')}`,
    ].join('\n'));
    const options = { logger: memoryNodeLogger(), onFatal: () => undefined, withoutKafka: true };
    await expect(startQuorumServer({ ...options, config: downgraded })).rejects.toThrow(/formatted for a dynamic quorum \(kraft\.version 1\), which is never downgraded/);
    const fixed = controller('controller.quorum.voters=1@127.0.0.1:0');
    formatStorage(fixed, { clusterId: 'C1', ignoreFormatted: false });
    const upgraded = parseServerConfig([
      'node.id=1', 'process.roles=controller', 'controller.quorum.bootstrap.servers=127.0.0.1:1', 'listeners=CONTROLLER://127.0.0.1:0',
      'controller.listener.names=CONTROLLER', `log.dirs=${fixed.logDirs.join(',')}`,
    ].join('\n'));
    await expect(startQuorumServer({ ...options, config: upgraded })).rejects.toThrow(/formatted for a static quorum \(kraft\.version 0\)/);
  });
});
