/**
 * Real quorumd processes on 127.0.0.1 for integration tests and benchmarks: writes each node's
 * server.properties, formats every node with one cluster id (`quorumd format`), starts them as
 * child processes (`quorumd start`, through tsx so no build step is needed, or from the built dist/
 * with `built`, as benchmarks measure it), and can kill -9,
 * restart and stop them. Ports are found free by the OS. A node's stdout and stderr are kept so
 * a failing test can show them.
 *
 *   await using cluster = await LocalCluster.start({ controllers: 3, brokers: 0 });
 *   cluster.bootstrapServers  // ['127.0.0.1:PORT', ...] of the broker listeners
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { askServer, type QuorumReport } from '../../../src/cli/quorumd/describe.js';
import { describeClusterApi } from '../../../src/kafka/apis/describe-cluster/index.js';
import { KafkaClientConnection } from '../../../src/kafka/client/kafka-client-connection.js';

const REPOSITORY_ROOT = new URL('../../..', import.meta.url).pathname;

/** The node arguments that run quorumd: its sources through tsx, or the checkout's built dist/. */
function quorumdEntry(repositoryRoot: string, built: boolean): string[] {
  return built ? [join(repositoryRoot, 'dist/cli/quorumd.js')] : ['--import', 'tsx', join(repositoryRoot, 'src/cli/quorumd.ts')];
}

/**
 * The node flags quorumd's launcher gives, read from its shebang (src/cli/quorumd.ts says why), so
 * the test clusters, the container image (docker/bin/quorumd reads the same line of dist/) and a
 * direct start share one setting; a baseline checkout runs with its own.
 */
export function quorumdNodeFlags(repositoryRoot: string = REPOSITORY_ROOT): string[] {
  const launcher = join(repositoryRoot, 'src/cli/quorumd.ts');
  const shebang = readFileSync(launcher, 'utf8').split('\n', 1)[0]!;
  const match = /^#!.*\bnode((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(shebang);
  if (match === null) throw new Error(`${launcher}: its first line is not a node shebang: ${shebang}`);
  return match[1]!.split(' ').filter((flag) => flag !== '');
}

/** Short timeouts where a test does not measure them, so failover takes well under a second. */
export const FAST_TIMEOUTS: Readonly<Record<string, string>> = {
  'controller.quorum.election.timeout.ms': '300',
  'controller.quorum.fetch.timeout.ms': '600',
  'controller.quorum.election.backoff.max.ms': '200',
  'controller.quorum.request.timeout.ms': '500',
  'broker.heartbeat.interval.ms': '200',
  'broker.session.timeout.ms': '1500',
};

export interface LocalClusterSpec {
  /** Controller nodes (ids 1..n); combined broker+controller unless `brokers` > 0. */
  controllers: number;
  /** Broker-only nodes (ids 101..); with any, controllers are controller-only (isolated topology). */
  brokers?: number;
  /** Extra server.properties for every node (default FAST_TIMEOUTS). */
  properties?: Readonly<Record<string, string>>;
  clusterId?: string;
  /** Extra arguments for each node's `node` process (e.g. --cpu-prof for a profile). */
  nodeArgs?: string[];
  /** The checkout whose quorumd runs (default this one): benchmarks compare an older commit's. */
  repositoryRoot?: string;
  /**
   * Run the checkout's built dist/cli/quorumd.js (npm run build) rather than its sources through
   * tsx: what a deployment runs. tsx compiles every module at start-up, a second or more of a
   * node's start on a loaded machine; benchmarks use the build.
   */
  built?: boolean;
  /**
   * A dynamic quorum (kraft.version 1, KIP-853): every node names these controllers in
   * `controller.quorum.bootstrap.servers` instead of a static voter list; the first of them is
   * formatted `--standalone`, every other controller `--no-initial-controllers` (it joins later,
   * with add-controller).
   */
  bootstrapControllers?: number[];
}

export interface LocalNode {
  nodeId: number;
  roles: string;
  configPath: string;
  brokerPort: number | null;
  controllerPort: number | null;
  process: ResultPromise | null;
  output: string[];
}

export class LocalCluster implements AsyncDisposable {
  private constructor(
    readonly directory: string,
    readonly clusterId: string,
    readonly nodes: Map<number, LocalNode>,
    private readonly properties: Readonly<Record<string, string>>,
    private readonly voters: string,
    private readonly nodeArgs: string[],
    private readonly repositoryRoot: string,
    /** The dynamic quorum's bootstrap controllers; null for a static quorum. */
    readonly bootstrapControllers: number[] | null = null,
    private readonly built = false,
  ) {}

