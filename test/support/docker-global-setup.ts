/**
 * vitest global set-up for Docker tests: makes sure an engine answers (installing and starting
 * Debian's docker.io as root on Debian; see docker/engine-setup.sh), removes containers and
 * networks left by crashed runs, and provides the engine status to test files. Under CI=true
 * a missing engine throws here, failing the run; elsewhere Docker tests skip with a message.
 * At teardown it removes whatever test workers left behind (they have exited by then).
 *
 * Wire it in test/vitest.config.ts: `test: { globalSetup: ['test/support/docker-global-setup.ts'] }`.
 */
import type { TestProject } from 'vitest/node';
import { ensureDockerEngine } from '../../src/harness/docker/engine.js';
import { removeStaleResources } from '../../src/harness/docker/resource-labels.js';
import type {} from './docker-provided-context.js';

const log = (line: string): void => console.log(`[docker] ${line}`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const status = await ensureDockerEngine({ log });
  project.provide('dockerEngine', status);
  if (!status.available) {
    console.warn(`[docker] no Docker engine: Docker tests will be skipped (set CI=true to fail instead).\n${status.report}`);
    return async () => {};
  }
  await removeStaleResources(log);
  return async () => {
    await removeStaleResources(log);
  };
}
