/**
 * One running node of a cluster: its addresses, and the primitives the fault mechanisms and the
 * run need on it: exec, its packet filter (a chain in its network namespace), its files, pause and
 * unpause (cgroup freezer), signals, stop and start, and its logs. Faults act on the container,
 * not on the host, so a host-side client still reaches every node while nodes cannot reach each
 * other, as in Jepsen. What a fault *means* across nodes (a grudge, loss between peers) is in
 * src/harness/nemesis/.
 */
import type Dockerode from 'dockerode';
import { getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { faketimeFilePath, faketimeOffset } from './clock-skew.js';
import { demultiplexDockerLog } from './docker-log-frames.js';
import { bridgeAddressPlaceholder, type NodeLayout } from './cluster-layout.js';
import type { AccessTarget, NodeAccess } from './node-access.js';
import { fileFromArchive } from './node-log-collection.js';
import {
  chainRestoreInput, listRulesCommand, parseRouteDevice, restoreCommand, routeGetCommand, type PacketFilterRule,
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

export class StartedQuorumNode implements AccessTarget {
  readonly nodeId: number;
  readonly alias: string;
  private currentBridgeAddress: string;
  /** The main process's host pid, read once per container start. */
  private pid: number | null = null;
  /** The pid whose network namespace already has the nemesis chain. */
  private chainPid: number | null = null;
  private access: NodeAccess | null = null;
  /** Whether the main process was stopped with SIGSTOP through this handle (and not continued since). */
  signalStopped = false;
  /** Whether the container's next exit is one we caused (kill, stop, removal), not a crash. */
  exitExpected = false;
  /** Called after every start (the cluster re-applies its packet filters then). */
  onStarted: (node: StartedQuorumNode, previousAddress: string) => Promise<void> = async () => {};

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

  get roles(): readonly string[] {
    return this.layout.roles;
  }

  /** The node's address on the project network (reachable from the host on Linux). */
  get bridgeAddress(): string {
    return this.currentBridgeAddress;
  }

  /** The host port bound to the node's client port (fixed for the cluster's life). */
  get hostClientPort(): number {
    return this.layout.hostClientPort;
  }

  /** `host:port` a client on this machine connects to, per the advertise mode. */
  get clientAddress(): string {
    return this.layout.advertisedClientHost === bridgeAddressPlaceholder
      ? `${this.currentBridgeAddress}:${this.layout.clientPort}`
      : `${this.layout.advertisedClientHost}:${this.layout.advertisedClientPort}`;
  }

  /** Whether clock offsets can be set (the cluster was started with clockSkew). */
  get clockSkew(): boolean {
    return this.clockSkewEnabled;
  }

  /** @internal The cluster hands every node the access path it chose. */
  useAccess(access: NodeAccess): void {
    this.access = access;
  }

  /** Runs a command in the container; a non-zero exit is a result, not an error. */
  async exec(command: readonly string[]): Promise<ExecOutcome> {
    const result = await this.container.exec([...command]);
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }

  execInContainer(command: readonly string[]): Promise<ExecOutcome> {
    return this.exec(command);
  }

  /** Runs a command and returns its standard output; throws NodeExecError on a non-zero exit. */
  async execOrThrow(command: readonly string[]): Promise<string> {
    const outcome = await this.exec(command);
    if (outcome.exitCode !== 0) throw new NodeExecError(this.nodeId, command, outcome);
    return outcome.stdout;
  }

  async mainPid(): Promise<number> {
    if (this.pid !== null) return this.pid;
    const inspected = await (await this.dockerContainer()).inspect();
    if (!inspected.State.Running || inspected.State.Pid <= 0) {
      throw new Error(`node ${this.nodeId} is not running: its network namespace is gone until it starts again`);
    }
    this.pid = inspected.State.Pid;
    return this.pid;
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

  /**
   * Makes the nemesis chain hold exactly `rules` (an empty list heals), in one atomic
   * iptables-restore in the node's network namespace.
   */
  async setPacketFilter(rules: readonly PacketFilterRule[]): Promise<void> {
    const access = this.requireAccess();
    for (let attempt = 1; ; attempt += 1) {
      const pid = await this.mainPid();
      const input = chainRestoreInput(rules, this.chainPid !== pid);
      const outcome = await access.inNetworkNamespace(this, restoreCommand(), input);
      if (outcome.exitCode === 0) {
        this.chainPid = pid;
        return;
      }
      // The container may have restarted behind our back (a crash, `docker restart`): its pid
      // and namespace are new. Look it up again once before calling the failure real.
      this.pid = null;
      if (attempt >= 2 || (await this.mainPid()) === pid) {
        throw new NodeExecError(this.nodeId, [...restoreCommand(), `<<${input}`], outcome);
      }
    }
  }

  /** The nemesis rules now in force (`iptables -S` lines, `-A QUORUMCHECK ...`), for reports and tests. */
  async packetFilterRules(): Promise<string[]> {
    const pid = await this.mainPid();
    if (this.chainPid !== pid) await this.setPacketFilter([]);
    const outcome = await this.requireAccess().inNetworkNamespace(this, listRulesCommand());
    if (outcome.exitCode !== 0) throw new NodeExecError(this.nodeId, listRulesCommand(), outcome);
    return outcome.stdout.split('\n').filter((line) => line.startsWith('-A '));
  }

  /**
   * Sets the wall clock of the node's program to run `offsetMs` ahead (negative: behind) of the
   * host's; libfaketime re-reads it within a second. Needs a cluster started with `clockSkew: true`.
   */
  async setClockOffset(offsetMs: number): Promise<void> {
    if (!this.clockSkewEnabled) {
      throw new Error(`node ${this.nodeId}: clock skew needs a cluster started with clockSkew: true`);
    }
    await this.requireAccess().writeFile(this, faketimeFilePath, `${faketimeOffset(offsetMs)}\n`);
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
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.exitExpected = true;
    await (await this.dockerContainer()).kill({ signal });
    if (signal === 'SIGKILL') this.pid = null;
    if (signal === 'SIGSTOP') this.signalStopped = true;
    if (signal === 'SIGCONT' || signal === 'SIGKILL') this.signalStopped = false;
  }

  /**
   * A kill of the main process that this host sends itself, without the Engine API's round trip (a
   * vote-kill's watch, which must land within a protocol step): `armed`, the node's exit is
   * expected from now on (the kill comes from another thread, unannounced); `killed`, it came (the
   * pid is gone); `disarmed`, none will come. Only on the nsenter path, where the process is ours to see.
   */
  hostKill(state: 'armed' | 'killed' | 'disarmed'): void {
    if (this.access?.path !== 'nsenter') throw new Error(`node ${this.nodeId}: a kill from this host needs the nsenter fault path`);
    if (state === 'armed') this.exitExpected = true;
    if (state === 'disarmed' && this.pid !== null) this.exitExpected = false;
    if (state === 'killed') {
      this.pid = null;
      this.signalStopped = false;
    }
  }

  /**
   * Stops the node as `docker stop` does: SIGTERM, then SIGKILL if it has not exited within
   * `timeoutMs`. The container and its data stay; `start` brings the node back.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.exitExpected = true;
    await (await this.dockerContainer()).stop({ t: Math.ceil(timeoutMs / 1000) });
    this.pid = null;
  }

  /**
   * Starts a stopped or killed node again from its container's file system (its data survives).
   * It comes back in a new network namespace, so its packet filter is empty and its address may
   * differ; the cluster's onStarted hook puts back what the nemesis has in force.
   */
  async start(): Promise<void> {
    await (await this.dockerContainer()).start();
    await this.afterStart();
  }

  /** Stops (SIGTERM, then SIGKILL after `timeoutMs`) and starts the node. */
  async restart(timeoutMs = 10_000): Promise<void> {
    this.exitExpected = true;
    await this.container.restart({ timeout: Math.ceil(timeoutMs / 1000) });
    await this.afterStart();
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

  /**
   * A file inside the container: through the access path while the node runs, else through the
   * Engine API's archive (a killed or stopped container keeps its files).
   */
  async readFile(pathInContainer: string): Promise<string> {
    if (this.access !== null && (await this.isRunning())) return this.access.readFile(this, pathInContainer);
    return fileFromArchive(await this.archive(pathInContainer));
  }

  /** A tar stream of a path in the container (works on stopped containers too). */
  async archive(pathInContainer: string): Promise<NodeJS.ReadableStream> {
    return this.container.copyArchiveFromContainer(pathInContainer);
  }

  /** @internal The cluster stops its nodes. */
  async remove(): Promise<void> {
    this.exitExpected = true;
    await this.container.stop({ remove: true, removeVolumes: true, timeout: 0 });
  }

  private requireAccess(): NodeAccess {
    if (this.access === null) throw new Error(`node ${this.nodeId}: no fault access path yet (the cluster has not finished starting)`);
    return this.access;
  }

  private async afterStart(): Promise<void> {
    this.exitExpected = false;
    this.signalStopped = false;
    const previousAddress = this.currentBridgeAddress;
    const inspected = await (await this.dockerContainer()).inspect();
    const address = inspected.NetworkSettings.Networks[this.networkName]?.IPAddress;
    if (address === undefined || address === '') {
      throw new Error(`node ${this.nodeId}: no address on network ${this.networkName} after start`);
    }
    this.currentBridgeAddress = address;
    // A started container has a new main process and network namespace: the chain is gone.
    this.pid = inspected.State.Running && inspected.State.Pid > 0 ? inspected.State.Pid : null;
    this.chainPid = null;
    await this.onStarted(this, previousAddress);
  }

  private async dockerContainer(): Promise<Dockerode.Container> {
    const client = await getContainerRuntimeClient();
    return client.container.getById(this.containerId);
  }
}