  static async start(spec: LocalClusterSpec): Promise<LocalCluster> {
    const cluster = await LocalCluster.create(spec);
    try {
      for (const node of cluster.nodes.values()) await cluster.format(node.nodeId, cluster.clusterId);
      await Promise.all([...cluster.nodes.keys()].map((id) => cluster.startNode(id)));
      await cluster.waitUntilReady();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  static async create(spec: LocalClusterSpec): Promise<LocalCluster> {
    const directory = await mkdtemp(join(tmpdir(), 'quorumd-it-'));
    const brokers = spec.brokers ?? 0;
    const controllerIds = Array.from({ length: spec.controllers }, (_, i) => i + 1);
    const brokerIds = Array.from({ length: brokers }, (_, i) => i + 101);
    const ports = await freePorts(spec.controllers * 2 + brokers);
    const nodes = new Map<number, LocalNode>();
    const combined = brokers === 0;
    for (const [i, id] of controllerIds.entries()) {
      nodes.set(id, {
        nodeId: id, roles: combined ? 'broker,controller' : 'controller', configPath: join(directory, `node-${id}.properties`),
        controllerPort: ports[i * 2]!, brokerPort: combined ? ports[i * 2 + 1]! : null, process: null, output: [],
      });
    }
    for (const [i, id] of brokerIds.entries()) {
      nodes.set(id, {
        nodeId: id, roles: 'broker', configPath: join(directory, `node-${id}.properties`),
        controllerPort: null, brokerPort: ports[spec.controllers * 2 + i]!, process: null, output: [],
      });
    }
    const voters = controllerIds.map((id) => `${id}@127.0.0.1:${nodes.get(id)!.controllerPort}`).join(',');
    const root = spec.repositoryRoot ?? REPOSITORY_ROOT;
    const built = spec.built ?? false;
    const clusterId = spec.clusterId ?? (await quorumd(['random-uuid'], root, built)).trim();
    const cluster = new LocalCluster(
      directory, clusterId, nodes, spec.properties ?? FAST_TIMEOUTS, voters, spec.nodeArgs ?? [], root, spec.bootstrapControllers ?? null, built,
    );
    for (const node of nodes.values()) await cluster.writeConfig(node);
    return cluster;
  }

  get bootstrapServers(): string[] {
    return [...this.nodes.values()].filter((n) => n.brokerPort !== null).map((n) => `127.0.0.1:${n.brokerPort}`);
  }

  /** Adds a broker-only node to the configuration (not formatted, not started). */
  async addBroker(nodeId: number): Promise<LocalNode> {
    const [port] = await freePorts(1);
    const node: LocalNode = {
      nodeId, roles: 'broker', configPath: join(this.directory, `node-${nodeId}.properties`),
      controllerPort: null, brokerPort: port!, process: null, output: [],
    };
    this.nodes.set(nodeId, node);
    await this.writeConfig(node);
    return node;
  }

  async format(nodeId: number, clusterId: string): Promise<void> {
    const node = this.node(nodeId);
    const bootstrap = this.bootstrapControllers;
    const flags = bootstrap === null || !node.roles.includes('controller') ? []
      : nodeId === bootstrap[0] ? ['--standalone'] : ['--no-initial-controllers'];
    await quorumd(['format', '--config', node.configPath, '--cluster-id', clusterId, ...flags], this.repositoryRoot, this.built);
  }

  /** A controller's controller listener, as `--bootstrap-controller` takes it. */
  controllerAddress(nodeId: number): string {
    const port = this.node(nodeId).controllerPort;
    if (port === null) throw new Error(`node ${nodeId} is not a controller`);
    return `127.0.0.1:${port}`;
  }

  async startNode(nodeId: number): Promise<void> {
    const node = this.node(nodeId);
    if (node.process !== null) throw new Error(`node ${nodeId} is already running`);
    const child = execa(process.execPath, [...quorumdNodeFlags(this.repositoryRoot), ...this.nodeArgs, ...quorumdEntry(this.repositoryRoot, this.built), 'start', '--config', node.configPath], {
      cwd: this.repositoryRoot, reject: false, buffer: false, stdin: 'ignore',
    });
    const keep = (chunk: Buffer): void => {
      node.output.push(chunk.toString());
      if (node.output.length > 2000) node.output.splice(0, 1000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    node.process = child;
    void child.then(() => { if (node.process === child) node.process = null; });
  }

  /** kill -9: no graceful shutdown, no resignation. */
  async kill(nodeId: number): Promise<void> {
    const node = this.node(nodeId);
    const child = node.process;
    if (child === null) return;
    child.kill('SIGKILL');
    await child;
    node.process = null;
  }

  async stopNode(nodeId: number): Promise<void> {
    const child = this.node(nodeId).process;
    if (child === null) return;
    // Not child.kill: execa follows its SIGTERM with a SIGKILL after 5 s (forceKillAfterDelay),
    // which would cut a node short that is still in its controlled shutdown, or writing a profile.
    process.kill(child.pid!, 'SIGTERM');
    // A node started with --cpu-prof writes its profile as it exits: give it time to.
    const graceMs = this.nodeArgs.some((arg) => arg.startsWith('--cpu-prof')) ? 60_000 : 5000;
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await child;
    clearTimeout(timer);
    this.node(nodeId).process = null;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.nodes.keys()].map((id) => this.stopNode(id)));
    await rm(this.directory, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** The quorum as a running broker describes it (DescribeQuorum), or null if none answers. */
  async describe(exclude: number[] = []): Promise<QuorumReport | null> {
    for (const node of this.nodes.values()) {
      if (node.brokerPort === null || node.process === null || exclude.includes(node.nodeId)) continue;
      try {
        return await askServer({ host: '127.0.0.1', port: node.brokerPort }, 1000);
      } catch {
        // This node cannot answer right now (starting, or cut off): ask the next.
      }
    }
    return null;
  }

  /** Waits until a leader is known and every running broker is registered and unfenced. */
  async waitUntilReady(timeoutMs = 30_000, exclude: number[] = []): Promise<QuorumReport> {
    const running = [...this.nodes.values()].filter((n) => n.process !== null && n.roles.includes('broker') && !exclude.includes(n.nodeId));
    return waitFor(async () => {
      const report = await this.describe(exclude);
      if (report === null || report.quorum.leaderId < 0) return null;
      const brokerIds = await this.registeredBrokers(exclude);
      return running.every((n) => brokerIds.includes(n.nodeId)) ? report : null;
    }, timeoutMs, () => `the cluster was not ready within ${timeoutMs} ms\n${this.outputs()}`);
  }

  /**
   * Waits until voter `nodeId` answers on its own Kafka port and the leader has seen it caught up
   * since `sinceWallMs` (DescribeQuorum's lastCaughtUpTimestamp, the leader's wall clock on this
   * machine). A restarted node counts as registered at once (its old registration is still in the
   * metadata), so `waitUntilReady` alone would not say it rejoined the quorum.
   */
  async waitUntilCaughtUp(nodeId: number, sinceWallMs: number, timeoutMs = 30_000): Promise<QuorumReport> {
    const node = this.node(nodeId);
    if (node.brokerPort === null) throw new Error(`node ${nodeId} has no Kafka listener to ask`);
    return waitFor(async () => {
      const report = await askServer({ host: '127.0.0.1', port: node.brokerPort! }, 1000).catch(() => null);
      if (report === null || report.quorum.leaderId < 0) return null;
      if (report.quorum.leaderId === nodeId) return report;
      const voter = report.quorum.currentVoters.find((v) => v.replicaId === nodeId);
      return voter !== undefined && voter.lastCaughtUpTimestamp >= BigInt(Math.floor(sinceWallMs)) ? report : null;
    }, timeoutMs, () => `node ${nodeId} did not catch up with the leader within ${timeoutMs} ms\n${this.outputs()}`);
  }

  /** What a node printed, for failure messages. */
  outputs(): string {
    return [...this.nodes.values()].map((n) => `--- node ${n.nodeId}\n${n.output.join('').slice(-3000)}`).join('\n');
  }

  node(nodeId: number): LocalNode {
    const node = this.nodes.get(nodeId);
    if (node === undefined) throw new Error(`no node ${nodeId} in this cluster`);
    return node;
  }

  private async registeredBrokers(exclude: number[]): Promise<number[]> {
    for (const node of this.nodes.values()) {
      if (node.brokerPort === null || node.process === null || exclude.includes(node.nodeId)) continue;
      try {
        const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port: node.brokerPort, connectTimeoutMs: 1000 });
        try {
          const response = await connection.request(describeClusterApi, 0, { includeClusterAuthorizedOperations: false });
          return response.brokers.map((b) => b.brokerId);
        } finally {
          await connection.close();
        }
      } catch {
        // Not listening yet: try the next broker.
      }
    }
    return [];
  }

  private async writeConfig(node: LocalNode): Promise<void> {
    const listeners: string[] = [];
    if (node.brokerPort !== null) listeners.push(`PLAINTEXT://127.0.0.1:${node.brokerPort}`);
    if (node.controllerPort !== null) listeners.push(`CONTROLLER://127.0.0.1:${node.controllerPort}`);
    const properties: Record<string, string> = {
      'node.id': String(node.nodeId),
      'process.roles': node.roles,
      ...(this.bootstrapControllers === null
        ? { 'controller.quorum.voters': this.voters }
        : { 'controller.quorum.bootstrap.servers': this.bootstrapControllers.map((id) => this.controllerAddress(id)).join(',') }),
      'listeners': listeners.join(','),
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'log.dirs': join(this.directory, `data-${node.nodeId}`),
      ...this.properties,
    };
    if (node.brokerPort !== null) properties['advertised.listeners'] = `PLAINTEXT://127.0.0.1:${node.brokerPort}`;
    await writeFile(node.configPath, Object.entries(properties).map(([k, v]) => `${k}=${v}\n`).join(''));
  }
}

/** Runs a quorumd subcommand to completion; a non-zero exit is an error carrying its output. */
export async function quorumd(args: string[], repositoryRoot = REPOSITORY_ROOT, built = false): Promise<string> {
  const result = await execa(process.execPath, [...quorumdEntry(repositoryRoot, built), ...args], { cwd: repositoryRoot, reject: false });
  if (result.exitCode !== 0) throw new Error(`quorumd ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Ports the OS had free a moment ago (each listener bound to 0, then closed). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Polls `probe` every 100 ms until it returns non-null, or fails with `message()`. */
export async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number, message: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
