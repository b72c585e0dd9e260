/**
 * quorumd as a dynamic quorum, without containers: what each node's files say. Initial voters are
 * formatted --initial-controllers with the directory ids chosen up front, spare controllers
 * --no-initial-controllers, brokers with no flag; nobody has a static voter list; controllers
 * advertise their alias on the project network. The containers themselves run in
 * test/run/worlds/docker-membership.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { planCluster, type NodeLayout } from '../../../src/harness/cluster/cluster-layout.js';
import { directoryIdIn, dynamicQuorumdSystem, newDynamicQuorum } from '../../../src/harness/systems/quorumd/quorumd-dynamic.js';

function layouts(): NodeLayout[] {
  const controller = (nodeId: number, voter: boolean) => ({ nodeId, roles: ['controller'], voter, servesClients: false });
  return planCluster({
    nodes: [controller(1, true), controller(2, true), controller(3, true), controller(4, false),
      { nodeId: 101, roles: ['broker'], voter: false, servesClients: true }],
    clusterId: 'AAAAAAAAAAAAAAAAAAAAAA', clientPort: 9092, peerPort: 9093, advertise: 'bridge-address',
    hostClientPorts: [40001, 40002, 40003, 40004, 40101], dockerHost: 'localhost',
  });
}

function filesOf(quorum: ReturnType<typeof newDynamicQuorum>, layout: NodeLayout): Map<string, string> {
  const program = dynamicQuorumdSystem(quorum).nodeProgram({ nodeConfig: { 'metadata.read.consistency': 'linearizable' } });
  return new Map(program.files(layout).map((file) => [file.name, file.content]));
}

describe('quorumd as a dynamic quorum (KIP-853), without containers', () => {
  it('formats initial voters with their chosen directory ids, spares to join later, brokers plainly; no static voters', () => {
    const quorum = newDynamicQuorum([1, 2, 3]);
    expect([...quorum.initialDirectories.keys()]).toEqual([1, 2, 3]);
    for (const directoryId of quorum.initialDirectories.values()) expect(directoryId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const [one, , , spare, broker] = layouts();
    const initial = [1, 2, 3].map((id) => `${id}@node${id}:9093:${quorum.initialDirectories.get(id)}`).join(',');
    expect(filesOf(quorum, one!).get('format-flags')).toBe(`--initial-controllers=${initial}\n`);
    expect(filesOf(quorum, spare!).get('format-flags')).toBe('--no-initial-controllers\n');
    expect(filesOf(quorum, broker!).get('format-flags')).toBe('\n');
    for (const layout of [one!, spare!, broker!]) {
      const properties = filesOf(quorum, layout).get('server.properties.template')!;
      expect(properties).not.toMatch(/^controller\.quorum\.voters=/m);
      expect(properties).toMatch(/^controller\.quorum\.bootstrap\.servers=node1:9093,node2:9093,node3:9093$/m);
      expect(properties).toContain('metadata.read.consistency=linearizable');
    }
    expect(filesOf(quorum, spare!).get('server.properties.template')).toMatch(/^advertised\.listeners=.*CONTROLLER:\/\/node4:9093/m);
    expect(filesOf(quorum, broker!).get('server.properties.template')).not.toContain('CONTROLLER://node101');
  });

  it('reads the directory id out of meta.properties, and none from a node not formatted yet', () => {
    expect(directoryIdIn('version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\ndirectory.id=Gs0tgWzCQuWa5EdbkWGbdA\nnode.id=1\n')).toBe('Gs0tgWzCQuWa5EdbkWGbdA');
    expect(directoryIdIn('version=0\nnode.id=1\n')).toBeNull();
    expect(directoryIdIn('')).toBeNull();
  });
});
