/**
 * quorumcheck selftest in the simulator: every bug switch of quorumd is caught, through the run
 * pipeline, by a check that judges behaviour, within a bounded number of seeds from seed 1 (the
 * seeds are fixed, so this is deterministic; the bound leaves room over what was measured: every
 * switch but vote-without-log-check is caught within the first 5 seeds today; that one was caught
 * at seed 3, which draws creates of several topics in one request since issue 12 and misses it
 * now: seeds 1-14 miss it and 15 catches it; incarnation-check-off, which runs kills and pauses
 * at 400 operations a second, is caught at seed 8 by its kills behind a paused leader). A catch counts only if the same seed is valid
 * without the switch, so none of these is quorumd failing on its own.
 */
import { describe, expect, it } from 'vitest';
import { BUG_SWITCH_NAMES, type BugSwitch } from '../../src/core/bug-switches.js';
import { runSelftest, type SwitchResult } from '../../src/selftest/selftest.js';
import { switchesFor } from '../../src/selftest/scenarios.js';

/** Seeds per switch at most. */
const SEEDS_MAX = 16;

/** The checks that may catch each switch: what its bug breaks. */
const EXPECTED_CATCHERS: Readonly<Record<BugSwitch, readonly string[]>> = {
  'vote-before-persist': ['SingleVote', 'SingleLeader'],
  // Committed records cut away; the cluster left behind may also stop making progress.
  'vote-without-log-check': ['ConsistentCommittedData', 'NoAcknowledgedWriteLost', 'linearizability', 'availability-after-heal', 'quorum-after-heal'],
  'commit-without-majority': ['MajorityReachedHighWatermark'],
  'commit-before-own-epoch': ['LeaderCommitsOwnEpoch'],
  'check-quorum-off': ['CheckQuorum'],
  'pre-vote-off': ['availability-after-heal', 'quorum-after-heal', 'StableLeadership'],
  'read-without-read-index': ['linearizability'],
  'ack-before-apply': ['AppliedBeforeAcknowledged'],
  // In the default draw: an answer to an earlier incarnation's write taken for a new write's lies to its client.
  'incarnation-check-off': ['linearizability'],
};

async function hunt(name: BugSwitch): Promise<SwitchResult> {
  const report = await runSelftest({ env: 'sim', switches: [name], seeds: SEEDS_MAX, baseSeed: 1, runsRoot: 'runs/test' });
  return report.results[0]!;
}

describe('quorumcheck selftest --env sim', () => {
  it('runs every bug switch there is', () => {
    expect(switchesFor('sim')).toEqual(BUG_SWITCH_NAMES);
  });

  it.each(BUG_SWITCH_NAMES)('%s is caught by a behaviour check within a few seeds', async (name) => {
    const result = await hunt(name);
    expect(result.caught, `${name}: missed in ${result.seedsTried} seeds`).toBe(true);
    expect(result.failingWithout, 'seeds that fail without the switch').toEqual([]);
    expect(result.caughtBy.length).toBeGreaterThan(0);
    const catchers = result.caughtBy.map((entry) => entry.check);
    expect(catchers.some((check) => EXPECTED_CATCHERS[name].includes(check)), `${name} caught by ${catchers.join(', ')}`).toBe(true);
    if (catchers.includes('linearizability')) {
      expect(result.caughtBy.find((entry) => entry.kind === 'linearizability')!.operations!.length).toBeGreaterThan(0);
    }
    expect(result.rerun).toContain(`--node-config unsafe.bug.switches=${name}`);
  });

  it('where quorumd\'s own assertion fires first (a voter with a stale log elected), a behaviour check catches the bug with the assertion off', async () => {
    const result = await hunt('vote-without-log-check');
    expect(result.assertionFirst).toMatch(/assertion failed: truncation to \d+ below the high watermark/);
    expect(result.caughtBy.length).toBeGreaterThan(0);
  });
});
