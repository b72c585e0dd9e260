/**
 * `npm run conformance`: the nightly matrix, every suite under suites/ over every topology, one
 * case at a time (a case's faults and timings must not share two cores with another cluster).
 * Each case leaves its run directory under runs/conformance/<case>/.
 *
 * Reporters are the hook for what the nightly job publishes: conformanceReporters() in
 * suites/support/conformance-reporters.ts (the terminal's, and JUnit XML plus a trend line from
 * the cases' run directories) is the one place to add them.
 */
import { defineConfig } from 'vitest/config';
import { conformanceReporters } from './support/conformance-reporters.js';

export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['suites/**/*.test.ts'],
    env: { QUORUMCHECK_CONFORMANCE: 'nightly' },
    globalSetup: ['test/support/docker-global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: conformanceReporters(),
  },
});
