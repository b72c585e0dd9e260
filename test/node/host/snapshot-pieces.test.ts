/**
 * A follower far behind catches up from a snapshot fetched in pieces over real TCP (issue 12: at
 * two million partitions the whole 45-70 MB snapshot went in one frame and the follower never
 * caught up). Three nodes in one process on 127.0.0.1; frames are capped at 8 KiB
 * (socket.request.max.bytes), far below the snapshot the leader holds, so the snapshot can only
 * arrive in pieces (1 KiB each here): without them the frame is refused and the follower never
 * installs it. A follower catching up from the log gets fetch answers cut to fit those frames
 * (FetchRequest.maxBytes): bounded by records only, one answer held every entry it lacked.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryNodeLogger } from '../../../src/node/node-logger.js';
import { startQuorumServer, type RunningQuorumServer } from '../../../src/node/quorum-server.js';
import { METADATA_PARTITION_DIR } from '../../../src/node/storage/metadata-store.js';
import { FAST_QUORUM_PROPERTIES, writeTestCluster, type TestClusterFiles, type TestNodeFiles } from '../support/cluster-configs.js';
import { waitFor } from '../support/wait-for.js';

const FRAME_MAX_BYTES = 8192;
const running = new Set<RunningQuorumServer>();
let cluster: TestClusterFiles | null = null;

afterEach(async () => {
  for (const server of running) await server.stop();
  running.clear();
  if (cluster !== null) rmSync(cluster.root, { recursive: true, force: true });
  cluster = null;
});

async function start(node: TestNodeFiles, lines: string[]): Promise<RunningQuorumServer> {
  const server = await startQuorumServer({
    config: node.config, logger: memoryNodeLogger(lines), withoutKafka: true, onFatal: (error) => { throw error; },
  });
  running.add(server);
  return server;
}

/**
 * Starts the cluster, waits for a leader and three registered brokers, then stops one follower;
 * `servers` holds the ones still running.
 */
async function startWithOneFollowerStopped(files: TestClusterFiles) {
  const lines: string[][] = files.nodes.map(() => []);
  const servers = new Map<number, RunningQuorumServer>();
  for (const node of files.nodes) servers.set(node.nodeId, await start(node, lines[node.nodeId - 1]!));
  const leader = await waitFor('a leader', () => [...servers.values()].find((server) => server.host.debugState().state === 'leader'));
  await waitFor('three brokers registered', () => leader.host.localImage().unfencedBrokerIds().length === 3);
  const laggingId = [...servers.keys()].find((id) => id !== leader.host.nodeId)!;
  await stopServer(servers, laggingId);
  return { lines, leader, laggingId, servers };
}

async function stopServer(servers: Map<number, RunningQuorumServer>, id: number): Promise<void> {
  await servers.get(id)!.stop();
  running.delete(servers.get(id)!);
  servers.delete(id);
}

