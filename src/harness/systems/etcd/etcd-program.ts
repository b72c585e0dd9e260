/**
 * What runs in an etcd node's container: one etcd member named after the node's alias, peers
 * found by their aliases on the project network, clients served on the client port. Settings go
 * through etcd's ETCD_* environment variables, written to /etc/quorumd/etcd.env: its `.template`
 * form lets the entry script fill in the node's own bridge address (advertised to clients).
 *
 * A restarted container keeps /var/lib/etcd, and etcd then ignores the initial-cluster settings
 * and rejoins with its own data, as a rebooted machine would.
 */
import type { NodeLayout } from '../../cluster/cluster-layout.js';
import { nodeConfigDir, type NodeProgram } from '../../cluster/node-program.js';

export const etcdClientPort = 2379;
export const etcdPeerPort = 2380;
export const etcdDataDir = '/var/lib/etcd/data';

/** One member of the cluster: its node id and network alias. */
export interface EtcdMember {
  nodeId: number;
  alias: string;
}

export interface EtcdNodePlan {
  member: EtcdMember;
  members: readonly EtcdMember[];
  /** etcd's `initial-cluster-token`: distinct per run, so two clusters never merge. */
  clusterToken: string;
  clientPort: number;
  peerPort: number;
  /** Where clients reach this node: a host, or the bridge address placeholder. */
  advertisedClientHost: string;
  advertisedClientPort: number;
  /** Extra or overriding ETCD_* variables (e.g. ETCD_ELECTION_TIMEOUT). */
  settings?: Readonly<Record<string, string>>;
}

/** etcd's environment for one member, as `KEY=value` lines (sourced by run.sh). */
export function etcdEnvironment(plan: EtcdNodePlan): Record<string, string> {
  const { member } = plan;
  return {
    ETCD_NAME: member.alias,
    ETCD_DATA_DIR: etcdDataDir,
    ETCD_LISTEN_PEER_URLS: `http://0.0.0.0:${plan.peerPort}`,
    ETCD_LISTEN_CLIENT_URLS: `http://0.0.0.0:${plan.clientPort}`,
    ETCD_INITIAL_ADVERTISE_PEER_URLS: `http://${member.alias}:${plan.peerPort}`,
    ETCD_ADVERTISE_CLIENT_URLS: `http://${plan.advertisedClientHost}:${plan.advertisedClientPort}`,
    ETCD_INITIAL_CLUSTER: plan.members.map((peer) => `${peer.alias}=http://${peer.alias}:${plan.peerPort}`).join(','),
    ETCD_INITIAL_CLUSTER_STATE: 'new',
    ETCD_INITIAL_CLUSTER_TOKEN: plan.clusterToken,
    // zap's JSON lines: one event per line, with the raft messages the event log is read from.
    ETCD_LOGGER: 'zap',
    ETCD_LOG_OUTPUTS: 'stderr',
    ...plan.settings,
  };
}

/** The member plan of a harness node layout: the members are the layout's voters. */
export function etcdPlanOf(layout: NodeLayout, settings?: Readonly<Record<string, string>>): EtcdNodePlan {
  const members = layout.peers.filter((peer) => peer.voter).map((peer) => ({ nodeId: peer.nodeId, alias: peer.alias }));
  return {
    member: { nodeId: layout.nodeId, alias: layout.alias },
    members,
    clusterToken: layout.clusterId,
    clientPort: layout.clientPort,
    peerPort: layout.peerPort,
    advertisedClientHost: layout.advertisedClientHost,
    advertisedClientPort: layout.advertisedClientPort,
    ...(settings === undefined ? {} : { settings }),
  };
}

export function etcdNodeProgram(settings?: Readonly<Record<string, string>>): NodeProgram {
  return {
    name: 'etcd',
    // etcd 3.4's zap logger says this once the member has joined and serves its client port.
    readyLogPattern: () => /serving client traffic/,
    files: (layout) => [{
      name: 'etcd.env.template',
      content: Object.entries(etcdEnvironment(etcdPlanOf(layout, settings)))
        .map(([key, value]) => `${key}='${value}'`).join('\n') + '\n',
    }],
    runScript: () => [
      'set -eu',
      'set -a',
      `. ${nodeConfigDir}/etcd.env`,
      'set +a',
      'exec etcd',
    ].join('\n'),
  };
}

