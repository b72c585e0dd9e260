/**
 * The etcd adapter's rules without containers: topology, --node-config, versions and its node
 * program (the containers are in suites/containers/; the register workload is test/run/).
 */
import { describe, expect, it } from 'vitest';
import { etcdSystem, planEtcdTopology } from '../../../src/harness/systems/etcd/etcd-system.js';
import { etcdEnvironment } from '../../../src/harness/systems/etcd/etcd-program.js';
import { resolveEtcdVersion } from '../../../src/harness/systems/etcd/etcd-version.js';
import { NodeConfigError, TopologyError } from '../../../src/harness/systems/system-adapter.js';
import { UnknownVersionError } from '../../../src/harness/systems/reference/unknown-version.js';

describe('the etcd adapter, without containers', () => {
  it('plans members 1..N that all vote and serve, and refuses isolated roles', () => {
    expect(planEtcdTopology({ voters: 3, roles: 'combined' }).map((node) => [node.nodeId, node.voter, node.servesClients]))
      .toEqual([[1, true, true], [2, true, true], [3, true, true]]);
    expect(() => planEtcdTopology({ voters: 3, roles: 'isolated' })).toThrow(TopologyError);
    expect(() => planEtcdTopology({ voters: 3, roles: 'isolated' })).toThrow(/etcd has no isolated roles/);
    expect(() => planEtcdTopology({ voters: 0, roles: 'combined' })).toThrow(/1 to 9 members/);
  });

  it('takes etcd flag names for --node-config, refusing layout flags, unknown flags and bad values', () => {
    const system = etcdSystem();
    expect(() => system.checkNodeConfig({ 'election-timeout': '2000', 'heartbeat-interval': '200' })).not.toThrow();
    expect(() => system.checkNodeConfig({ 'initial-cluster': 'x' })).toThrow(/--node-config initial-cluster: is set by the harness/);
    expect(() => system.checkNodeConfig({ 'election-timeuot': '10' })).toThrow(NodeConfigError);
    expect(() => system.checkNodeConfig({ 'election-timeout': 'soon' })).toThrow(/must be a positive integer, got 'soon'/);
  });

  it('knows the 3.4 line: Debian\'s release locally, any 3.4 release from official images', () => {
    expect(resolveEtcdVersion(undefined, 'local')).toBe('3.4.23');
    expect(resolveEtcdVersion('3.4', 'local')).toBe('3.4.23');
    expect(resolveEtcdVersion('3.4.30', 'official')).toBe('3.4.30');
    expect(() => resolveEtcdVersion('3.4.30', 'local')).toThrow(/QUORUMCHECK_SYSTEM_IMAGES=official/);
    expect(() => resolveEtcdVersion('3.5.0', 'local')).toThrow(UnknownVersionError);
    expect(() => etcdSystem({ version: '2.3' })).toThrow(/etcd version '2.3' is not one quorumcheck knows/);
    expect(() => etcdSystem({ reads: 'stale' as 'linearizable' })).toThrow(/reads must be linearizable or serializable/);
  });

  it('writes each member its name, peers and the run\'s cluster token as ETCD_* settings', () => {
    const environment = etcdEnvironment({
      member: { nodeId: 2, alias: 'node2' },
      members: [{ nodeId: 1, alias: 'node1' }, { nodeId: 2, alias: 'node2' }, { nodeId: 3, alias: 'node3' }],
      clusterToken: 'run-42', clientPort: 2379, peerPort: 2380, advertisedClientHost: '@BRIDGE_ADDRESS@', advertisedClientPort: 2379,
      settings: { ETCD_ELECTION_TIMEOUT: '2000' },
    });
    expect(environment.ETCD_NAME).toBe('node2');
    expect(environment.ETCD_INITIAL_CLUSTER).toBe('node1=http://node1:2380,node2=http://node2:2380,node3=http://node3:2380');
    expect(environment.ETCD_INITIAL_CLUSTER_TOKEN).toBe('run-42');
    expect(environment.ETCD_ADVERTISE_CLIENT_URLS).toBe('http://@BRIDGE_ADDRESS@:2379');
    expect(environment.ETCD_ELECTION_TIMEOUT).toBe('2000');
  });
});
