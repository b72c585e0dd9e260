/**
 * A cluster of a system under test: the system's image, topology and node program, started as a
 * container cluster, with the adapter's view of it (endpoints, leader, clients). This is where a
 * SystemAdapter meets the containers; the docker world and the suites start systems through it.
 *
 *     await using started = await startSystemCluster({ system: quorumdSystem, topology: { voters: 3, roles: 'combined' } });
 *     const client = await started.openClient(0, 5_000);
 */
import type { ProgressLog } from '../docker/docker-cli.js';
import type { AdvertiseMode } from '../cluster/cluster-layout.js';
import type { FaultPathChoice } from '../cluster/node-access.js';
import { QuorumCluster } from '../cluster/quorum-cluster.js';
import type { StartedQuorumCluster } from '../cluster/started-quorum-cluster.js';
import type {
  LeaderReport, NodeEndpoint, OperationClient, PlannedNode, SystemAdapter, TopologyRequest,
} from './system-adapter.js';

export interface SystemClusterOptions {
  system: SystemAdapter;
  /** A topology to plan with the system's rules, or nodes already planned. */
  topology: TopologyRequest | readonly PlannedNode[];
  /** Server settings on every node, in the system's keys (checked before anything starts). */
  nodeConfig?: Readonly<Record<string, string>>;
  /** The image to run; default the system's own, built if missing. */
  image?: string;
  /** Run nodes under libfaketime, so clock faults can be set (default: if the system honours it). */
  clockFaults?: boolean;
  advertise?: AdvertiseMode;
  faultPath?: FaultPathChoice;
  runId?: string;
  startupTimeoutMs?: number;
  log?: ProgressLog;
}

export class StartedSystemCluster implements AsyncDisposable {
  constructor(readonly system: SystemAdapter, readonly cluster: StartedQuorumCluster) {}

  /** Every node as the adapter sees it, with its current client address. */
  endpoints(): NodeEndpoint[] {
    return this.cluster.nodes.map((node) => ({
      nodeId: node.nodeId,
      roles: node.layout.roles,
      voter: node.layout.voter,
      servesClients: node.layout.servesClients,
      clientAddress: node.clientAddress,
    }));
  }

  findLeader(timeoutMs: number): Promise<LeaderReport | null> {
    return this.system.findLeader(this.endpoints(), timeoutMs);
  }

  openClient(process: number, requestTimeoutMs: number, endpoints: readonly NodeEndpoint[] = this.endpoints()): Promise<OperationClient> {
    return this.system.openClient({ process, requestTimeoutMs, endpoints });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.cluster.stop();
  }
}

export async function startSystemCluster(options: SystemClusterOptions): Promise<StartedSystemCluster> {
  const { system } = options;
  const nodes = 'voters' in options.topology ? system.planTopology(options.topology) : options.topology;
  const nodeConfig = options.nodeConfig ?? {};
  system.checkNodeConfig(nodeConfig);
  const image = options.image ?? await system.ensureImage(options.log === undefined ? {} : { log: options.log });
  const cluster = await new QuorumCluster({
    image,
    nodes,
    program: system.nodeProgram({ nodeConfig }),
    clientPort: system.ports.client,
    peerPort: system.ports.peer,
    clockSkew: options.clockFaults ?? system.clockFaults,
    ...(options.advertise === undefined ? {} : { advertise: options.advertise }),
    ...(options.faultPath === undefined ? {} : { faultPath: options.faultPath }),
    ...(options.runId === undefined ? {} : { runId: options.runId }),
    ...(options.startupTimeoutMs === undefined ? {} : { startupTimeoutMs: options.startupTimeoutMs }),
    ...(options.log === undefined ? {} : { log: options.log }),
  }).start();
  return new StartedSystemCluster(system, cluster);
}
