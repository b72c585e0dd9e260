/**
 * Seeds of the CI sweep that fail on a bug not fixed yet (seed-sweep.ts skips them). Each test
 * expects the failure: once the bug is fixed it fails, and the seed goes back into the sweep.
 */
import { describe, expect, it } from 'vitest';
import { runSweepSeed } from '../../src/run/sweep.js';
import { OPEN_BUG_SEEDS } from './seed-sweep.js';

describe('open bugs the CI sweep found', () => {
  for (const [seed, bug] of OPEN_BUG_SEEDS) {
    it(`seed ${seed} still fails: ${bug}`, async () => {
      const outcome = await runSweepSeed({ input: { env: 'sim', timeLimitMs: 6_000 }, seed, sweepDirectory: 'runs/ci-sim' });
      expect(outcome.verdict, `${outcome.rerun}: no longer fails; put the seed back into the CI sweep`).toBe('invalid');
      expect(outcome.reasons.join('\n')).toMatch(/linearizability: .*delete topic beta → UNKNOWN_TOPIC_OR_PARTITION/);
    });
  }
});
