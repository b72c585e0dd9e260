/**
 * The trend line of a conformance run: failover time is the runs' failover figure, never their
 * recovery time (a different measure, kept beside it).
 */
import { describe, expect, it } from 'vitest';
import { readRunSummary } from '../../src/report/run-summary.js';
import { trendEntry } from '../../src/report/trend/trend-file.js';

function run(verdict: string, figures: Record<string, number | null>): ReturnType<typeof readRunSummary> {
  return readRunSummary({ formatVersion: 1, name: 'n', env: 'docker', seed: 1, verdict, checks: [], figures });
}

describe('trendEntry', () => {
  it('takes failover from figures.failoverMs and recovery from figures.recoveryMs, medians over the runs', () => {
    const entry = trendEntry([
      run('valid', { failoverMs: 1_200, recoveryMs: 3_000, opsPerSecond: 40, checkerMs: 10 }),
      run('valid', { failoverMs: 1_800, recoveryMs: 5_000, opsPerSecond: 60, checkerMs: 30 }),
      run('invalid', { failoverMs: null, recoveryMs: 4_000, opsPerSecond: 50, checkerMs: 20 }),
    ], new Date(Date.UTC(2026, 11, 1)), 'main@abc');
    expect(entry).toEqual({
      at: '2026-12-01T00:00:00.000Z', label: 'main@abc', runs: 3, passed: 2, failed: 1, unknown: 0, passRate: 0.667,
      failoverMs: 1_500, recoveryMs: 4_000, opsPerSecond: 50, checkerMs: 20,
    });
  });

  it('runs that measured no failover (older runs, no leader fault) leave it null rather than borrowing recovery', () => {
    const entry = trendEntry([run('valid', { recoveryMs: 2_500 })], new Date(0));
    expect(entry.failoverMs).toBeNull();
    expect(entry.recoveryMs).toBe(2_500);
  });
});
