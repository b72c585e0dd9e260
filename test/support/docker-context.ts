/**
 * What the Docker global set-up hands to test files (vitest's provide/inject), and the one
 * way test files get it: from the global set-up when it is wired into the config, else by
 * running the same engine check themselves. Either way, under CI=true a missing engine fails
 * the run; elsewhere Docker tests are skipped with the set-up script's message.
 */
import { inject } from 'vitest';
import { ensureDockerEngine } from '../../src/harness/docker/engine.js';
import { ensureQuorumdImage } from '../../src/harness/docker/quorumd-image.js';
import type { EngineStatus } from './docker-provided-context.js';

const log = (line: string): void => console.log(`[docker] ${line}`);

export async function dockerEngineForTests(): Promise<EngineStatus> {
  const provided = inject('dockerEngine') as EngineStatus | undefined;
  const status = provided ?? (await ensureDockerEngine({ log }));
  if (!status.available) {
    console.warn(`Docker tests skipped: no Docker engine.\n${status.report}`);
  }
  return status;
}

/**
 * Time for a test or hook that may build the image itself (when the global set-up is not wired
 * or built none): a cold build (debootstrap) takes two to three minutes on our machines.
 */
export const imageBuildTimeoutMs = 600_000;

/**
 * The quorumd image: the one the global set-up built, else built here if needed (a build lock
 * keeps parallel test files from building it twice at once).
 */
export async function quorumdImageForTests(): Promise<string> {
  const provided = inject('quorumdImage') as string | undefined;
  return provided !== undefined && provided !== '' ? provided : ensureQuorumdImage({ log });
}
