/**
 * Apache Kafka 3.9 in ZooKeeper mode (the last release line with it) as a system under test: the
 * seeds' "before" picture. Combined nodes 1..N each run a ZooKeeper member and a broker;
 * isolated roles put the ensemble on 1..N and brokers on 101... The same kafkajs topic client as
 * quorumd and KRaft; the leader is the controller broker as brokers report it (DescribeCluster).
 * ZooKeeper's ZAB writes no Raft event stream: every Raft invariant is not judged here, and a
 * run says so rule by rule (apache-kafka/kafka-observed-invariants.ts).
 */
import kafkajs from 'kafkajs';
import { ensureKafkaImage } from '../apache-kafka/kafka-image.js';
import { checkKafkaNodeConfig } from '../apache-kafka/kafka-node-config.js';
import { resolveKafkaVersion, resolveZookeeperVersion } from '../apache-kafka/kafka-version.js';
import { zookeeperModeObservedInvariants } from '../apache-kafka/kafka-observed-invariants.js';
import { KafkajsTopicClient } from '../kafka/kafkajs-topic-client.js';
import {
  brokersMax, isolatedBrokerIdBase, TopologyError, type LeaderReport, type NodeEndpoint, type PlannedNode, type SystemAdapter, type TopologyRequest,
} from '../system-adapter.js';
import { zookeeperModeProgram } from './zookeeper-mode-program.js';

// kafkajs is CommonJS: Node's ESM loader sees only its default export.
const { Kafka, logLevel } = kafkajs;

export interface KafkaZkOptions {
  version?: string;
  zookeeperVersion?: string;
}

export const zkIsolatedBrokersDefault = 3;

export function kafkaZkSystem(options: KafkaZkOptions = {}): SystemAdapter & { readonly version: string } {
  const version = resolveKafkaVersion('zookeeper', options.version);
  const zookeeperVersion = resolveZookeeperVersion(options.zookeeperVersion);
  return {
    name: 'kafka-zk',
    summary: `Apache Kafka ${version} in ZooKeeper mode (ZooKeeper ${zookeeperVersion} ensemble)`,
    workload: 'topics',
    model: 'topics',
    version,
    ports: { client: 9092, peer: 2888 },
    eventLogPath: null,
    observedInvariants: zookeeperModeObservedInvariants,
    clockFaults: false,
    ensureImage: async (imageOptions) => (await ensureKafkaImage({ mode: 'zookeeper', version, zookeeperVersion, ...imageOptions })).image,
    planTopology: planZookeeperModeTopology,
    checkNodeConfig: checkKafkaNodeConfig,
    nodeProgram: (settings) => zookeeperModeProgram({ kafkaVersion: version, properties: settings.nodeConfig }),
    findLeader: (endpoints, timeoutMs) => controllerBroker(endpoints.filter((endpoint) => endpoint.servesClients), timeoutMs),
    openClient: async (clientOptions) => new KafkajsTopicClient(clientOptions),
  };
}

export function planZookeeperModeTopology(request: TopologyRequest): PlannedNode[] {
  if (!Number.isInteger(request.voters) || request.voters < 1 || request.voters > 9) {
    throw new TopologyError(`a ZooKeeper ensemble has 1 to 9 members, got ${request.voters}`);
  }
  const members = Array.from({ length: request.voters }, (_, index) => index + 1);
  if (request.roles === 'combined') {
    if (request.servers !== undefined) throw new TopologyError('combined roles put a broker beside every ZooKeeper member: servers applies to isolated roles only');
    return members.map((nodeId) => ({ nodeId, roles: ['broker', 'zookeeper'], voter: true, servesClients: true }));
  }
  if (request.roles !== 'isolated') throw new TopologyError(`roles must be combined or isolated, got '${String(request.roles)}'`);
  const servers = request.servers ?? zkIsolatedBrokersDefault;
  if (!Number.isInteger(servers) || servers < 1 || servers > brokersMax) throw new TopologyError(`isolated roles need 1 to ${brokersMax} brokers, got ${servers}`);
  return [
    ...members.map((nodeId) => ({ nodeId, roles: ['zookeeper'], voter: true, servesClients: false })),
    ...Array.from({ length: servers }, (_, index) => ({ nodeId: isolatedBrokerIdBase + index + 1, roles: ['broker'], voter: false, servesClients: true })),
  ];
}

/**
 * The controller broker, as the brokers say (DescribeCluster's controller id). ZooKeeper mode
 * exposes no controller epoch to clients, so the report's epoch is 0: "a leader, epoch unknown".
 */
async function controllerBroker(brokers: readonly NodeEndpoint[], timeoutMs: number): Promise<LeaderReport | null> {
  const deadlineMs = Date.now() + timeoutMs;
  while (Date.now() < deadlineMs) {
    for (const broker of brokers) {
      const admin = new Kafka({
        clientId: 'quorumcheck-leader', brokers: [broker.clientAddress], logLevel: logLevel.NOTHING,
        connectionTimeout: 2_000, requestTimeout: 2_000, retry: { retries: 0 },
      }).admin({ retry: { retries: 0 } });
      try {
        await admin.connect();
        const described = await admin.describeCluster();
        if (described.controller !== null && described.controller >= 0) {
          return { leaderId: described.controller, epoch: 0, reportedBy: broker.nodeId };
        }
      } catch {
        // This broker is down or cut off: ask the next.
      } finally {
        await admin.disconnect().catch(() => {});
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}
