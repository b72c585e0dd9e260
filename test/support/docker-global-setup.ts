/**
 * vitest global set-up for Docker tests: makes sure an engine answers (installing and starting
 * Debian's docker.io as root on Debian; see docker/engine-setup.sh), removes containers and
 * networks left by crashed runs, builds the quorumd image once (a cold build takes minutes,
 * longer than a test may; warm it is a hash check of about a second), and provides both to test
 * files. Under CI=true a missing engine or a failed image build throws here, failing the run;
 * elsewhere Docker tests skip (no engine) or build the image themselves (and fail there).
 * At teardown it removes whatever test workers left behind (they have exited by then).
 *
 * Wire it in test/vitest.config.ts: `test: { globalSetup: ['test/support/docker-global-setup.ts'] }`.
 */
import type { TestProject } from 'vitest/node';
import { ensureDockerEngine } from '../../src/harness/docker/engine.js';
import { ensureQuorumdImage } from '../../src/harness/docker/quorumd-image.js';
import { removeStaleResources } from '../../src/harness/docker/resource-labels.js';
import type {} from './docker-provided-context.js';

const log = (line: string): void => console.log(`[docker] ${line}`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ci = process.env.CI === 'true';
  const status = await ensureDockerEngine({ ci, log });
  project.provide('dockerEngine', status);
  project.provide('quorumdImage', '');
  if (!status.available) {
    console.warn(`[docker] no Docker engine: Docker tests will be skipped (under CI=true this fails instead).\n${status.report}`);
    return async () => {};
  }
  await removeStaleResources(log);
  try {
    project.provide('quorumdImage', await ensureQuorumdImage({ log }));
  } catch (error) {
    if (ci) throw error;
    console.warn(`[docker] could not build the quorumd image; Docker tests will try again and report it:\n${String(error)}`);
  }
  return async () => {
    await removeStaleResources(log);
  };
}
