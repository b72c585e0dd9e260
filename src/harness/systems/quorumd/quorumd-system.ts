/**
 * quorumd as a system under test: the project's own image, Kafka's KRaft topologies (combined
 * `broker,controller` voters, or controllers apart from brokers 101..), server.properties in
 * Kafka's keys, the leader from DescribeQuorum, kafkajs clients, and the node event log that the
 * Raft invariants judge.
 */
import { planCluster, nodeEventLogPath } from '../../cluster/cluster-layout.js';
import { quorumdProgram } from '../../cluster/node-program.js';
import { renderProperties, serverProperties } from '../../cluster/server-properties.js';
import { ensureQuorumdImage } from '../../docker/quorumd-image.js';
import { parseServerConfig } from '../../../node/config/server-config.js';
import { ServerConfigError } from '../../../node/config/server-config-error.js';
import { describeQuorumLeader } from '../kafka/describe-quorum-leader.js';
import { KafkajsTopicClient } from '../kafka/kafkajs-topic-client.js';
import {
  NodeConfigError, planKraftTopology, type NodeSettings, type SystemAdapter, type TopologyRequest,
} from '../system-adapter.js';

/** Keys the harness sets from the cluster's layout; a run may not override them. */
export const LAYOUT_KEYS: ReadonlySet<string> = new Set([
  'node.id', 'process.roles', 'controller.quorum.voters', 'controller.quorum.bootstrap.servers', 'listeners', 'advertised.listeners',
  'controller.listener.names', 'listener.security.protocol.map', 'inter.broker.listener.name',
  'log.dirs', 'metadata.log.dir', 'event.log.file',
]);

/** Brokers of an isolated cluster by default: enough for a replication factor of 3. */
export const isolatedBrokersDefault = 3;

export const quorumdSystem: SystemAdapter = {
  name: 'quorumd',
  summary: "quorumd, this project's KRaft-style metadata quorum (Kafka's wire protocol)",
  workload: 'topics',
  model: 'topics',
  ports: { client: 9092, peer: 9093 },
  eventLogPath: nodeEventLogPath,
  clockFaults: true,

  ensureImage: (options) => ensureQuorumdImage(options.log === undefined ? {} : { log: options.log }),

  planTopology: (request: TopologyRequest) => planKraftTopology(request, isolatedBrokersDefault),

  checkNodeConfig(nodeConfig) {
    for (const key of Object.keys(nodeConfig)) {
      if (LAYOUT_KEYS.has(key)) throw new NodeConfigError(key, 'is set by the harness from the cluster layout; it cannot be overridden');
    }
    // Render one combined node's file with the settings and let quorumd's own parser judge it,
    // so an unknown key or a bad value is named before any container starts.
    const [layout] = planCluster({
      nodes: planKraftTopology({ voters: 1, roles: 'combined' }, isolatedBrokersDefault), clusterId: 'check', clientPort: 9092, peerPort: 9093,
      advertise: 'mapped-port', hostClientPorts: [9092], dockerHost: 'localhost',
    });
    try {
      parseServerConfig(renderProperties(serverProperties(layout!, nodeConfig), 'checking --node-config'), '--node-config');
    } catch (error) {
      if (error instanceof ServerConfigError) throw new NodeConfigError(error.key, error.message.slice(error.key.length + 2));
      throw error;
    }
  },

  nodeProgram: (settings: NodeSettings) => quorumdProgram({ properties: settings.nodeConfig }),

  findLeader: (endpoints, timeoutMs) => describeQuorumLeader(endpoints.filter((endpoint) => endpoint.servesClients), timeoutMs),

  openClient: async (options) => new KafkajsTopicClient(options),
};
