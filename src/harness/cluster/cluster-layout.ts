/**
 * The pure plan of a cluster: for each node its id, roles, network alias, ports and the address
 * it advertises to clients, computed from the planned nodes before any container exists.
 * Everything that depends on Docker (a node's own bridge address, assigned at start) is left as
 * the placeholder `@BRIDGE_ADDRESS@`, which the image's entry script fills in at every start.
 */
import type { PlannedNode } from '../systems/system-adapter.js';

/** Docker assigns this address at start; the entry script substitutes it in *.template files. */
export const bridgeAddressPlaceholder = '@BRIDGE_ADDRESS@';
/** More containers than this is a mistake in a test, not a test (7 voters + 9 brokers fit). */
export const nodeCountMax = 16;

/**
 * How a client on the host reaches the nodes:
 * - `bridge-address`: the container's address on the project network, as Jepsen's clients do.
 *   Works on Linux, where the host routes to bridge networks directly.
 * - `mapped-port`: the host's mapped port (as Testcontainers' Kafka module does), for Docker
 *   Desktop, where container addresses are not reachable from the host.
 */
export type AdvertiseMode = 'bridge-address' | 'mapped-port';

export interface LayoutSpec {
  nodes: readonly PlannedNode[];
  clusterId: string;
  /** The port clients connect to (Kafka's broker listener). */
  clientPort: number;
  /** The port nodes reach each other on (Kafka's controller listener). */
  peerPort: number;
  advertise: AdvertiseMode;
  /** Host ports bound to each node's client port, in the order of `nodes`. */
  hostClientPorts: readonly number[];
  /** The engine's host as seen from this process (`localhost` for a local socket). */
  dockerHost: string;
}

/** What every node knows of its peers. */
export interface PeerLayout {
  nodeId: number;
  alias: string;
  roles: readonly string[];
  voter: boolean;
  servesClients: boolean;
}

export interface NodeLayout extends PeerLayout {
  clusterId: string;
  clientPort: number;
  peerPort: number;
  hostClientPort: number;
  /** What the node advertises to clients (may hold the bridge address placeholder). */
  advertisedClientHost: string;
  advertisedClientPort: number;
  /** Every node of the cluster, this one included, in node id order. */
  peers: readonly PeerLayout[];
  dataDir: string;
  logDir: string;
  eventLogPath: string;
}

/** Where a node keeps its data and logs inside its container. */
export const nodeDataDir = '/var/lib/quorumd/data';
export const nodeLogDir = '/var/log/quorumd';
export const nodeEventLogPath = `${nodeLogDir}/events.jsonl`;

export function nodeAlias(nodeId: number): string {
  return `node${nodeId}`;
}

/** `count` combined voters 1..count: the harness's default when a test names only a size. */
export function combinedNodes(count: number): PlannedNode[] {
  return Array.from({ length: count }, (_, index) => ({
    nodeId: index + 1, roles: ['broker', 'controller'], voter: true, servesClients: true,
  }));
}

export function planCluster(spec: LayoutSpec): NodeLayout[] {
  assertLayoutSpec(spec);
  const peers: PeerLayout[] = [...spec.nodes]
    .sort((a, b) => a.nodeId - b.nodeId)
    .map((node) => ({ nodeId: node.nodeId, alias: nodeAlias(node.nodeId), roles: [...node.roles], voter: node.voter, servesClients: node.servesClients }));
  return spec.nodes.map((node, index) => {
    const hostClientPort = spec.hostClientPorts[index] as number;
    const mapped = spec.advertise === 'mapped-port';
    return {
      ...(peers.find((peer) => peer.nodeId === node.nodeId) as PeerLayout),
      clusterId: spec.clusterId,
      clientPort: spec.clientPort,
      peerPort: spec.peerPort,
      hostClientPort,
      advertisedClientHost: mapped ? spec.dockerHost : bridgeAddressPlaceholder,
      advertisedClientPort: mapped ? hostClientPort : spec.clientPort,
      peers,
      dataDir: nodeDataDir,
      logDir: nodeLogDir,
      eventLogPath: nodeEventLogPath,
    };
  });
}

/** Kafka's `controller.quorum.voters`: `id@alias:port` of every voter, stable across restarts. */
export function quorumVoters(layout: NodeLayout): string {
  return layout.peers.filter((peer) => peer.voter).map((peer) => `${peer.nodeId}@${peer.alias}:${layout.peerPort}`).join(',');
}

function assertLayoutSpec(spec: LayoutSpec): void {
  const count = spec.nodes.length;
  if (count < 1 || count > nodeCountMax) {
    throw new RangeError(`a cluster has 1 to ${nodeCountMax} nodes, got ${count}`);
  }
  const ids = spec.nodes.map((node) => node.nodeId);
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 1 || id > 999) throw new RangeError(`node ids must be integers from 1 to 999, got ${id}`);
  }
  if (new Set(ids).size !== ids.length) throw new RangeError(`node ids must be unique, got ${ids.join(',')}`);
  if (!spec.nodes.some((node) => node.voter)) throw new RangeError('a cluster needs at least one voter');
  if (!spec.nodes.some((node) => node.servesClients)) throw new RangeError('a cluster needs at least one node serving clients');
  for (const [name, port] of [['clientPort', spec.clientPort], ['peerPort', spec.peerPort]] as const) {
    assertPort(name, port);
  }
  if (spec.clientPort === spec.peerPort) {
    throw new RangeError(`clientPort and peerPort must differ, both are ${spec.clientPort}`);
  }
  if (spec.hostClientPorts.length !== count) {
    throw new RangeError(`need one host port per node: ${count} nodes, ${spec.hostClientPorts.length} ports`);
  }
  spec.hostClientPorts.forEach((port, index) => assertPort(`hostClientPorts[${index}]`, port));
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(spec.clusterId)) {
    throw new RangeError(`clusterId must be 1 to 64 characters of [A-Za-z0-9_-] (Kafka's base64url ids), got '${spec.clusterId}'`);
  }
}

function assertPort(name: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`${name} must be a TCP port (1 to 65535), got ${port}`);
  }
}
