/**
 * The quorumd adapter: its topology and configuration rules (no containers), then a real
 * 3-node cluster answering every topic operation through a kafkajs client, each completion
 * classified as the history needs it, and the leader found with DescribeQuorum.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { killNode, restartNode } from '../../../src/harness/nemesis/process-kill.js';
import { quorumdSystem } from '../../../src/harness/systems/quorumd/quorumd-system.js';
import { startSystemCluster, type StartedSystemCluster } from '../../../src/harness/systems/system-cluster.js';
import { NodeConfigError, TopologyError, type OperationClient } from '../../../src/harness/systems/system-adapter.js';
import { systemByName } from '../../../src/harness/systems/index.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';
import { eventually } from '../support/eventually.js';

describe('the quorumd adapter, without containers', () => {
  it('plans combined voters 1..N and isolated controllers 1..N with brokers 101..', () => {
    expect(quorumdSystem.planTopology({ voters: 3, roles: 'combined' }).map((node) => `${node.nodeId}:${node.roles.join(',')}`))
      .toEqual(['1:broker,controller', '2:broker,controller', '3:broker,controller']);
    const isolated = quorumdSystem.planTopology({ voters: 5, roles: 'isolated' });
    expect(isolated.filter((node) => node.voter).map((node) => node.nodeId)).toEqual([1, 2, 3, 4, 5]);
    expect(isolated.filter((node) => node.servesClients).map((node) => node.nodeId)).toEqual([101, 102, 103]);
  });

  it('refuses impossible topologies, naming what is wrong', () => {
    expect(() => quorumdSystem.planTopology({ voters: 0, roles: 'combined' })).toThrow(TopologyError);
    expect(() => quorumdSystem.planTopology({ voters: 3, roles: 'combined', servers: 2 })).toThrow(/servers \(2\) applies to isolated roles only/);
    expect(() => quorumdSystem.planTopology({ voters: 3, roles: 'isolated', servers: 0 })).toThrow(/isolated roles need 1 to 9 brokers, got 0/);
    expect(() => quorumdSystem.planTopology({ voters: 3, roles: 'mixed' as 'combined' })).toThrow(/roles must be one of combined, isolated, got 'mixed'/);
  });

  it('checks --node-config with quorumd\'s own parser before anything starts', () => {
    expect(() => quorumdSystem.checkNodeConfig({ 'metadata.read.consistency': 'cached' })).not.toThrow();
    expect(() => quorumdSystem.checkNodeConfig({ 'no.such.key': '1' })).toThrow(NodeConfigError);
    expect(() => quorumdSystem.checkNodeConfig({ 'no.such.key': '1' })).toThrow(/--node-config no\.such\.key: unknown setting/);
    expect(() => quorumdSystem.checkNodeConfig({ 'metadata.read.consistency': 'sometimes' })).toThrow(/--node-config metadata\.read\.consistency/);
    expect(() => quorumdSystem.checkNodeConfig({ 'node.id': '7' })).toThrow(/node\.id: is set by the harness/);
  });

  it('is found by name, and an unknown name lists the known ones', () => {
    expect(systemByName('quorumd')).toBe(quorumdSystem);
    expect(() => systemByName('zookeeper')).toThrow(/unknown system 'zookeeper'; known: quorumd/);
  });
});

const engine = await dockerEngineForTests();

describe.skipIf(!engine.available)('quorumd through its adapter, in containers', () => {
  let started: StartedSystemCluster;
  let client: OperationClient;

  beforeAll(async () => {
    const image = await quorumdImageForTests();
    started = await startSystemCluster({ system: quorumdSystem, topology: { voters: 3, roles: 'combined' }, image, log: (line) => console.log(`[adapter] ${line}`) });
    client = await started.openClient(0, 10_000);
  }, imageBuildTimeoutMs);

  afterAll(async () => {
    await client?.close();
    await started?.[Symbol.asyncDispose]();
  });

  it('finds the leader with DescribeQuorum', { timeout: 60_000 }, async () => {
    const leader = await eventually(async () => {
      const found = await started.findLeader(2_000);
      if (found === null) throw new Error('no leader yet');
      return found;
    });
    expect([1, 2, 3]).toContain(leader.leaderId);
    expect(leader.epoch).toBeGreaterThan(0);
  });

  it('runs every topic operation and classifies each answer as the history needs it', { timeout: 120_000 }, async () => {
    // The first write may meet a cluster still electing: wait until one is acknowledged.
    await eventually(async () => {
      const first = await client.invoke('create-topic', { name: 'alpha', partitions: 2 });
      if (first.type !== 'ok') throw new Error(`create-topic: ${JSON.stringify(first)}`);
      return first;
    });
    expect(await client.invoke('create-topic', { name: 'alpha', partitions: 2 })).toMatchObject({ type: 'ok', value: { error: 'TOPIC_ALREADY_EXISTS' } });
    expect(await client.invoke('describe-topic', { name: 'alpha' })).toMatchObject({ type: 'ok', value: { name: 'alpha', partitions: 2 } });
    expect(await client.invoke('describe-topic', { name: 'nothing' })).toMatchObject({ type: 'ok', value: { error: 'UNKNOWN_TOPIC_OR_PARTITION' } });
    expect(await client.invoke('create-partitions', { name: 'alpha', count: 4 })).toMatchObject({ type: 'ok', value: { partitions: 4 } });
    expect(await client.invoke('create-partitions', { name: 'alpha', count: 1 })).toMatchObject({ type: 'ok', value: { error: 'INVALID_PARTITIONS' } });
    expect(await client.invoke('alter-config', { name: 'alpha', configs: { 'retention.ms': '60000' } })).toMatchObject({ type: 'ok', value: { altered: true } });
    expect(await client.invoke('describe-configs', { name: 'alpha' })).toMatchObject({ type: 'ok', value: { configs: { 'retention.ms': '60000' } } });
    expect(await client.invoke('list-topics', {})).toMatchObject({ type: 'ok', value: { topics: ['alpha'] } });
    expect(await client.invoke('create-topic', { name: 'wide', partitions: 1, replicationFactor: 5 })).toMatchObject({ type: 'fail', error: 'INVALID_REPLICATION_FACTOR' });
    expect(await client.invoke('delete-topic', { name: 'alpha' })).toMatchObject({ type: 'ok', value: { deleted: true } });
    expect(await client.invoke('delete-topic', { name: 'alpha' })).toMatchObject({ type: 'ok', value: { error: 'UNKNOWN_TOPIC_OR_PARTITION' } });
    await expect(client.invoke('read', null)).rejects.toThrow(/runs topic operations .* not 'read'/);
  });

  it('an operation whose only node is down fails (nothing was sent); after a restart it succeeds', { timeout: 120_000 }, async () => {
    const [node3] = started.endpoints().filter((endpoint) => endpoint.nodeId === 3);
    await killNode(started.cluster, 3);
    const lonely = await started.openClient(7, 5_000, [node3!]);
    try {
      expect(await lonely.invoke('list-topics', {})).toMatchObject({ type: 'fail', error: expect.stringMatching(/^connection-refused/) });
      await restartNode(started.cluster, 3);
      const [restarted] = started.endpoints().filter((endpoint) => endpoint.nodeId === 3);
      const again = await started.openClient(8, 5_000, [restarted!]);
      try {
        expect(await eventually(async () => {
          const listed = await again.invoke('list-topics', {});
          if (listed.type !== 'ok') throw new Error(JSON.stringify(listed));
          return listed;
        })).toMatchObject({ type: 'ok' });
      } finally {
        await again.close();
      }
    } finally {
      await lonely.close();
    }
  });
});
