/**
 * A Kafka node in KRaft mode: `server.properties` from its plan, `StorageTool format` on the
 * first start (a restarted container keeps its log, as a rebooted machine does), then
 * `kafka.Kafka`. Voters are static (`controller.quorum.voters`) or, with `quorum: 'dynamic'`,
 * found through `controller.quorum.bootstrap.servers` and formatted with `--initial-controllers`
 * (KIP-853), each controller with a fixed directory id so the voter set is known before start.
 */
import { nodeConfigDir, type NodeFile, type NodeProgram } from '../../cluster/node-program.js';
import { renderProperties } from '../../cluster/server-properties.js';
import type { NodeLayout } from '../../cluster/cluster-layout.js';
import { jvmFlags, kafkaLibDir, log4j2Properties, log4jProperties } from '../apache-kafka/kafka-jvm.js';
import { internalReplicationFactor, kafkaPlanOf, type KafkaNodePlan } from '../apache-kafka/kafka-node-plan.js';
import { kafkaLogging } from '../apache-kafka/kafka-version.js';

export type KraftQuorum = 'static' | 'dynamic';

export interface KraftProgramOptions {
  kafkaVersion: string;
  quorum?: KraftQuorum;
  /** Extra or overriding server.properties entries, Kafka's own keys. */
  properties?: Readonly<Record<string, string>>;
  /** From the harness's layout by default; tests may plan nodes themselves. */
  planOf?: (layout: NodeLayout) => KafkaNodePlan;
}

export function kraftServerProperties(plan: KafkaNodePlan, quorum: KraftQuorum, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const broker = plan.roles.includes('broker');
  const controller = plan.roles.includes('controller');
  const listeners = [
    ...(broker ? [`PLAINTEXT://0.0.0.0:${plan.clientPort}`] : []),
    ...(controller ? [`CONTROLLER://0.0.0.0:${plan.peerPort}`] : []),
  ];
  const advertised = [
    ...(broker ? [`PLAINTEXT://${plan.advertisedClientHost}:${plan.advertisedClientPort}`] : []),
    // Dynamic quorums tell voters apart by the endpoint each advertises.
    ...(controller && quorum === 'dynamic' ? [`CONTROLLER://${plan.alias}:${plan.peerPort}`] : []),
  ];
  const replication = String(internalReplicationFactor(plan));
  const properties: Record<string, string> = {
    'node.id': String(plan.nodeId),
    'process.roles': plan.roles.join(','),
    'listeners': listeners.join(','),
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': plan.dataDir,
    'offsets.topic.replication.factor': replication,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': String(Math.min(2, Number(replication))),
    'share.coordinator.state.topic.replication.factor': replication,
    'group.initial.rebalance.delay.ms': '0',
    // Topics are created by the workload, never by a Metadata request.
    'auto.create.topics.enable': 'false',
  };
  if (advertised.length > 0) properties['advertised.listeners'] = advertised.join(',');
  if (broker) properties['inter.broker.listener.name'] = 'PLAINTEXT';
  if (quorum === 'static') {
    properties['controller.quorum.voters'] = plan.voters.map((voter) => `${voter.nodeId}@${voter.alias}:${plan.peerPort}`).join(',');
  } else {
    properties['controller.quorum.bootstrap.servers'] = plan.voters.map((voter) => `${voter.alias}:${plan.peerPort}`).join(',');
  }
  return { ...properties, ...extra };
}

/**
 * A controller's directory id in a dynamic quorum: fixed per node id, so every node formats with
 * the same `--initial-controllers` (Kafka's directory ids are base64url UUIDs: 22 characters).
 */
export function controllerDirectoryId(nodeId: number): string {
  const bytes = Buffer.alloc(16);
  bytes.write('quorumcheck', 0, 'ascii');
  bytes.writeUInt32BE(nodeId, 12);
  return bytes.toString('base64url');
}

export function kraftNodeProgram(options: KraftProgramOptions): NodeProgram {
  const quorum = options.quorum ?? 'static';
  const planOf = options.planOf ?? kafkaPlanOf;
  const logging = kafkaLogging(options.kafkaVersion);
  return {
    name: 'kafka-kraft',
    files: (layout) => {
      const plan = planOf(layout);
      const files: NodeFile[] = [{
        name: 'server.properties.template',
        content: renderProperties(kraftServerProperties(plan, quorum, options.properties), `Kafka ${options.kafkaVersion} node ${plan.nodeId} (KRaft), written by quorumcheck`),
      }];
      files.push(logging === 'log4j2'
        ? { name: 'log4j2.properties', content: log4j2Properties }
        : { name: 'log4j.properties', content: log4jProperties });
      return files;
    },
    runScript: (layout) => {
      const plan = planOf(layout);
      const logFlag = logging === 'log4j2'
        ? `-Dlog4j2.configurationFile=${nodeConfigDir}/log4j2.properties`
        : `-Dlog4j.configuration=file:${nodeConfigDir}/log4j.properties`;
      const format = [`-t ${plan.clusterId}`, `-c "$config"`];
      if (quorum === 'dynamic') {
        if (plan.roles.includes('controller')) {
          const initial = plan.voters.map((voter) => `${voter.nodeId}@${voter.alias}:${plan.peerPort}:${controllerDirectoryId(voter.nodeId)}`).join(',');
          format.push(`--initial-controllers ${initial}`);
        } else {
          format.push('--no-initial-controllers');
        }
      }
      return [
        'set -eu',
        `config=${nodeConfigDir}/server.properties`,
        `classpath='${kafkaLibDir}/*'`,
        `jvm="${jvmFlags} ${logFlag}"`,
        // Formatting starts a JVM (about a second of CPU): only on the node's first start.
        `if [ ! -f ${plan.dataDir}/meta.properties ]; then`,
        `  java $jvm -cp "$classpath" kafka.tools.StorageTool format ${format.join(' ')}`,
        ...(quorum === 'dynamic' && plan.roles.includes('controller')
          ? [`  sed -i 's/^directory.id=.*/directory.id=${controllerDirectoryId(plan.nodeId)}/' ${plan.dataDir}/meta.properties`]
          : []),
        'fi',
        'exec java $jvm -cp "$classpath" kafka.Kafka "$config"',
      ].join('\n');
    },
  };
}
