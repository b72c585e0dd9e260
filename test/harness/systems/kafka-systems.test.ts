/**
 * The Kafka adapters' rules without containers: versions, topologies, --node-config, and what
 * each node is told (server.properties, zoo.cfg); Maven's failure words. The containers are in
 * suites/containers/kafka-systems.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { planCluster } from '../../../src/harness/cluster/cluster-layout.js';
import { resolveKafkaVersion, resolveZookeeperVersion } from '../../../src/harness/systems/apache-kafka/kafka-version.js';
import { kafkaPlanOf } from '../../../src/harness/systems/apache-kafka/kafka-node-plan.js';
import { kafkaKraftSystem } from '../../../src/harness/systems/kafka-kraft/kraft-system.js';
import { controllerDirectoryId, kraftServerProperties } from '../../../src/harness/systems/kafka-kraft/kraft-program.js';
import { kafkaZkSystem, planZookeeperModeTopology } from '../../../src/harness/systems/kafka-zk/zookeeper-mode-system.js';
import { zooCfg, zookeeperModeBrokerProperties } from '../../../src/harness/systems/kafka-zk/zookeeper-mode-program.js';
import { mavenFailure } from '../../../src/harness/systems/reference/maven-class-path.js';
import { systemByName } from '../../../src/harness/systems/index.js';
import type { PlannedNode } from '../../../src/harness/systems/system-adapter.js';
import { NodeConfigError, TopologyError } from '../../../src/harness/systems/system-adapter.js';

function layouts(nodes: PlannedNode[]) {
  return planCluster({
    nodes, clusterId: 'c1', clientPort: 9092, peerPort: 9093, advertise: 'bridge-address',
    hostClientPorts: nodes.map((_, index) => 30_000 + index), dockerHost: 'localhost',
  });
}

describe('Kafka versions', () => {
  it('takes a known release or a line, and names what it knows otherwise', () => {
    expect(resolveKafkaVersion('kraft', undefined)).toBe('4.4.0');
    expect(resolveKafkaVersion('kraft', '4.1')).toBe('4.1.2');
    expect(resolveKafkaVersion('zookeeper', undefined)).toBe('3.9.2');
    expect(() => resolveKafkaVersion('kraft', '5.0.0')).toThrow(/kafka-kraft version '5.0.0' is not one quorumcheck knows: 4.4.0, /);
    expect(() => resolveKafkaVersion('zookeeper', '4.0.0')).toThrow(/Kafka 4 has no ZooKeeper mode/);
    expect(() => resolveZookeeperVersion('3.4.14')).toThrow(/zookeeper version '3.4.14'/);
    expect(() => kafkaKraftSystem({ version: 'latest' })).toThrow(/not one quorumcheck knows/);
  });

  it('lists every system by the name users type', () => {
    expect(['quorumd', 'kafka-kraft', 'kafka-zk', 'etcd'].map((name) => systemByName(name).name)).toEqual(['quorumd', 'kafka-kraft', 'kafka-zk', 'etcd']);
    expect(() => systemByName('zookeeper')).toThrow(/unknown system 'zookeeper'; known: quorumd, kafka-kraft, kafka-zk, etcd/);
  });
});

describe('Kafka in KRaft mode', () => {
  it('writes static voters, listeners by role, and the internal topics\' replication', () => {
    const nodes = kafkaKraftSystem().planTopology({ voters: 3, roles: 'isolated' });
    const [controller, , , broker] = layouts(nodes).map(kafkaPlanOf);
    const controllerProperties = kraftServerProperties(controller!, 'static');
    expect(controllerProperties['process.roles']).toBe('controller');
    expect(controllerProperties['controller.quorum.voters']).toBe('1@node1:9093,2@node2:9093,3@node3:9093');
    expect(controllerProperties['listeners']).toBe('CONTROLLER://0.0.0.0:9093');
    expect(controllerProperties['advertised.listeners']).toBeUndefined();
    const brokerProperties = kraftServerProperties(broker!, 'dynamic', { 'num.io.threads': '2' });
    expect(brokerProperties['node.id']).toBe('101');
    expect(brokerProperties['controller.quorum.bootstrap.servers']).toBe('node1:9093,node2:9093,node3:9093');
    expect(brokerProperties['controller.quorum.voters']).toBeUndefined();
    expect(brokerProperties['advertised.listeners']).toBe('PLAINTEXT://@BRIDGE_ADDRESS@:9092');
    expect(brokerProperties['offsets.topic.replication.factor']).toBe('3');
    expect(brokerProperties['num.io.threads']).toBe('2');
    expect(controllerDirectoryId(2)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(controllerDirectoryId(2)).not.toBe(controllerDirectoryId(3));
  });

  it('refuses layout keys in --node-config and keeps Kafka\'s own keys', () => {
    const system = kafkaKraftSystem();
    expect(() => system.checkNodeConfig({ 'num.network.threads': '2' })).not.toThrow();
    expect(() => system.checkNodeConfig({ 'controller.quorum.voters': '1@x:1' })).toThrow(NodeConfigError);
    expect(() => system.checkNodeConfig({ 'Log Dirs': '/x' })).toThrow(/is not a Kafka property name/);
  });
});

describe('Kafka in ZooKeeper mode', () => {
  it('plans members with brokers beside them, or apart (brokers 101..)', () => {
    expect(planZookeeperModeTopology({ voters: 3, roles: 'combined' }).map((node) => node.roles.join(','))).toEqual(['broker,zookeeper', 'broker,zookeeper', 'broker,zookeeper']);
    const isolated = planZookeeperModeTopology({ voters: 3, roles: 'isolated' });
    expect(isolated.filter((node) => node.servesClients).map((node) => node.nodeId)).toEqual([101, 102, 103]);
    expect(() => planZookeeperModeTopology({ voters: 3, roles: 'combined', servers: 2 })).toThrow(TopologyError);
    expect(kafkaZkSystem().summary).toBe('Apache Kafka 3.9.2 in ZooKeeper mode (ZooKeeper 3.8.4 ensemble)');
  });

  it('tells every member the ensemble and every broker where it is', () => {
    const all = layouts(planZookeeperModeTopology({ voters: 3, roles: 'isolated' }));
    expect(zooCfg(all[0]!)).toContain('server.1=node1:2888:3888\nserver.2=node2:2888:3888\nserver.3=node3:2888:3888');
    const broker = zookeeperModeBrokerProperties(all[3]!);
    expect(broker['broker.id']).toBe('101');
    expect(broker['zookeeper.connect']).toBe('node1:2181,node2:2181,node3:2181');
  });
});

describe('Maven failures', () => {
  it('keep Maven\'s reason and drop its boilerplate', () => {
    const output = [
      '\u001b[1;31m[ERROR]\u001b[m Failed to execute goal on project kafka-server-classpath: Could not resolve dependencies: Could not find artifact org.apache.kafka:kafka_2.13:jar:9.9.9 in central -> [Help 1]',
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException',
    ].join('\n');
    expect(mavenFailure(output)).toBe('Failed to execute goal on project kafka-server-classpath: Could not resolve dependencies: Could not find artifact org.apache.kafka:kafka_2.13:jar:9.9.9 in central -> [Help 1]');
  });
});

describe('choosing a system with --version and --read-mode', () => {
  it('gives each system its read modes, and names what it refuses', async () => {
    const { chooseSystem } = await import('../../../src/harness/systems/system-choice.js');
    expect(chooseSystem('quorumd').nodeConfig).toEqual({ 'metadata.read.consistency': 'linearizable' });
    expect(chooseSystem('quorumd', { readMode: 'any-broker' }).nodeConfig).toEqual({ 'metadata.read.consistency': 'cached' });
    expect(() => chooseSystem('quorumd', { version: '1.0' })).toThrow(/quorumd is this checkout/);
    expect(chooseSystem('kafka-kraft', { version: '4.3' }).system.summary).toMatch(/Kafka 4\.3\.1/);
    expect(chooseSystem('kafka-zk').readMode).toBe('any-broker');
    expect(() => chooseSystem('kafka-kraft', { readMode: 'controller' })).toThrow(/has no linearizable read/);
    expect(() => chooseSystem('kafka-zk', { readMode: 'serializable' })).toThrow(/reads are none, controller, any-broker/);
    expect(chooseSystem('etcd', { readMode: 'serializable' }).system.summary).toMatch(/serializable reads/);
    expect(() => chooseSystem('etcd', { readMode: 'any-broker' })).toThrow(/etcd reads are linearizable or serializable/);
    expect(() => chooseSystem('cassandra')).toThrow(/unknown system 'cassandra'/);
  });
});
