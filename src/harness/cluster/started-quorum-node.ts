/**
 * One running node of a cluster: its addresses, and the operations the nemesis and the run
 * need on it: exec, network faults by iptables inside the container, pause and unpause (cgroup
 * freezer), kill and start, restart, and its logs. Faults act on the container, not on the
 * host, so a host-side client still reaches every node while nodes cannot reach each other, as
 * in Jepsen.
 */
import type Dockerode from 'dockerode';
import { getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { faketimeFilePath, faketimeOffset } from './clock-skew.js';
import { demultiplexDockerLog } from './docker-log-frames.js';
import { bridgeAddressPlaceholder, type NodeLayout } from './cluster-layout.js';
import {
  dropFromCommand, ensureChainCommand, healCommand, listRulesCommand, lossFromCommand,
  parseRouteDevice, routeGetCommand, undropFromCommand, type DropMode,
} from './packet-filter-commands.js';

export interface ExecOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class NodeExecError extends Error {
  readonly code = 'NODE_EXEC_FAILED';
  constructor(readonly nodeId: number, readonly command: readonly string[], readonly outcome: ExecOutcome) {
    super(`node ${nodeId}: '${command.join(' ')}' exited ${outcome.exitCode}: ${(outcome.stderr || outcome.stdout).trim()}`);
    this.name = 'NodeExecError';
  }
}

export class StartedQuorumNode {
  readonly nodeId: number;
  readonly alias: string;
  private chainReady = false;
  private currentBridgeAddress: string;

  constructor(
    readonly layout: NodeLayout,
    private readonly container: StartedTestContainer,
    private readonly networkName: string,
    private readonly clockSkewEnabled = false,
  ) {
    this.nodeId = layout.nodeId;
    this.alias = layout.alias;
    this.currentBridgeAddress = container.getIpAddress(networkName);
  }

  get containerId(): string {
    return this.container.getId();
  }

  /** The node's address on the project network (reachable from the host on Linux). */
  get bridgeAddress(): string {
    return this.currentBridgeAddress;
  }

  /** The host port bound to the node's broker listener (fixed for the cluster's life). */
  get hostBrokerPort(): number {
    return this.layout.hostBrokerPort;
  }

  /** `host:port` a Kafka client on this machine should bootstrap from, per the advertise mode. */
  get brokerAddress(): string {
    return this.layout.advertisedBrokerHost === bridgeAddressPlaceholder
      ? `${this.currentBridgeAddress}:${this.layout.brokerPort}`
      : `${this.layout.advertisedBrokerHost}:${this.layout.advertisedBrokerPort}`;
  }

  /** Runs a command in the container; a non-zero exit is a result, not an error. */
  async exec(command: readonly string[]): Promise<ExecOutcome> {
    const result = await this.container.exec([...command]);
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }

  /** Runs a command and returns its standard output; throws NodeExecError on a non-zero exit. */
  async execOrThrow(command: readonly string[]): Promise<string> {
    const outcome = await this.exec(command);
    if (outcome.exitCode !== 0) throw new NodeExecError(this.nodeId, command, outcome);
    return outcome.stdout;
  }

  /**
   * Whether a TCP connection from this node to `host:port` opens within `timeoutMs`: the check
   * that a partition cuts (or a heal restores) a path between nodes. Uses the image's node.
   */
  async reaches(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
    const probe = [
      `const socket = require('node:net').connect(${JSON.stringify(port)}, ${JSON.stringify(host)});`,
      `socket.setTimeout(${JSON.stringify(timeoutMs)});`,
      "socket.on('connect', () => process.exit(0));",
      "socket.on('timeout', () => process.exit(3));",
      "socket.on('error', () => process.exit(4));",
    ].join(' ');
    const outcome = await this.exec(['node', '-e', probe]);
    if (outcome.exitCode !== 0 && outcome.exitCode !== 3 && outcome.exitCode !== 4) {
      throw new NodeExecError(this.nodeId, ['node', '-e', '<tcp probe>'], outcome);
    }
    return outcome.exitCode === 0;
  }

  /** The network device this node uses to reach `peerAddress` (`ip route get`). */
  async deviceTowards(peerAddress: string): Promise<string> {
    return parseRouteDevice(await this.execOrThrow(routeGetCommand(peerAddress)));
  }

  /** Drops every packet this node receives from `sourceAddress` (a peer's bridge address). */
  async dropFrom(sourceAddress: string, mode: DropMode = 'drop'): Promise<void> {
    await this.ensureChain();
    await this.execOrThrow(dropFromCommand(sourceAddress, mode));
  }

  async undropFrom(sourceAddress: string, mode: DropMode = 'drop'): Promise<void> {
    await this.ensureChain();
    await this.execOrThrow(undropFromCommand(sourceAddress, mode));
  }

  /** Drops the given fraction (0, 1] of packets from `sourceAddress`. */
  async lossFrom(sourceAddress: string, probability: number): Promise<void> {
    await this.ensureChain();
    await this.execOrThrow(lossFromCommand(sourceAddress, probability));
  }

  /** Removes every packet filter rule the nemesis added on this node. */
  async heal(): Promise<void> {
    await this.ensureChain();
    await this.execOrThrow(healCommand());
  }

  /** The nemesis rules now in force (`iptables -S` lines), for reports and tests. */
  async packetFilterRules(): Promise<string[]> {
    await this.ensureChain();
    const listing = await this.execOrThrow(listRulesCommand());
    return listing.split('\n').filter((line) => line.startsWith('-A '));
  }

  /**
   * Sets the wall clock of the node's program to run `offsetMs` ahead (negative: behind) of the
   * host's; it takes effect within a second. Needs a cluster started with `clockSkew: true`.
   */
  async setClockOffset(offsetMs: number): Promise<void> {
    if (!this.clockSkewEnabled) {
      throw new Error(`node ${this.nodeId}: clock skew needs a cluster started with clockSkew: true`);
    }
    await this.execOrThrow(['sh', '-c', 'printf "%s\\n" "$1" > "$2"', 'sh', faketimeOffset(offsetMs), faketimeFilePath]);
  }

  /** Freezes every process of the node (cgroup freezer); its sockets stay open. */
  async pause(): Promise<void> {
    await (await this.dockerContainer()).pause();
  }

  async unpause(): Promise<void> {
    await (await this.dockerContainer()).unpause();
  }

  /**
   * Sends a signal to the node's main process. SIGKILL (the default) stops the container, as a
   * crash would; SIGSTOP/SIGCONT freeze and thaw it without the cgroup freezer.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await (await this.dockerContainer()).kill({ signal });
  }

  /**
   * Stops the node as `docker stop` does: SIGTERM, then SIGKILL if it has not exited within
   * `timeoutMs`. The container and its data stay; `start` brings the node back.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    await (await this.dockerContainer()).stop({ t: Math.ceil(timeoutMs / 1000) });
  }

  /**
   * Starts a stopped or killed node again from its container's file system (its data survives). It comes
   * back with a new network namespace, so packet filter rules are gone and its address may differ.
   */
  async start(): Promise<void> {
    await (await this.dockerContainer()).start();
    await this.refreshAddress();
  }

  /** Stops (SIGTERM, then SIGKILL after `timeoutMs`) and starts the node. */
  async restart(timeoutMs = 10_000): Promise<void> {
    await this.container.restart({ timeout: Math.ceil(timeoutMs / 1000) });
    await this.refreshAddress();
  }

  /** Whether the node's main process is running (false after kill, true while paused). */
  async isRunning(): Promise<boolean> {
    const inspected = await (await this.dockerContainer()).inspect();
    return inspected.State.Running;
  }

  /** Whether the node is frozen by `pause` (cgroup freezer). */
  async isPaused(): Promise<boolean> {
    const inspected = await (await this.dockerContainer()).inspect();
    return inspected.State.Paused;
  }

  /** The container's standard output and error so far (interleaved as the engine stored them). */
  async logs(): Promise<string> {
    const frames = await (await this.dockerContainer()).logs({ follow: false, stdout: true, stderr: true });
    return demultiplexDockerLog(Buffer.from(frames));
  }

  /** A tar stream of a path in the container (works on stopped containers too). */
  async archive(pathInContainer: string): Promise<NodeJS.ReadableStream> {
    return this.container.copyArchiveFromContainer(pathInContainer);
  }

  /** @internal The cluster stops its nodes. */
  async remove(): Promise<void> {
    await this.container.stop({ remove: true, removeVolumes: true, timeout: 0 });
  }

  private async ensureChain(): Promise<void> {
    if (this.chainReady) return;
    await this.execOrThrow(ensureChainCommand());
    this.chainReady = true;
  }

  private async refreshAddress(): Promise<void> {
    const inspected = await (await this.dockerContainer()).inspect();
    const address = inspected.NetworkSettings.Networks[this.networkName]?.IPAddress;
    if (address === undefined || address === '') {
      throw new Error(`node ${this.nodeId}: no address on network ${this.networkName} after start`);
    }
    this.currentBridgeAddress = address;
    // A started container has a new network namespace: the nemesis chain and its rules are gone.
    this.chainReady = false;
  }

  private async dockerContainer(): Promise<Dockerode.Container> {
    const client = await getContainerRuntimeClient();
    return client.container.getById(this.containerId);
  }
}
