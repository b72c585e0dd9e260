import { getContainerRuntimeClient } from 'testcontainers';
import { beforeAll, describe, expect, it } from 'vitest';
import { quorumdProgram, type NodeProgram } from '../../../src/harness/cluster/node-program.js';
import { QuorumCluster } from '../../../src/harness/cluster/quorum-cluster.js';
import type { AdvertiseMode } from '../../../src/harness/cluster/cluster-layout.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';
import { echoNodeProgram } from './echo-node-program.js';
import { readGreeting } from './tcp-greeting.js';

const engine = await dockerEngineForTests();

/** The echo node, plus quorumd's server.properties so the test can read what quorumd would. */
function echoWithQuorumdConfig(): NodeProgram {
  const echo = echoNodeProgram();
  return { ...echo, files: (layout) => [...echo.files(layout), ...quorumdProgram().files(layout)] };
}

describe.skipIf(!engine.available)('advertised listeners', () => {
  let image: string;
  beforeAll(async () => {
    image = await quorumdImageForTests();
  }, imageBuildTimeoutMs);

  it.each(['bridge-address', 'mapped-port'] as AdvertiseMode[])(
    '%s: server.properties advertises what a client on this host can reach',
    async (advertise) => {
      await using cluster = await new QuorumCluster({ image, nodeCount: 1, advertise, program: echoWithQuorumdConfig() }).start();
      const node = cluster.node(1);
      const properties = await node.execOrThrow(['cat', '/etc/quorumd/server.properties']);
      // A mapped port is reached on the engine's host as testcontainers names it: localhost, or
      // the bridge gateway when a /.dockerenv file says this process runs in a container.
      const engineHost = (await getContainerRuntimeClient()).info.containerRuntime.host;
      const expected = advertise === 'bridge-address' ? `${node.bridgeAddress}:9092` : `${engineHost}:${node.hostClientPort}`;
      expect(cluster.clientAddresses()).toEqual([expected]);
      expect(properties).toContain(`advertised.listeners=PLAINTEXT://${expected}\n`);
      expect(properties).toContain('controller.quorum.voters=1@node1:9093\n');
      const [host, port] = expected.split(':') as [string, string];
      expect(await readGreeting(host, Number(port))).toMatch(/^node1 /);
    },
  );
});
