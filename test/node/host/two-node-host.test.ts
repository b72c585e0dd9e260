/**
 * The real host in-process: two nodes (both voters) under one tmp dir, real TCP on 127.0.0.1,
 * real files. Writes and reads go through the MetadataPort the Kafka handlers use; a restart of
 * both nodes recovers everything from disk; the event logs pass the invariant checker.
 */
import { answered, okResult } from '../../support/client-answers.js';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkEventLogs, type AcknowledgedWrite } from '../../../src/checker/invariants/index.js';
import type { MetadataImage } from '../../../src/core/metadata/index.js';
import { memoryNodeLogger } from '../../../src/node/node-logger.js';
import { METADATA_PARTITION_DIR } from '../../../src/node/storage/metadata-store.js';
import { startQuorumServer, type RunningQuorumServer } from '../../../src/node/quorum-server.js';
import { writeTestCluster, type TestClusterFiles } from '../support/cluster-configs.js';
import { waitFor } from '../support/wait-for.js';

const running: RunningQuorumServer[] = [];
let cluster: TestClusterFiles | null = null;

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  if (cluster !== null) rmSync(cluster.root, { recursive: true, force: true });
  cluster = null;
});

async function startAll(files: TestClusterFiles, lines: string[][]): Promise<RunningQuorumServer[]> {
  const servers: RunningQuorumServer[] = [];
  for (const node of files.nodes) {
    const server = await startQuorumServer({
      config: node.config, logger: memoryNodeLogger(lines[node.nodeId - 1]), withoutKafka: true,
      onFatal: (error) => { throw error; },
    });
    servers.push(server);
    running.push(server);
  }
  return servers;
}

async function stopAll(): Promise<void> {
  for (const server of running.splice(0)) await server.stop();
}

function leaderOf(servers: RunningQuorumServer[]): RunningQuorumServer | undefined {
  return servers.find((server) => server.host.debugState().state === 'leader');
}

function topicNames(image: MetadataImage): string[] {
  return image.topicNames().sort();
}

describe('QuorumHost with two nodes in one process', () => {
  it('elects, commits writes through the MetadataPort, and recovers them after a restart', async () => {
    // Small snapshots and segments, so the run also takes snapshots and deletes log prefixes.
    cluster = await writeTestCluster(2, { 'metadata.snapshot.interval.entries': '4', 'metadata.log.segment.bytes': '1024' });
    const lines: string[][] = [[], []];
    let servers = await startAll(cluster, lines);
    const leader = await waitFor('a leader', () => leaderOf(servers));
    const follower = servers.find((server) => server !== leader)!;
    expect(lines[leader.host.nodeId - 1]!.join('\n')).toMatch(/Completed transition to Leader\(localId=\d, epoch=\d+, epochStartOffset=\d+\)/);

    await waitFor('both brokers registered', () => leader.host.localImage().unfencedBrokerIds().length === 2);
    const acknowledged: AcknowledgedWrite[] = [];
    for (const [index, server] of [leader, follower, follower].entries()) {
      const response = await server.host.submit({ type: 'createTopic', name: `t${index}`, numPartitions: 1, replicationFactor: 1 });
      expect(response.outcome, JSON.stringify(response)).toBe('ok');
      const { committedOffset, committedEpoch } = answered(response);
      expect(committedOffset).toBeTypeOf('number');
      acknowledged.push({ committedOffset: committedOffset!, committedEpoch: committedEpoch! });
    }
    const duplicate = await follower.host.submit({ type: 'createTopic', name: 't0', numPartitions: 1, replicationFactor: 1 });
    expect(duplicate.outcome).toBe('ok');
    expect(JSON.stringify(okResult(duplicate))).toContain('TOPIC_ALREADY_EXISTS');

    const read = await follower.host.submit({ type: 'listTopics' }, { readConsistency: 'linearizable' });
    expect(read.outcome).toBe('ok');
    expect(JSON.stringify(okResult(read))).toContain('t2');
    expect(topicNames(follower.host.localImage())).toEqual(['t0', 't1', 't2']);

    const quorum = await follower.host.describeQuorum(5000);
    expect(quorum.outcome).toBe('ok');
    expect(okResult(quorum).leaderId).toBe(leader.host.nodeId);
    expect(okResult(quorum).voters.map((voter) => voter.nodeId)).toEqual([1, 2]);
    expect([1, 2]).toContain(follower.host.controllerIdForClients());
    const epochBefore = leader.host.debugState().epoch;

    await stopAll();
    servers = await startAll(cluster, lines);
    const newLeader = await waitFor('a leader after the restart', () => leaderOf(servers));
    expect(newLeader.host.debugState().epoch).toBeGreaterThan(epochBefore);
    for (const server of servers) {
      await waitFor(`node ${server.host.nodeId} applied the old topics`, () => topicNames(server.host.localImage()).length === 3);
    }
    const after = await servers[0]!.host.submit({ type: 'createTopic', name: 't3', numPartitions: 2, replicationFactor: 2 });
    expect(after.outcome).toBe('ok');
    await stopAll();

    for (const node of cluster.nodes) {
      const files = readdirSync(join(node.dataDir, METADATA_PARTITION_DIR));
      expect(files.some((name) => name.endsWith('.checkpoint')), files.join(' ')).toBe(true);
    }
    const violations = await checkEventLogs(cluster.nodes.map((node) => node.eventLogPath), [1, 2], acknowledged);
    expect(violations).toEqual([]);
    expect(lines.flat().join('\n')).toMatch(/Recovered from disk in epoch/);
  });

  it('answers clients still waiting at shutdown with unknown and refuses new ones', async () => {
    cluster = await writeTestCluster(2);
    const servers = await startAll(cluster, [[], []]);
    // Only node 1 runs: no majority, so the write waits until the node stops.
    await servers[1]!.stop();
    const waiting = servers[0]!.host.submit({ type: 'createTopic', name: 'never', numPartitions: 1, replicationFactor: 1 });
    await servers[0]!.stop();
    expect((await waiting).outcome).toMatch(/unknown|failed/);
    expect(await servers[0]!.host.submit({ type: 'listTopics' })).toMatchObject({ outcome: 'failed', error: { code: 'NODE_SHUTTING_DOWN' } });
  });
});
