import { defineConfig } from 'vitest/config';

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
    reporters: ['default'],
  },
});
