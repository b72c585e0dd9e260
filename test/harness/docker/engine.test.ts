import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DockerEngineUnavailableError, engineSetupScript, ensureDockerEngine } from '../../../src/harness/docker/engine.js';
import { dockerEngineForTests } from '../../support/docker-context.js';

const engine = await dockerEngineForTests();

describe.skipIf(!engine.available)('docker engine set-up', () => {
  it('answers: the script is idempotent and docker info works afterwards', async () => {
    const first = await execa('bash', [engineSetupScript], { reject: false });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Docker engine already answers \(server \S+\); nothing to do/);
    const info = await execa('docker', ['info', '--format', '{{.ServerVersion}}']);
    expect(info.stdout.trim()).not.toBe('');
  });

  // An engine that never answers: point the client at a socket nobody serves, forbid installing,
  // and wait one second for the (running, but elsewhere) daemon.
  const unreachable = {
    DOCKER_HOST: 'unix:///nonexistent/quorumcheck-test.sock',
    QUORUMCHECK_SKIP_INSTALL: '1',
    QUORUMCHECK_DOCKERD_WAIT_S: '1',
    QUORUMCHECK_DOCKERD_LOG: '/dev/null',
  };

  it('under CI, an engine that does not answer is an error carrying the script report', async () => {
    const failure = ensureDockerEngine({ ci: true, env: unreachable });
    await expect(failure).rejects.toBeInstanceOf(DockerEngineUnavailableError);
    await expect(failure).rejects.toThrow(/did not answer within 1 s/);
  });

  it('outside CI, the same is a status saying so, not an error', async () => {
    const status = await ensureDockerEngine({ ci: false, env: unreachable });
    expect(status.available).toBe(false);
    expect(status.report).toMatch(/did not answer within 1 s/);
  });
});
