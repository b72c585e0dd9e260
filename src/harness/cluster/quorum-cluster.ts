/**
 * A cluster spec and how it starts: a labelled private Docker network, then one container per
 * planned node (alias node<id>, NET_ADMIN, the client port bound to a fixed host port so it
 * survives restarts), each given its program's files as it starts (node-files-delivery.ts), all
 * started at once.
 * Start waits for each node's ready line in its output (pushed by the engine: no polling, no
 * exec), then picks how faults reach inside the containers (nsenter or docker exec). Stale
 * containers of crashed runs are removed first; if any node fails to start, everything of this
 * run is removed before the error propagates.
 *
 *     await using cluster = await new QuorumCluster({ image, nodes }).start();
 *     const kafka = new Kafka({ brokers: cluster.clientAddresses() });
 *
 * Configuration is the spec, nothing else: in particular no environment variable is set. The
 * testcontainers reaper (Ryuk) is not used (`withAutoCleanup(false)`): its image cannot be pulled
 * where no registry answers, and the project removes its own resources by label.
 */
import { randomBytes } from 'node:crypto';
import { GenericContainer, getContainerRuntimeClient, RandomPortGenerator, Wait } from 'testcontainers';
import type { PlannedNode } from '../systems/system-adapter.js';
import { imageExists, type ProgressLog } from '../docker/docker-cli.js';
import {
  newRunId, ownerLabels, removeOnExit, removeRunResources, removeStaleResources,
} from '../docker/resource-labels.js';
import { faketimeFileName, faketimeOffset, faketimeRunPrefix } from './clock-skew.js';
import { combinedNodes, planCluster, type AdvertiseMode, type NodeLayout } from './cluster-layout.js';
import { chooseNodeAccess, type FaultPathChoice } from './node-access.js';
import { encodeNodeFiles, nodeFilesVariable, writeFilesThenEntry } from './node-files-delivery.js';
import { entryStartedPattern, nodeConfigDir, quorumdProgram, type NodeProgram } from './node-program.js';
import { StartedQuorumCluster } from './started-quorum-cluster.js';
import { StartedQuorumNode } from './started-quorum-node.js';

export const nodeLabel = 'quorumcheck.node';

export interface QuorumClusterSpec {
  /** An image with the node entry script (ensureQuorumdImage, or a system adapter's image). */
  image: string;
  /** The nodes and their roles; default `nodeCount` combined voters. */
  nodes?: readonly PlannedNode[];
  /** Shorthand for `nodes`: this many combined (`broker,controller`) voters; default 3. */
  nodeCount?: number;
  /** What each node runs; default quorumd (format, then start). */
  program?: NodeProgram;
  /** Kafka cluster id; default a random base64url id. */
  clusterId?: string;
  /** Default `bridge-address` on Linux, `mapped-port` elsewhere (Docker Desktop). */
  advertise?: AdvertiseMode;
  /** The port clients connect to (default 9092) and the one nodes use among themselves (9093). */
  clientPort?: number;
  peerPort?: number;
  /** Extra environment for every node. */
  environment?: Record<string, string>;
  startupTimeoutMs?: number;
  /**
   * Runs each node's program under libfaketime so that clock offsets can be set per node
   * (default false: the preload costs a little on every clock read).
   */
  clockSkew?: boolean;
  /** How faults reach into containers: `auto` (default) prefers nsenter where it works. */
  faultPath?: FaultPathChoice;
  /** DOCKER_HOST as the caller sees it (default: this process's), only to choose the fault path. */
  dockerHost?: string;
  runId?: string;
  log?: ProgressLog;
}

export class QuorumCluster {
  constructor(readonly spec: QuorumClusterSpec) {}

