/**
 * A running cluster: its nodes by id, where clients connect, the packet filters in force, log
 * collection, and disposal that removes every container and the network of the run (also on
 * process exit or Ctrl-C, if never disposed).
 */
import { getContainerRuntimeClient } from 'testcontainers';
import type { ProgressLog } from '../docker/docker-cli.js';
import { removeRunResources } from '../docker/resource-labels.js';
import { ClusterPacketFilters } from './cluster-packet-filters.js';
import type { NodeAccess } from './node-access.js';
import { nodeEventLogPath } from './cluster-layout.js';
import { readNodeLogTexts, writeNodeLogTexts, type CollectedNodeLogs, type NodeLogTexts } from './node-log-collection.js';
import type { StartedQuorumNode } from './started-quorum-node.js';

export class StartedQuorumCluster implements AsyncDisposable {
  private stopped = false;
  /** Partitions and packet loss in force; a restarted node gets its share back. */
  readonly packetFilters: ClusterPacketFilters;

  constructor(
    readonly runId: string,
    readonly clusterId: string,
    readonly networkName: string,
    /** The image every node runs. */
    readonly image: string,
    readonly nodes: readonly StartedQuorumNode[],
    /** How faults reach inside the containers (nsenter or docker exec), and why. */
    readonly access: NodeAccess,
    private readonly exitHook: { cancel(): void },
    private readonly log: ProgressLog,
  ) {
    this.packetFilters = new ClusterPacketFilters(nodes);
    for (const node of nodes) node.onStarted = (started, previousAddress) => this.packetFilters.afterStart(started, previousAddress);
  }

  node(nodeId: number): StartedQuorumNode {
    const found = this.nodes.find((node) => node.nodeId === nodeId);
    if (found === undefined) {
      throw new RangeError(`no node ${nodeId} in run ${this.runId} (nodes ${this.nodes.map((node) => node.nodeId).join(', ')})`);
    }
    return found;
  }

  /** The nodes that serve clients (every node in combined mode, the brokers in isolated mode). */
  clientNodes(): StartedQuorumNode[] {
    return this.nodes.filter((node) => node.layout.servesClients);
  }

  /** The voters of the quorum, whose event logs the Raft invariants judge. */
  voterIds(): number[] {
    return this.nodes.filter((node) => node.layout.voter).map((node) => node.nodeId);
  }

  /** `host:port` of every client-serving node as a client on this machine reaches it (kafkajs `brokers`). */
  clientAddresses(): string[] {
    return this.clientNodes().map((node) => node.clientAddress);
  }

  /**
   * Reads every node's output and event log (at `eventLogPath` inside its container; null reads
   * none) as one consistent cut.
   *
   * By default every running node is stopped (and continued after) while its files are read, so
   * the event logs are one consistent cut: quorumd writes a burst's events before it sends the
   * burst's messages, so nothing a frozen node sent is missing from its log, and a node still
   * running can only react to what was sent. Read live, one node's file may end before an
   * event that another node's later file already depends on: the invariant checker then sees,
   * say, a high watermark that no majority had flushed (seen in suites/containers/failover).
   * Nodes the caller had paused (freezer or SIGSTOP) stay paused. `freeze: false` reads live, for a peek mid-run.
   */
  async readLogs(eventLogPath: string | null, options: { freeze?: boolean } = {}): Promise<NodeLogTexts[]> {
    const frozen = options.freeze === false ? [] : await this.freezeRunningNodes();
    try {
      return await Promise.all(this.nodes.map((node) => readNodeLogTexts(node, eventLogPath)));
    } finally {
      await this.thaw(frozen);
    }
  }

  /**
   * readLogs, written into `runDir` as the run directory lays them out: `nodes/<id>.log` (the
   * container's output) and `nodes/<id>.events.jsonl` (the event log as the node wrote it).
   */
  async collectLogs(runDir: string, options: { freeze?: boolean; eventLogPath?: string | null } = {}): Promise<CollectedNodeLogs[]> {
    const texts = await this.readLogs(options.eventLogPath === undefined ? nodeEventLogPath : options.eventLogPath, options);
    return Promise.all(texts.map((text) => writeNodeLogTexts(text, runDir)));
  }

  /**
   * Stops (SIGSTOP) every running node that is not already frozen or stopped; returns those it
   * stopped, for thaw(). A signal, not the cgroup freezer: on a loaded machine the freezer can
   * fail ("unable to freeze") while a node is busy, and one process per node is all there is to
   * stop. A write(2) in progress completes first, so a file never holds half a burst.
   */
  private async freezeRunningNodes(): Promise<StartedQuorumNode[]> {
    const candidates = await Promise.all(this.nodes.map(async (node) =>
      !node.signalStopped && (await node.isRunning()) && !(await node.isPaused()) ? node : null));
    const toFreeze = candidates.filter((node): node is StartedQuorumNode => node !== null);
    const settled = await Promise.allSettled(toFreeze.map((node) => node.kill('SIGSTOP')));
    const frozen = toFreeze.filter((_, index) => settled[index]?.status === 'fulfilled');
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) {
      await this.thaw(frozen);
      throw new Error(`could not stop the nodes to collect their logs: ${String(failure.reason)}`, { cause: failure.reason });
    }
    return frozen;
  }

  private async thaw(frozen: readonly StartedQuorumNode[]): Promise<void> {
    await Promise.all(frozen.map((node) => node.kill('SIGCONT')));
  }

  /** Removes the nodes and the network. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.access.close();
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
