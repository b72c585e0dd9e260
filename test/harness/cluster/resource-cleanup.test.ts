import { execa, type ResultPromise } from 'execa';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../../src/harness/docker/docker-cli.js';
import {
  hostLabel, listLabelledResources, pidLabel, removeLabelledResources, removeStaleResources, runLabel,
} from '../../../src/harness/docker/resource-labels.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';

const engine = await dockerEngineForTests();
const child = path.join(import.meta.dirname, 'abandoned-cluster-child.ts');

async function resourcesOfRun(runId: string): Promise<string[]> {
  return (await listLabelledResources()).filter((resource) => resource.runId === runId).map((resource) => resource.kind).sort();
}

/** The run id the child prints once its cluster is up. */
function runIdOf(subprocess: ResultPromise): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    subprocess.stdout?.on('data', (chunk: Buffer) => {
      const match = /^run (\S+)$/m.exec(chunk.toString('utf8'));
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    subprocess.on('exit', () => reject(new Error('the child exited before starting its cluster')));
  });
}

/** A pid that certainly belongs to no process: one that has just exited. */
async function deadPid(): Promise<number> {
  const exiting = execa('true');
  const pid = exiting.pid;
  await exiting;
  if (pid === undefined) throw new Error('could not spawn `true` to find a dead pid');
  return pid;
}

// The cases run side by side: each waits on a child process of its own starting a cluster (about
// 30 s each at load 30), and each looks only at its own run's resources.
describe.skipIf(!engine.available)('cleanup of labelled containers and networks', { concurrent: true }, () => {
  let image: string;
  beforeAll(async () => {
    image = await quorumdImageForTests();
  }, imageBuildTimeoutMs);

  it('a process that exits without stopping its cluster still removes it (exit hook)', async () => {
    const result = await execa('node', ['--import', 'tsx', child, image, 'exit'], { reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    const runId = /^run (\S+)$/m.exec(result.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(await resourcesOfRun(runId!)).toEqual([]);
  });

  it('resources of a killed process are stale and the next start removes them', async () => {
    const subprocess = execa('node', ['--import', 'tsx', child, image, 'hang'], { reject: false });
    const runId = await runIdOf(subprocess);
    expect(await resourcesOfRun(runId)).toEqual(['container', 'network']);
    subprocess.kill('SIGKILL');
    await subprocess;
    expect(await resourcesOfRun(runId)).toEqual(['container', 'network']); // no hook ran
    expect(await removeStaleResources()).toBeGreaterThanOrEqual(2);
    expect(await resourcesOfRun(runId)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s in the middle of a run removes its containers and network before the process dies', async (signal) => {
    const subprocess = execa('node', ['--import', 'tsx', child, image, 'hang'], { reject: false });
    const runId = await runIdOf(subprocess);
    expect(await resourcesOfRun(runId)).toEqual(['container', 'network']);
    subprocess.kill(signal);
    const result = await subprocess;
    expect(result.signal).toBe(signal); // the hook re-raises the signal: the process still dies of it
    expect(await resourcesOfRun(runId)).toEqual([]);
  });

  it('two runs starting together both remove the same stale resources without failing', async () => {
    const runId = `cleanup-race-${process.pid}`;
    const dead = await deadPid();
    const labels = [`${runLabel}=${runId}`, `${pidLabel}=${dead}`, `${hostLabel}=${os.hostname()}`].flatMap((label) => ['--label', label]);
    await docker(['network', 'create', ...labels, `${runId}-net`]);
    await docker(['container', 'create', ...labels, '--name', `${runId}-box`, image]);
    try {
      const stale = (await listLabelledResources()).filter((resource) => resource.runId === runId);
      expect(stale.map((resource) => resource.kind).sort()).toEqual(['container', 'network']);
      // Each start removes stale resources; the engine refuses the loser of the race
      // ("already in progress", "No such container"), which is no failure of the loser's run.
      await Promise.all([removeLabelledResources(stale), removeLabelledResources(stale)]);
      await removeLabelledResources(stale);
      expect(await resourcesOfRun(runId)).toEqual([]);
    } finally {
      await docker(['container', 'rm', '--force', `${runId}-box`]).catch(() => {});
      await docker(['network', 'rm', `${runId}-net`]).catch(() => {});
    }
  });

  it("leaves alone resources of live processes and of other hosts", async () => {
    const runId = `cleanup-test-${process.pid}`;
    const labels = (pid: number, host: string): string[] =>
      [`${runLabel}=${runId}`, `${pidLabel}=${pid}`, `${hostLabel}=${host}`].flatMap((label) => ['--label', label]);
    const dead = await deadPid();
    const ids = [
      await docker(['network', 'create', ...labels(process.pid, os.hostname()), `${runId}-live`]),
      await docker(['network', 'create', ...labels(dead, 'some-other-host'), `${runId}-elsewhere`]),
      await docker(['network', 'create', ...labels(dead, os.hostname()), `${runId}-stale`]),
    ];
    try {
      await removeStaleResources();
      const left = (await listLabelledResources()).filter((resource) => resource.runId === runId);
      expect(left.map((resource) => resource.id).sort()).toEqual([ids[0]!.slice(0, 12), ids[1]!.slice(0, 12)].sort());
    } finally {
      await docker(['network', 'rm', `${runId}-live`, `${runId}-elsewhere`]).catch(() => {});
      await docker(['network', 'rm', `${runId}-stale`]).catch(() => {});
    }
  });
});