  async start(): Promise<StartedQuorumCluster> {
    const spec = this.spec;
    const log = spec.log ?? (() => {});
    const runId = spec.runId ?? newRunId();
    // At once: each is a round trip to the engine (a docker CLI start for two of them), and
    // under load they were half a second of a 5-node start in a row.
    const [client, exists] = await Promise.all([
      getContainerRuntimeClient(), imageExists(spec.image), removeStaleResources(log),
    ]);
    // Otherwise testcontainers tries to pull it, and the error names a registry, not the image.
    if (!exists) {
      throw new Error(`image ${spec.image} does not exist in the local engine; build it with ensureQuorumdImage()`);
    }
    const planned = spec.nodes ?? combinedNodes(spec.nodeCount ?? 3);
    const portGenerator = new RandomPortGenerator();
    const hostClientPorts: number[] = [];
    for (let index = 0; index < planned.length; index += 1) hostClientPorts.push(await portGenerator.generatePort());
    const layouts = planCluster({
      nodes: planned,
      clusterId: spec.clusterId ?? randomClusterId(),
      clientPort: spec.clientPort ?? 9092,
      peerPort: spec.peerPort ?? 9093,
      advertise: spec.advertise ?? (process.platform === 'linux' ? 'bridge-address' : 'mapped-port'),
      hostClientPorts,
      dockerHost: client.info.containerRuntime.host,
    });
    const exitHook = removeOnExit(runId);
    const networkName = `quorumcheck-${runId}`;
    try {
      await client.network.create({ Name: networkName, Driver: 'bridge', CheckDuplicate: true, Labels: ownerLabels(runId) });
      log(`run ${runId}: network ${networkName}; starting ${planned.length} nodes of ${spec.image}`);
      const startedMs = Date.now();
      // allSettled: on a failure, cleanup must wait until no other node is still being created.
      const settled = await Promise.allSettled(layouts.map((layout) => startNode(spec, runId, networkName, layout)));
      const failure = settled.find((outcome) => outcome.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      const nodes = settled.map((outcome) => (outcome as PromiseFulfilledResult<StartedQuorumNode>).value);
      await assertAllRunning(runId, nodes);
      const access = await chooseNodeAccess({
        choice: spec.faultPath ?? 'auto',
        engineHost: client.info.containerRuntime.host,
        dockerHostVariable: spec.dockerHost ?? process.env.DOCKER_HOST,
      }, nodes[0] as StartedQuorumNode);
      for (const node of nodes) node.useAccess(access);
      const cluster = new StartedQuorumCluster(runId, layouts[0]?.clusterId ?? '', networkName, spec.image, nodes, access, exitHook, log);
      // Make every chain now: it proves the fault path works before the run relies on it.
      await cluster.packetFilters.healAll();
      log(`run ${runId}: ${planned.length} nodes started in ${Date.now() - startedMs} ms; faults through ${access.path} (${access.reason})`);
      return cluster;
    } catch (error) {
      await removeRunResources(runId).catch((cleanupError: unknown) => {
        log(`run ${runId}: cleanup after a failed start also failed: ${String(cleanupError)}`);
      });
      exitHook.cancel();
      throw error;
    }
  }
}

/**
 * A Kafka-style cluster id (16 random bytes, base64url). Like Kafka's, never one starting with
 * '-': `quorumd format` read such an id as an option and the node failed to start (1 run in 64).
 */
export function randomClusterId(bytes: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = bytes().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function startNode(
  spec: QuorumClusterSpec,
  runId: string,
  networkName: string,
  layout: NodeLayout,
): Promise<StartedQuorumNode> {
  const program = spec.program ?? quorumdProgram();
  const clockSkew = spec.clockSkew === true;
  const runScript = clockSkew ? `${faketimeRunPrefix()}\n${program.runScript(layout)}` : program.runScript(layout);
  const files = [
    ...program.files(layout),
    { name: 'run.sh', content: `${runScript}\n`, mode: 0o755 },
    ...(clockSkew ? [{ name: faketimeFileName, content: `${faketimeOffset(0)}\n` }] : []),
  ];
  const waitStrategy = Wait.forLogMessage(program.readyLogPattern?.(layout) ?? entryStartedPattern);
  const containerName = `quorumcheck-${runId}-${layout.alias}`;
  const output = outputTail();
  const filesVariable = encodeNodeFiles(files);
  const withFiles = (container: GenericContainer): GenericContainer => filesVariable === null
    ? container.withCopyContentToContainer(files.map((file) => ({
      content: file.content,
      target: `${nodeConfigDir}/${file.name}`,
      ...(file.mode === undefined ? {} : { mode: file.mode }),
    })))
    : container.withCommand(writeFilesThenEntry());
  const container = await withFiles(new GenericContainer(spec.image))
    .withName(containerName)
    .withLabels({ ...ownerLabels(runId), [nodeLabel]: String(layout.nodeId) })
    .withNetworkMode(networkName)
    .withNetworkAliases(layout.alias)
    .withAddedCapabilities('NET_ADMIN')
    .withExposedPorts({ container: layout.clientPort, host: layout.hostClientPort })
    .withAutoCleanup(false)
    .withEnvironment({
      ...spec.environment,
      QUORUMCHECK_NODE_ALIAS: layout.alias,
      ...(filesVariable === null ? {} : { [nodeFilesVariable]: filesVariable }),
    })
    .withLogConsumer(output.consume)
    .withWaitStrategy(waitStrategy)
    .withStartupTimeout(spec.startupTimeoutMs ?? 60_000)
    .start()
    .catch((error: unknown) => {
      throw new Error(`node ${layout.nodeId} (${containerName}) failed to start: ${String(error)}\nits output:\n${output.text()}`, { cause: error });
    });
  return new StartedQuorumNode(layout, container, networkName, clockSkew);
}

/** A program that prints its ready line and then crashes has passed the wait: check. */
async function assertAllRunning(runId: string, nodes: readonly StartedQuorumNode[]): Promise<void> {
  const running = await Promise.all(nodes.map((node) => node.isRunning()));
  for (const [index, node] of nodes.entries()) {
    if (running[index] === true) continue;
    throw new Error(`node ${node.nodeId} (quorumcheck-${runId}-${node.alias}) failed to start: it exited right after it started; its output:\n${await node.logs()}`);
  }
}

/** How much of a node's latest output a start failure reports. */
const failureOutputCharsMax = 8_192;

/**
 * Keeps the tail of a container's output as it runs: testcontainers removes a container that
 * fails its wait strategy, so its output must be caught before the failure is reported.
 */
function outputTail(): { consume: (stream: NodeJS.ReadableStream) => void; text: () => string } {
  let tail = '';
  return {
    consume: (stream) => {
      stream.on('data', (chunk: Buffer | string) => {
        tail = (tail + chunk.toString()).slice(-failureOutputCharsMax);
      });
      stream.on('error', () => {}); // the output is a diagnosis aid; losing it is not a failure
    },
    text: () => tail || '(no output)',
  };
}
