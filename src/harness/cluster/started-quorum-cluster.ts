/**
 * A running cluster: its nodes by id, where clients connect, log collection, and disposal that
 * removes every container and the network of the run (also on process exit, if never disposed).
 */
import { getContainerRuntimeClient } from 'testcontainers';
import type { ProgressLog } from '../docker/docker-cli.js';
import { removeRunResources } from '../docker/resource-labels.js';
import { collectNodeLogs, type CollectedNodeLogs } from './node-log-collection.js';
import type { StartedQuorumNode } from './started-quorum-node.js';

export class StartedQuorumCluster implements AsyncDisposable {
  private stopped = false;

  constructor(
    readonly runId: string,
    readonly clusterId: string,
    readonly networkName: string,
    readonly nodes: readonly StartedQuorumNode[],
    private readonly exitHook: { cancel(): void },
    private readonly log: ProgressLog,
  ) {}

  node(nodeId: number): StartedQuorumNode {
    const found = this.nodes.find((node) => node.nodeId === nodeId);
    if (found === undefined) {
      throw new RangeError(`no node ${nodeId} in run ${this.runId} (nodes ${this.nodes.map((node) => node.nodeId).join(', ')})`);
    }
    return found;
  }

  /** `host:port` of every broker as a client on this machine reaches it (kafkajs `brokers`). */
  bootstrapServers(): string[] {
    return this.nodes.map((node) => node.brokerAddress);
  }

  /** Copies each node's /var/log/quorumd and container output into `runDir/nodeN/`. */
  async collectLogs(runDir: string): Promise<CollectedNodeLogs[]> {
    return Promise.all(this.nodes.map((node) => collectNodeLogs(node, runDir)));
  }

  /** Removes the nodes and the network. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const results = await Promise.allSettled(this.nodes.map((node) => node.remove()));
    const client = await getContainerRuntimeClient();
    await client.network.remove(client.network.getById(this.networkName)).catch(() => {});
    // Whatever the steps above missed (a node that failed to stop), remove by label.
    await removeRunResources(this.runId);
    this.exitHook.cancel();
    const failed = results.filter((result) => result.status === 'rejected').length;
    this.log(`run ${this.runId}: stopped${failed > 0 ? ` (${failed} nodes needed removal by label)` : ''}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
