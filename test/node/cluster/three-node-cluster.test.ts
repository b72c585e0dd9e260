/**
 * Three combined nodes as real processes (`quorumd start`), real disk and TCP on 127.0.0.1. The
 * leader is read from the event logs; `kill -9` of the leader must give a new leader in a higher
 * epoch; the killed node, restarted, must rejoin and catch up; SIGTERM stops everyone cleanly;
 * the event logs must pass the Raft invariant checks (one leader per epoch and the rest).
 */
import { rmSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { checkEventLogs } from '../../../src/checker/invariants/index.js';
import { writeTestCluster, type TestClusterFiles } from '../support/cluster-configs.js';
import { newestLeader, readEvents } from '../support/event-logs.js';
import { waitFor } from '../support/wait-for.js';

const CLI = new URL('../../../src/cli/quorumd.ts', import.meta.url).pathname;
type Child = ResultPromise<{ reject: false; all: true }>;

const children = new Map<number, Child>();
let cluster: TestClusterFiles | null = null;

afterEach(async () => {
  for (const child of children.values()) child.kill('SIGKILL');
  await Promise.all([...children.values()]);
  children.clear();
  // QUORUMD_KEEP_TEST_DIRS=1 keeps the nodes' data and event logs for a post-mortem.
  if (cluster !== null && process.env.QUORUMD_KEEP_TEST_DIRS === '1') console.log(`kept ${cluster.root}`);
  else if (cluster !== null) rmSync(cluster.root, { recursive: true, force: true });
  cluster = null;
});

function start(files: TestClusterFiles, nodeId: number): Child {
  const node = files.nodes[nodeId - 1]!;
  // forceKillAfterDelay: false: the last nodes to stop wait for their controlled shutdown with no
  // quorum left (up to broker.session.timeout.ms); execa's SIGKILL after 5 s would lose their exit code.
  const child = execa('node', ['--import', 'tsx', CLI, 'start', '--config', node.configPath], { reject: false, all: true, forceKillAfterDelay: false });
  children.set(nodeId, child);
  return child;
}

describe('a 3-node quorumd cluster of processes', () => {
  it('elects, fails over after kill -9 of the leader, and the restarted node catches up', async () => {
    cluster = await writeTestCluster(3);
    const files = cluster;
    const eventLogs = files.nodes.map((node) => node.eventLogPath);
    for (const node of files.nodes) start(files, node.nodeId);

    const first = await waitFor('a first leader', () => newestLeader(eventLogs), 90_000);
    await waitFor('every node follows the first leader', () => files.nodes.every((node) =>
      readEvents(node.eventLogPath).some((event) => event.kind === 'committed' && event.epoch >= first.epoch)), 60_000);

    const killed = children.get(first.nodeId)!;
    killed.kill('SIGKILL');
    await killed;
    const second = await waitFor('a leader in a higher epoch', () => {
      const leader = newestLeader(eventLogs);
      return leader !== undefined && leader.epoch > first.epoch ? leader : undefined;
    }, 60_000);
    expect(second.nodeId).not.toBe(first.nodeId);

    const restartedLog = files.nodes[first.nodeId - 1]!.eventLogPath;
    const linesBefore = readEvents(restartedLog).length;
    start(files, first.nodeId);
    await waitFor('the restarted node recovers and commits records of the new epoch', () => {
      const events = readEvents(restartedLog).slice(linesBefore);
      return events.some((event) => event.kind === 'restarted') &&
        events.some((event) => event.kind === 'committed' && (event.recordEpoch ?? 0) >= second.epoch);
    }, 60_000);

    for (const child of children.values()) child.kill('SIGTERM');
    const results = await Promise.all([...children.values()]);
    children.clear();
    for (const result of results) expect(result.exitCode, result.all).toBe(0);
    expect(results.map((result) => result.all).join('\n')).toMatch(/Node \d shut down/);

    const violations = await checkEventLogs(eventLogs, [1, 2, 3]);
    expect(violations).toEqual([]);
  }, 240_000);
});
