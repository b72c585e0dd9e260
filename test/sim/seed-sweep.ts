/**
 * The CI sweep of simulated seeds, split into parts so vitest runs them in parallel forks. Every
 * seed runs every check (invariants after each event, liveness, no acknowledged write lost,
 * linearizability); a failing seed is listed with its reasons, its run directory and the command
 * that replays it.
 */
import { expect, it } from 'vitest';
import { runSeeds } from '../../src/sim/seed-batch.js';

/** 4 parts of 125: 500 seeds. Seeds are fixed so a CI failure replays anywhere. */
export const SWEEP_BASE_SEED = 500_000;
export const SWEEP_SEEDS_PER_PART = 125;
/** Shorter than the CLI's 20 s default: enough for several faults per run, and 500 seeds in ~1 min. */
const SAFETY_PHASE_MS = 6_000;

export function sweepPart(part: number): void {
  const baseSeed = SWEEP_BASE_SEED + part * SWEEP_SEEDS_PER_PART;
  it(`seeds ${baseSeed}..${baseSeed + SWEEP_SEEDS_PER_PART - 1} pass every check`, async () => {
    const summaries = await runSeeds({
      baseSeed, count: SWEEP_SEEDS_PER_PART, jobs: 1,
      runOptions: { safetyPhaseMs: SAFETY_PHASE_MS },
      runDirectoryRoot: 'runs/ci-sim',
    });
    const failures = summaries.filter((summary) => summary.verdict !== 'valid').map((summary) =>
      `seed ${summary.seed} ${summary.verdict}: ${summary.reasons[0]?.split('\n')[0] ?? ''}\n` +
      `  reproduce with: ${summary.replay} (run directory ${summary.runDirectory})`);
    expect(failures, `${failures.length} of ${summaries.length} seeds failed`).toEqual([]);
    expect(summaries).toHaveLength(SWEEP_SEEDS_PER_PART);
  }, 600_000);
}