describe('a follower far behind', () => {
  it('installs the leader snapshot fetched in pieces, each far below the frame limit', async () => {
    cluster = await writeTestCluster(3, {
      ...FAST_QUORUM_PROPERTIES,
      'metadata.snapshot.interval.entries': '8',
      'socket.request.max.bytes': String(FRAME_MAX_BYTES),
      'controller.quorum.fetch.snapshot.max.bytes': '1024',
      // Less log behind the leader's snapshot than the follower lacks: it must fetch the snapshot.
      'metadata.log.retention.entries': '4',
    });
    const { lines, leader, laggingId } = await startWithOneFollowerStopped(cluster);

    // One topic a write, so no fetch answer to the other follower nears the frame limit.
    const topics = 60;
    for (let i = 0; i < topics; i++) {
      const response = await leader.host.submit({ type: 'createTopic', name: `topic-${i}`, numPartitions: 6, replicationFactor: 1 });
      expect(response.outcome, JSON.stringify(response)).toBe('ok');
    }
    const laggingNode = cluster.nodes.find((node) => node.nodeId === laggingId)!;
    const restarted = await start(laggingNode, lines[laggingId - 1]!);
    await waitFor(`node ${laggingId} caught up`, () => restarted.host.localImage().topicNames().length === topics, 30_000);

    const dir = join(laggingNode.dataDir, METADATA_PARTITION_DIR);
    const files = readdirSync(dir);
    expect(files.filter((name) => name.endsWith('.partial')), files.join(' ')).toEqual([]);
    const snapshots = files.filter((name) => name.endsWith('.checkpoint'));
    expect(snapshots.length, files.join(' ')).toBeGreaterThan(0);
    // The snapshot it fetched was far bigger than any frame could carry.
    const biggest = Math.max(...snapshots.map((name) => statSync(join(dir, name)).size));
    expect(biggest).toBeGreaterThan(FRAME_MAX_BYTES);
    expect(lines.flat().join('\n')).not.toMatch(/bad frame/);
  }, 60_000);

  it('some entries behind, catches up from the log the leader keeps behind its snapshot (the default retention) in answers that fit its frames, fetching no snapshot', async () => {
    cluster = await writeTestCluster(3, {
      ...FAST_QUORUM_PROPERTIES, 'metadata.snapshot.interval.entries': '8', 'socket.request.max.bytes': String(FRAME_MAX_BYTES),
    });
    const { lines, leader, laggingId } = await startWithOneFollowerStopped(cluster);
    const linesBefore = lines[laggingId - 1]!.length;
    // About 24 KiB of entries in all: three frames' worth.
    const topics = 60;
    for (let i = 0; i < topics; i++) {
      const response = await leader.host.submit({ type: 'createTopic', name: `topic-${i}`, numPartitions: 6, replicationFactor: 1 });
      expect(response.outcome, JSON.stringify(response)).toBe('ok');
    }
    // The leader snapshotted past where the follower stopped and kept the log behind it.
    const leaderSnapshots = [...lines[leader.host.nodeId - 1]!.join('\n').matchAll(SNAPSHOT_LINE)].map((m) => ({ end: Number(m[1]), start: Number(m[2]) }));
    expect(leaderSnapshots.length).toBeGreaterThan(2);
    expect(leaderSnapshots.at(-1)!.start).toBeLessThan(leaderSnapshots.at(-1)!.end);
    const laggingNode = cluster.nodes.find((node) => node.nodeId === laggingId)!;
    const restarted = await start(laggingNode, lines[laggingId - 1]!);
    await waitFor(`node ${laggingId} caught up`, () => restarted.host.localImage().topicNames().length === topics, 30_000);
    // Every snapshot it holds since is its own, taken with log behind it; a fetched one replaces
    // the log, which would start at its end.
    const since = [...lines[laggingId - 1]!.slice(linesBefore).join('\n').matchAll(SNAPSHOT_LINE)].map((m) => ({ end: Number(m[1]), start: Number(m[2]) }));
    for (const snapshot of since) expect(snapshot.start, JSON.stringify(since)).toBeLessThan(snapshot.end);
    expect(readdirSync(join(laggingNode.dataDir, METADATA_PARTITION_DIR)).filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect(lines.flat().join('\n')).not.toMatch(/bad frame/);
  }, 60_000);
});

describe('a restarted leader', () => {
  it('serves the log it kept behind its snapshot, recovered from disk: a follower a few entries behind fetches no snapshot', async () => {
    cluster = await writeTestCluster(3, { ...FAST_QUORUM_PROPERTIES, 'metadata.snapshot.interval.entries': '8' });
    const { lines, leader, laggingId, servers } = await startWithOneFollowerStopped(cluster);
    const topics = 30;
    for (let i = 0; i < topics; i++) {
      const response = await leader.host.submit({ type: 'createTopic', name: `topic-${i}`, numPartitions: 6, replicationFactor: 1 });
      expect(response.outcome, JSON.stringify(response)).toBe('ok');
    }
    // Both others restart: whichever leads next recovered its log from disk.
    const others = [...servers.keys()];
    for (const id of others) await stopServer(servers, id);
    for (const id of others) servers.set(id, await start(cluster.nodes.find((node) => node.nodeId === id)!, lines[id - 1]!));
    await waitFor('a leader among the restarted', () => [...servers.values()].find((server) => server.host.debugState().state === 'leader'));
    for (const id of others) expect(lines[id - 1]!.join('\n')).toMatch(/Recovered the snapshot at offset \d+ and \d+ log entries after it \(and \d+ kept behind it\)/);
    const linesBefore = lines[laggingId - 1]!.length;
    const laggingNode = cluster.nodes.find((node) => node.nodeId === laggingId)!;
    const restarted = await start(laggingNode, lines[laggingId - 1]!);
    await waitFor(`node ${laggingId} caught up`, () => restarted.host.localImage().topicNames().length === topics, 30_000);
    // Every snapshot it holds since is its own, taken with log behind it: a fetched one would
    // replace the log, which would then start at its end.
    const since = [...lines[laggingId - 1]!.slice(linesBefore).join('\n').matchAll(SNAPSHOT_LINE)].map((m) => ({ end: Number(m[1]), start: Number(m[2]) }));
    expect(since.length).toBeGreaterThan(0);
    for (const snapshot of since) expect(snapshot.start, JSON.stringify(since)).toBeLessThan(snapshot.end);
  }, 60_000);
});

const SNAPSHOT_LINE = /Snapshot at end offset (\d+) \(epoch \d+\) is in place; log start offset is (\d+)/g;
