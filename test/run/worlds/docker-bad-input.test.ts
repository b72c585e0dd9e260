/**
 * Bad input to `quorumcheck run --env docker`, as a user types it: each is refused with exit
 * code 3 and a message naming what is wrong, and nothing is left running in the engine.
 */
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../../src/harness/docker/project-paths.js';
import { listLabelledResources } from '../../../src/harness/docker/resource-labels.js';
import { dockerEngineForTests } from '../../support/docker-context.js';

const engine = await dockerEngineForTests();

async function quorumcheckRun(args: string[], env: Record<string, string> = {}): Promise<{ exitCode: number; stderr: string; pid: number }> {
  const subprocess = execa('node', ['--import', 'tsx', path.join(repositoryRoot, 'src', 'cli', 'quorumcheck.ts'), 'run', '--env', 'docker', '--quiet', ...args], {
    cwd: repositoryRoot, reject: false, env, timeout: 120_000,
  });
  const result = await subprocess;
  return { exitCode: result.exitCode ?? -1, stderr: String(result.stderr), pid: subprocess.pid ?? -1 };
}

async function leftovers(pid: number): Promise<number> {
  return (await listLabelledResources()).filter((resource) => resource.pid === pid).length;
}

describe.skipIf(!engine.available)('bad input to quorumcheck run --env docker', () => {
  it.each([
    [['--nemesis', 'partition,earthquake'], /earthquake/],
    [['--nodes', '3', '--partition-shapes', 'ping-pong'], /ping-pong/],
    [['--roles', 'sideways'], /sideways/],
    [['--node-config', 'metadata.read.consistancy=cached'], /metadata\.read\.consistancy/],
  ])('%j: exit 3, naming it', { timeout: 150_000 }, async (args, named) => {
    const outcome = await quorumcheckRun(args);
    expect(outcome.exitCode, outcome.stderr).toBe(3);
    expect(outcome.stderr).toMatch(named);
    expect(await leftovers(outcome.pid)).toBe(0);
  });

  it('no engine at DOCKER_HOST: exit 3, naming where it looked', { timeout: 150_000 }, async () => {
    const outcome = await quorumcheckRun(['--seed', '1'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(outcome.exitCode, outcome.stderr).toBe(3);
    expect(outcome.stderr).toMatch(/no Docker engine answers at DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock/);
  });
});
