/**
 * Membership faults never leave a voter set that can no longer form a quorum. Seed 509724214 (a
 * fresh sweep of issue 8) removed live voter 1 while voter 2's disk was gone and its own removal
 * still held node 2: the voters left, {2 on the gone disk, 3}, never elected a leader again, and
 * the run failed availability and quorum after heal. The nemesis refuses that removal now (the
 * same guard as for sweep seed 643197894).
 */
import { describe, expect, it } from 'vitest';
import { resolveRunOptions, rerunCommand, type RunOptionsInput } from '../../src/run/options.js';
import { SILENT } from '../../src/run/progress.js';
import { runOnce } from '../../src/run/run-once.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';

const INPUT: RunOptionsInput = {
  env: 'sim', nodes: 3, roles: 'combined', nemesis: ['partition', 'stop', 'membership'], timeLimitMs: 20_000, concurrency: 2, rate: 25, faultLines: 2,
};

/** The nemesis notes of a run whose start-membership refused with the quorum-loss guard. */
function refusals(report: Awaited<ReturnType<typeof runOnce>>): unknown[] {
  return report.record.history.filter((op) => op.process === 'nemesis' && op.f === 'start-membership' &&
    /2 of 3 voters are live: taking one away would lose the quorum for good/.test(String((op.value as { note?: unknown }).note)));
}

describe('membership faults keep a quorum possible', () => {
  it('a voter whose addition is still unanswered does not count as live (CI sweep seed 517989, now 530451)', async () => {
    // Was: node 2's replacement added 2 on its new disk (the add never committed: no answer in
    // time), and node 1's replacement, counting that voter, wiped the only log with the entry.
    // CI sweep seed 517989 (options drawn: membership faults alone, 6 s) no longer asks for such a
    // replacement since forwards to a replaced or restarted leader are answered at once; 528037,
    // with membership faults given, did until the leader sent BeginQuorumEpoch to silent voters;
    // 529595 (the first from 528037 with the same options) did until leaders answered read rounds
    // only to the voters a read waits on; 530451, the first after it, does.
    const report = await runOnce({
      options: resolveRunOptions({ env: 'sim', timeLimitMs: 6_000, nemesis: ['membership'] }, 530451), makeWorld: simWorldMaker(), sink: SILENT,
      runsRoot: 'runs/test', writeDirectory: 'never',
    });
    const replay = `reproduce with: ${rerunCommand(report.options)}`;
    expect(report.options.nemesis, replay).toEqual(['membership']);
    expect(refusals(report).length, `${replay}: the replacement that would lose the quorum is no longer asked for`).toBeGreaterThan(0);
    expect(report.judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`), replay).toEqual([]);
  });

  it('a live voter is not removed while a voter whose disk is gone is held by another change (seed 509724264)', async () => {
    // Found on sweep seed 509724214, which forwards to a replaced or restarted leader answered at
    // once moved away; 509724220 asked for such a removal with the same options until a voter
    // change forwarded to the replaced leader was answered unknown (it names the leader's epoch);
    // 509724264, the first after it that does, replaces it.
    const report = await runOnce({
      options: resolveRunOptions(INPUT, 509724264), makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
    });
    const replay = `reproduce with: ${rerunCommand(report.options)}`;
    expect(refusals(report).length, `${replay}: the removal that would lose the quorum is no longer asked for`).toBeGreaterThan(0);
    expect(report.judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`), replay).toEqual([]);
  });
  it('a voter whose removal may still commit does not count as live (sweep seed 591736949, now 591736978)', async () => {
    // Was (44e2146): node 3's disk was replaced at 15.1 s while the removal of voter 5 was being
    // retried; counting {2, 3, 5} as live it went ahead, the leader then appended the removal,
    // {2, 3 on the gone disk}, and no leader was elected again. Now the replacement is refused.
    // The leader's BeginQuorumEpoch heartbeat to silent voters moved 591736949 away; 591736978,
    // the first after it with the same options, refuses one counting voter 3 as gone.
    const input: RunOptionsInput = {
      env: 'sim', nodes: 3, roles: 'combined', nemesis: ['partition', 'kill', 'stop', 'loss', 'membership'], timeLimitMs: 20_000, concurrency: 5,
      rate: 100, faultLines: 2, name: 'sim',
    };
    const report = await runOnce({
      options: resolveRunOptions(input, 591736978), makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
    });
    const replay = `reproduce with: ${rerunCommand(report.options)}`;
    const leaving = refusals(report).filter((value) => /counting 3 as gone: a removal under way or unanswered may still commit/.test(String((value as { value: { note?: unknown } }).value.note)));
    expect(leaving.length, `${replay}: the replacement that would lose the quorum if 3's removal commits is no longer asked for`).toBe(1);
    expect(report.judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`), replay).toEqual([]);
  });

  it('a voter the leader no longer lists, whose removal may not commit, still counts as a member, and as gone (seed 20261235)', async () => {
    // Was (99dfd50, `quorumcheck run --env sim --nemesis membership`, options drawn): leader 2 of
    // {1, 2, 3, 4} had appended the removal of 4 (the undo of "add 4") when the nemesis replaced
    // its own disk 12 ms later, counting 1 and 3 of the {1, 2, 3} it listed as live. Nodes 1 and 3
    // never got the removal and needed 4's vote in {1, 2, 3, 4}; node 4, whose log held it, was no
    // voter of its own and refused them for a shorter log: no leader was elected again
    // (availability- and quorum-after-heal invalid). Now the replacement is refused.
    const report = await runOnce({
      options: resolveRunOptions({ env: 'sim', nemesis: ['membership'] }, 20261235), makeWorld: simWorldMaker(), sink: SILENT,
      runsRoot: 'runs/test', writeDirectory: 'never',
    });
    const replay = `reproduce with: ${rerunCommand(report.options)}`;
    const unlisted = report.record.history.filter((op) => op.process === 'nemesis' && op.f === 'start-membership' &&
      /3 of 4 voters are live: .*counting 4 as a gone member: the leader lists the set without it/.test(String((op.value as { note?: unknown }).note)));
    expect(unlisted.length, `${replay}: the replacement that would lose the quorum if 4's removal does not commit is no longer asked for`).toBe(1);
    expect(report.judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`), replay).toEqual([]);
  });
});
