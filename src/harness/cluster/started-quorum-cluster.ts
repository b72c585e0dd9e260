/**
 * A running cluster: its nodes by id, where clients connect, log collection, and disposal that
 * removes every container and the network of the run (also on process exit, if never disposed).
 */
import { getContainerRuntimeClient } from 'testcontainers';
import type { ProgressLog } from '../docker/docker-cli.js';
import { removeRunResources } from '../docker/resource-labels.js';
import { collectNodeLogs, type CollectedNodeLogs } from './node-log-collection.js';
import type { StartedQuorumNode } from './started-quorum-node.js';

/** Node id → the node ids whose packets it drops (Jepsen's grudge). */
export type Grudge = Readonly<Record<number, readonly number[]>>;

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

  /**
   * Applies a Jepsen-style grudge: each node drops every packet from the nodes it lists (by
   * their bridge addresses, inside its own container). Rules add to those already in force;
   * `healAll` removes them. A symmetric partition lists each side in the other's grudge.
   */
  async applyGrudge(grudge: Grudge): Promise<void> {
    const entries = Object.entries(grudge).map(([nodeId, ignored]) => [Number(nodeId), ignored] as const);
    for (const [nodeId, ignored] of entries) {
      this.node(nodeId);
      for (const peerId of ignored) {
        this.node(peerId);
        if (peerId === nodeId) throw new RangeError(`grudge: node ${nodeId} cannot ignore itself`);
      }
    }
    await Promise.all(entries.map(async ([nodeId, ignored]) => {
      const node = this.node(nodeId);
      for (const peerId of ignored) await node.dropFrom(this.node(peerId).bridgeAddress);
    }));
  }

  /** Removes every nemesis packet filter rule on every running node (a killed node has none). */
  async healAll(): Promise<void> {
    await Promise.all(this.nodes.map(async (node) => {
      if (await node.isRunning()) await node.heal();
    }));
  }

  /**
   * Copies each node's /var/log/quorumd and container output into `runDir/nodeN/`.
   *
   * By default every running node is frozen (and thawed after) while its files are copied, so
   * the event logs are one consistent cut: quorumd writes a burst's events before it sends the
   * burst's messages, so nothing a frozen node sent is missing from its log, and a node still
   * running can only react to what was sent. Copied live, one node's file may end before an
   * event that another node's later file already depends on: the invariant checker then sees,
   * say, a high watermark that no majority had flushed (seen in suites/containers/failover).
   * Nodes the caller had paused stay paused. `freeze: false` copies live, for a peek mid-run.
   */
  async collectLogs(runDir: string, options: { freeze?: boolean } = {}): Promise<CollectedNodeLogs[]> {
    const frozen = options.freeze === false ? [] : await this.freezeRunningNodes();
    try {
      return await Promise.all(this.nodes.map((node) => collectNodeLogs(node, runDir)));
    } finally {
      await Promise.all(frozen.map((node) => node.unpause()));
    }
  }

  /** Pauses every running, unpaused node; returns those it paused. */
  private async freezeRunningNodes(): Promise<StartedQuorumNode[]> {
    const candidates = await Promise.all(this.nodes.map(async (node) =>
      (await node.isRunning()) && !(await node.isPaused()) ? node : null));
    const toFreeze = candidates.filter((node): node is StartedQuorumNode => node !== null);
    const settled = await Promise.allSettled(toFreeze.map((node) => node.pause()));
    const frozen = toFreeze.filter((_, index) => settled[index]?.status === 'fulfilled');
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) {
      await Promise.all(frozen.map((node) => node.unpause()));
      throw new Error(`could not freeze the nodes to collect their logs: ${String(failure.reason)}`, { cause: failure.reason });
    }
    return frozen;
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
