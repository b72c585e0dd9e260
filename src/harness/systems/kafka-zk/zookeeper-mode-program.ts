/**
 * A node of Kafka in ZooKeeper mode: a ZooKeeper ensemble member (role `zookeeper`), a broker
 * (role `broker`), or both in one container (combined, as Jepsen ran Kafka: a partition or a kill
 * then hits the member and the broker of a node together). Brokers find the ensemble through
 * `zookeeper.connect`; the controller is whichever broker holds ZooKeeper's /controller node.
 *
 * ZooKeeper's timing is Kafka's and ZooKeeper's defaults, slightly tightened (tick 1 s, a follower
 * silent for 5 s dropped; a broker's session expires after Kafka's default 18 s): with a 6 s
 * session on our loaded 2 cores, brokers' sessions expired without any fault and they
 * deregistered and registered again all the time (CreateTopics then answered
 * INVALID_REPLICATION_FACTOR for want of 3 registered brokers).
 */
import type { NodeLayout } from '../../cluster/cluster-layout.js';
import { nodeConfigDir, type NodeFile, type NodeProgram } from '../../cluster/node-program.js';
import { renderProperties } from '../../cluster/server-properties.js';
import { jvmFlags, kafkaLibDir, log4jProperties, zookeeperLibDir } from '../apache-kafka/kafka-jvm.js';

export const zookeeperClientPort = 2181;
export const zookeeperQuorumPort = 2888;
export const zookeeperElectionPort = 3888;
export const zookeeperDataDir = '/var/lib/zookeeper';
export const kafkaZkDataDir = '/var/lib/kafka/data';
export const zookeeperSessionTimeoutMs = 18_000;

export interface ZookeeperModeOptions {
  kafkaVersion: string;
  properties?: Readonly<Record<string, string>>;
}

export function zooCfg(layout: NodeLayout): string {
  const members = layout.peers.filter((peer) => peer.roles.includes('zookeeper'));
  return [
    `# ZooKeeper member ${layout.nodeId}, written by quorumcheck`,
    'tickTime=1000',
    'initLimit=20',
    'syncLimit=5',
    `dataDir=${zookeeperDataDir}`,
    `clientPort=${zookeeperClientPort}`,
    'admin.enableServer=false',
    '4lw.commands.whitelist=srvr,stat,ruok,mntr',
    ...members.map((member) => `server.${member.nodeId}=${member.alias}:${zookeeperQuorumPort}:${zookeeperElectionPort}`),
    '',
  ].join('\n');
}

export function zookeeperModeBrokerProperties(layout: NodeLayout, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const members = layout.peers.filter((peer) => peer.roles.includes('zookeeper'));
  const brokers = layout.peers.filter((peer) => peer.roles.includes('broker')).length;
  const replication = String(Math.max(1, Math.min(3, brokers)));
  return {
    'broker.id': String(layout.nodeId),
    'zookeeper.connect': members.map((member) => `${member.alias}:${zookeeperClientPort}`).join(','),
    // Brokers may start before the ensemble has a quorum: wait for it rather than exit.
    'zookeeper.connection.timeout.ms': '60000',
    'zookeeper.session.timeout.ms': String(zookeeperSessionTimeoutMs),
    'listeners': `PLAINTEXT://0.0.0.0:${layout.clientPort}`,
    'advertised.listeners': `PLAINTEXT://${layout.advertisedClientHost}:${layout.advertisedClientPort}`,
    'log.dirs': kafkaZkDataDir,
    'offsets.topic.replication.factor': replication,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': String(Math.min(2, Number(replication))),
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    ...extra,
  };
}

/** ZooKeeper's logback configuration: INFO to standard output, in Kafka's line layout. */
const zookeeperLogback = [
  '<configuration>',
  '  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">',
  '    <encoder><pattern>[%d{yyyy-MM-dd HH:mm:ss,SSS}] %level [zookeeper] %msg (%logger)%n</pattern></encoder>',
  '  </appender>',
  '  <root level="INFO"><appender-ref ref="STDOUT"/></root>',
  '</configuration>',
  '',
].join('\n');

export function zookeeperModeProgram(options: ZookeeperModeOptions): NodeProgram {
  return {
    name: 'kafka-zk',
    readyLogPattern: (layout) => (layout.roles.includes('broker') ? /\[KafkaServer id=\d+\] started/ : /binding to port \S*:2181/),
    files: (layout) => {
      const files: NodeFile[] = [];
      if (layout.roles.includes('zookeeper')) {
        files.push({ name: 'zoo.cfg', content: zooCfg(layout) }, { name: 'logback.xml', content: zookeeperLogback });
      }
      if (layout.roles.includes('broker')) {
        files.push(
          {
            name: 'server.properties.template',
            content: renderProperties(zookeeperModeBrokerProperties(layout, options.properties), `Kafka ${options.kafkaVersion} broker ${layout.nodeId} (ZooKeeper mode), written by quorumcheck`),
          },
          { name: 'log4j.properties', content: log4jProperties },
        );
      }
      return files;
    },
    runScript: (layout) => {
      const zookeeper = layout.roles.includes('zookeeper');
      const broker = layout.roles.includes('broker');
      const lines = ['set -eu'];
      if (zookeeper) {
        const start = `java ${jvmFlags} -Dlogback.configurationFile=${nodeConfigDir}/logback.xml -cp '${zookeeperLibDir}/*' org.apache.zookeeper.server.quorum.QuorumPeerMain ${nodeConfigDir}/zoo.cfg`;
        lines.push(`mkdir -p ${zookeeperDataDir}`, `echo ${layout.nodeId} > ${zookeeperDataDir}/myid`);
        // Beside a broker the member runs in the background; the broker is the container's process.
        lines.push(broker ? `${start} &` : `exec ${start}`);
      }
      if (broker) {
        lines.push(`exec java ${jvmFlags} -Dlog4j.configuration=file:${nodeConfigDir}/log4j.properties -cp '${kafkaLibDir}/*' kafka.Kafka ${nodeConfigDir}/server.properties`);
      }
      return lines.join('\n');
    },
  };
}
