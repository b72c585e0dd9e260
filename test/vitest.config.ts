import os from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowFilesFirst from './support/slow-files-first.js';

// One config for every test: unit and simulation tests under test/, conformance suites under
// suites/. The root is the repository, so paths in tests are relative to it.
export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['test/**/*.test.ts', 'suites/**/*.test.ts'],
    // Docker tests need an engine and the quorumd image: set up once for the whole run.
    globalSetup: ['test/support/docker-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest's default is one worker less than the cores: one on CI's two, every file in turn. Most
    // of the run's time is Docker clusters and child processes waiting (fault phases, starts), and
    // the sweep's parts are CPU on a core each, so two files at a time: docker-world and
    // docker-membership side by side took 88 s against 124 s one after the other, each file's own
    // time unchanged (load 34-39).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    sequence: { sequencer: SlowFilesFirst },
    reporters: ['default'],
  },
});
