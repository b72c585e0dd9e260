/**
 * A cluster spec and how it starts: a labelled private Docker network, then N node containers
 * (aliases node1..nodeN, NET_ADMIN for iptables, the broker port bound to a fixed host port so
 * it survives restarts), each given its program's files before it starts. Stale containers of
 * crashed runs are removed first; if any node fails to start, everything of this run is
 * removed before the error propagates.
 *
 *     await using cluster = await new QuorumCluster({ image }).start();
 *     const kafka = new Kafka({ brokers: cluster.bootstrapServers() });
 */
import { randomBytes } from 'node:crypto';
import { GenericContainer, getContainerRuntimeClient, RandomPortGenerator, Wait } from 'testcontainers';
import { imageExists, type ProgressLog } from '../docker/docker-cli.js';
import {
  newRunId, ownerLabels, removeOnExit, removeRunResources, removeStaleResources,
} from '../docker/resource-labels.js';
import { faketimeFileName, faketimeOffset, faketimeRunPrefix } from './clock-skew.js';
import { planCluster, type AdvertiseMode, type NodeLayout } from './cluster-layout.js';
import { nodeConfigDir, quorumdProgram, type NodeProgram } from './node-program.js';
import { StartedQuorumCluster } from './started-quorum-cluster.js';
import { StartedQuorumNode } from './started-quorum-node.js';

// The reaper image cannot be pulled here; the project removes its own resources instead.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

export const nodeLabel = 'quorumcheck.node';

export interface QuorumClusterSpec {
  /** An image built by ensureQuorumdImage (or any image with the same entry script). */
  image: string;
  /** Number of nodes, 1 to nodeCountMax; default 3. */
  nodeCount?: number;
  /** What each node runs; default quorumd (format, then start). */
  program?: NodeProgram;
  /** Kafka's `process.roles` for every node; default `broker,controller` (combined mode). */
  processRoles?: string;
  /** Kafka cluster id; default a random base64url id. */
  clusterId?: string;
  /** Default `bridge-address` on Linux, `mapped-port` elsewhere (Docker Desktop). */
  advertise?: AdvertiseMode;
  brokerPort?: number;
  controllerPort?: number;
  /** Extra environment for every node. */
  environment?: Record<string, string>;
  /**
   * Whether start() waits until every node listens on its broker port (default true); a
   * program that never listens there sets false and start() waits for its entry script only.
   */
  waitForBrokerPort?: boolean;
  startupTimeoutMs?: number;
  /**
   * Runs each node's program under libfaketime so that StartedQuorumNode.setClockOffset can skew
   * its wall clock (default false: the preload costs a little on every clock read).
   */
  clockSkew?: boolean;
  runId?: string;
  log?: ProgressLog;
}

export class QuorumCluster {
  constructor(readonly spec: QuorumClusterSpec) {}

  async start(): Promise<StartedQuorumCluster> {
    const spec = this.spec;
    const log = spec.log ?? (() => {});
    const runId = spec.runId ?? newRunId();
    const client = await getContainerRuntimeClient();
    // Otherwise testcontainers tries to pull it, and the error names a registry, not the image.
    if (!(await imageExists(spec.image))) {
      throw new Error(`image ${spec.image} does not exist in the local engine; build it with ensureQuorumdImage()`);
    }
    await removeStaleResources(log);
    const nodeCount = spec.nodeCount ?? 3;
    const portGenerator = new RandomPortGenerator();
    const hostBrokerPorts: number[] = [];
    for (let index = 0; index < nodeCount; index += 1) hostBrokerPorts.push(await portGenerator.generatePort());
    const layouts = planCluster({
      nodeCount,
      clusterId: spec.clusterId ?? randomClusterId(),
      brokerPort: spec.brokerPort ?? 9092,
      controllerPort: spec.controllerPort ?? 9093,
      advertise: spec.advertise ?? (process.platform === 'linux' ? 'bridge-address' : 'mapped-port'),
      hostBrokerPorts,
      dockerHost: client.info.containerRuntime.host,
      processRoles: spec.processRoles ?? 'broker,controller',
    });
    const exitHook = removeOnExit(runId);
    const networkName = `quorumcheck-${runId}`;
    try {
      await client.network.create({ Name: networkName, Driver: 'bridge', CheckDuplicate: true, Labels: ownerLabels(runId) });
      log(`run ${runId}: network ${networkName}; starting ${nodeCount} nodes of ${spec.image}`);
      const startedMs = Date.now();
      // allSettled: on a failure, cleanup must wait until no other node is still being created.
      const settled = await Promise.allSettled(layouts.map((layout) => startNode(spec, runId, networkName, layout)));
      const failure = settled.find((outcome) => outcome.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      const nodes = settled.map((outcome) => (outcome as PromiseFulfilledResult<StartedQuorumNode>).value);
      await assertAllRunning(nodes);
      log(`run ${runId}: ${nodeCount} nodes started in ${Date.now() - startedMs} ms`);
      return new StartedQuorumCluster(runId, layouts[0]?.clusterId ?? '', networkName, nodes, exitHook, log);
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
  const waitStrategy = spec.waitForBrokerPort === false
    ? Wait.forLogMessage('quorumcheck-node-entry:')
    : Wait.forListeningPorts();
  const containerName = `quorumcheck-${runId}-${layout.alias}`;
  const output = outputTail();
  const container = await new GenericContainer(spec.image)
    .withName(containerName)
    .withLabels({ ...ownerLabels(runId), [nodeLabel]: String(layout.nodeId) })
    .withNetworkMode(networkName)
    .withNetworkAliases(layout.alias)
    .withAddedCapabilities('NET_ADMIN')
    .withExposedPorts({ container: layout.brokerPort, host: layout.hostBrokerPort })
    .withEnvironment({
      ...spec.environment,
      QUORUMCHECK_NODE_ALIAS: layout.alias,
    })
    .withCopyContentToContainer(files.map((file) => ({
      content: file.content,
      target: `${nodeConfigDir}/${file.name}`,
      ...(file.mode === undefined ? {} : { mode: file.mode }),
    })))
    .withLogConsumer(output.consume)
    .withWaitStrategy(waitStrategy)
    .withStartupTimeout(spec.startupTimeoutMs ?? 60_000)
    .start()
    .catch((error: unknown) => {
      throw new Error(`node ${layout.nodeId} (${containerName}) failed to start: ${String(error)}\nits output:\n${output.text()}`, { cause: error });
    });
  return new StartedQuorumNode(layout, container, networkName, clockSkew);
}

/** A program that crashes at once can still pass the port wait (Docker's proxy listens): check. */
async function assertAllRunning(nodes: readonly StartedQuorumNode[]): Promise<void> {
  for (const node of nodes) {
    if (await node.isRunning()) continue;
    throw new Error(`node ${node.nodeId} exited right after it started; its output:\n${await node.logs()}`);
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
