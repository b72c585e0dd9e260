/**
 * Makes sure a Docker engine answers, by running docker/engine-setup.sh (which installs and
 * starts Debian's docker.io when it runs as root on Debian). The script owns the how; this module
 * owns the policy: under CI a missing engine is an error, never a skip, while on a developer's
 * machine it is a status with a message saying what to do.
 */
import { execa } from 'execa';
import path from 'node:path';
import { dockerRecipeDir } from './project-paths.js';
import type { ProgressLog } from './docker-cli.js';

export type EngineStatus =
  | { available: true; report: string }
  | { available: false; report: string };

export interface EnsureEngineOptions {
  /** True under CI: a missing engine then throws. Defaults to `process.env.CI === 'true'`. */
  ci?: boolean;
  log?: ProgressLog;
  /** Extra environment for the script (e.g. QUORUMCHECK_SKIP_INSTALL=1, DOCKER_HOST). */
  env?: Record<string, string>;
}

export class DockerEngineUnavailableError extends Error {
  readonly code = 'DOCKER_ENGINE_UNAVAILABLE';
  constructor(readonly report: string) {
    super(`no Docker engine answers and none could be started:\n${report}`);
    this.name = 'DockerEngineUnavailableError';
  }
}

export const engineSetupScript = path.join(dockerRecipeDir, 'engine-setup.sh');

export async function ensureDockerEngine(options: EnsureEngineOptions = {}): Promise<EngineStatus> {
  const ci = options.ci ?? process.env.CI === 'true';
  const log = options.log ?? (() => {});
  const lines: string[] = [];
  const subprocess = execa('bash', [engineSetupScript], { all: true, reject: false, env: options.env ?? {} });
  subprocess.all.setEncoding('utf8');
  subprocess.all.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      log(line);
    }
  });
  const result = await subprocess;
  const report = lines.join('\n');
  if (result.exitCode === 0) return { available: true, report };
  if (ci) throw new DockerEngineUnavailableError(report || String(result.shortMessage));
  return { available: false, report: report || String(result.shortMessage) };
}

/**
 * Throws DockerEngineUnavailableError unless an engine answers now, naming where it was looked
 * for. Unlike ensureDockerEngine it installs and starts nothing: a user's run must not install
 * packages behind their back.
 */
export async function assertDockerEngineAnswers(): Promise<void> {
  const where = process.env.DOCKER_HOST === undefined || process.env.DOCKER_HOST === '' ? 'the local socket (/var/run/docker.sock)' : `DOCKER_HOST=${process.env.DOCKER_HOST}`;
  const result = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { reject: false, timeout: 15_000 });
  if (result.exitCode === 0) return;
  const reason = String(result.stderr || result.shortMessage || '').trim().split('\n')[0] ?? '';
  throw new DockerEngineUnavailableError(
    `no Docker engine answers at ${where}: ${reason}\nstart one (on Debian as root: bash docker/engine-setup.sh), or point DOCKER_HOST at one`,
  );
}
