/**
 * The pure plan of a cluster: for each node its id, network alias, ports and the addresses it
 * advertises, computed from a spec before any container exists. Everything that depends on
 * Docker (a node's own bridge address, assigned at start) is left as the placeholder
 * `@BRIDGE_ADDRESS@`, which the image's entry script fills in at every start.
 */

/** Docker assigns this address at start; the entry script substitutes it in *.template files. */
export const bridgeAddressPlaceholder = '@BRIDGE_ADDRESS@';
/** KRaft quorums are small; more than this many voters is a mistake in a test, not a test. */
export const nodeCountMax = 9;

/**
 * How a Kafka client on the host reaches brokers:
 * - `bridge-address`: the container's address on the project network, as Jepsen's clients do.
 *   Works on Linux, where the host routes to bridge networks directly.
 * - `mapped-port`: the host's mapped port (as Testcontainers' Kafka module does), for Docker
 *   Desktop, where container addresses are not reachable from the host.
 */
export type AdvertiseMode = 'bridge-address' | 'mapped-port';

export interface LayoutSpec {
  nodeCount: number;
  clusterId: string;
  brokerPort: number;
  controllerPort: number;
  advertise: AdvertiseMode;
  /** Host ports bound to each node's broker port, by index (node1 first). */
  hostBrokerPorts: readonly number[];
  /** The engine's host as seen from this process (`localhost` for a local socket). */
  dockerHost: string;
  processRoles: string;
}

export interface NodeLayout {
  nodeId: number;
  /** The node's DNS name on the project network: node1..nodeN. */
  alias: string;
  clusterId: string;
  processRoles: string;
  brokerPort: number;
  controllerPort: number;
  hostBrokerPort: number;
  /** What the node advertises to clients (may hold the bridge address placeholder). */
  advertisedBrokerHost: string;
  advertisedBrokerPort: number;
  /** Kafka's `controller.quorum.voters`: `id@alias:port`, stable across restarts. */
  quorumVoters: string;
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

export function planCluster(spec: LayoutSpec): NodeLayout[] {
  assertLayoutSpec(spec);
  const nodeIds = Array.from({ length: spec.nodeCount }, (_, index) => index + 1);
  const quorumVoters = nodeIds.map((id) => `${id}@${nodeAlias(id)}:${spec.controllerPort}`).join(',');
  return nodeIds.map((nodeId, index) => {
    const hostBrokerPort = spec.hostBrokerPorts[index] as number;
    const mapped = spec.advertise === 'mapped-port';
    return {
      nodeId,
      alias: nodeAlias(nodeId),
      clusterId: spec.clusterId,
      processRoles: spec.processRoles,
      brokerPort: spec.brokerPort,
      controllerPort: spec.controllerPort,
      hostBrokerPort,
      advertisedBrokerHost: mapped ? spec.dockerHost : bridgeAddressPlaceholder,
      advertisedBrokerPort: mapped ? hostBrokerPort : spec.brokerPort,
      quorumVoters,
      dataDir: nodeDataDir,
      logDir: nodeLogDir,
      eventLogPath: nodeEventLogPath,
    };
  });
}

function assertLayoutSpec(spec: LayoutSpec): void {
  if (!Number.isInteger(spec.nodeCount) || spec.nodeCount < 1 || spec.nodeCount > nodeCountMax) {
    throw new RangeError(`nodeCount must be an integer from 1 to ${nodeCountMax}, got ${spec.nodeCount}`);
  }
  for (const [name, port] of [['brokerPort', spec.brokerPort], ['controllerPort', spec.controllerPort]] as const) {
    assertPort(name, port);
  }
  if (spec.brokerPort === spec.controllerPort) {
    throw new RangeError(`brokerPort and controllerPort must differ, both are ${spec.brokerPort}`);
  }
  if (spec.hostBrokerPorts.length !== spec.nodeCount) {
    throw new RangeError(`need one host port per node: ${spec.nodeCount} nodes, ${spec.hostBrokerPorts.length} ports`);
  }
  spec.hostBrokerPorts.forEach((port, index) => assertPort(`hostBrokerPorts[${index}]`, port));
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(spec.clusterId)) {
    throw new RangeError(`clusterId must be 1 to 64 characters of [A-Za-z0-9_-] (Kafka's base64url ids), got '${spec.clusterId}'`);
  }
  if (!/^(broker|controller)(,(broker|controller))?$/.test(spec.processRoles)) {
    throw new RangeError(`processRoles must be broker, controller or both (comma-separated), got '${spec.processRoles}'`);
  }
}

function assertPort(name: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`${name} must be a TCP port (1 to 65535), got ${port}`);
  }
}
