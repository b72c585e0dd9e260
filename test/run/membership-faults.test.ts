/**
 * Membership faults in the simulator (KIP-853): a cluster whose voter set lives in its log, with
 * spare controllers, gets voters added, removed and replaced on fresh disks, mixed with
 * partitions, kills and pauses, and every check still holds, AtMostOneUncommittedVoterSet among
 * them (judged after every event in the simulator, and again on the collected logs). The seeds are
 * fixed so a failure replays: `npx quorumcheck run --env sim --seed N --nemesis ...`.
 */
import { describe, expect, it } from 'vitest';
import { resolveRunOptions } from '../../src/run/options.js';
import { quorumLossProblem } from '../../src/run/nemesis.js';
import { executeRun, planRun } from '../../src/run/pipeline.js';
import { judgeRun } from '../../src/run/judge.js';
import { SILENT } from '../../src/run/progress.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';
import type { NemesisKind } from '../../src/faults/schedule.js';

const NEMESIS: NemesisKind[] = ['membership', 'partition', 'kill', 'pause'];
const SEEDS = [3, 7, 81, 1187];

async function run(seed: number) {
  const options = resolveRunOptions({ env: 'sim', nemesis: NEMESIS, timeLimitMs: 20_000, faultLines: 2 }, seed);
  const plan = planRun(options);
  const world = await simWorldMaker()(plan, () => undefined);
  const record = await executeRun(plan, world, SILENT, null);
  return { plan, record, judgement: judgeRun(record) };
}

describe('membership faults in the simulator', () => {
  it('voters are added, removed and replaced under partitions, kills and pauses, and every check holds', async () => {
    const notes: string[] = [];
    let judgedVoterChanges = 0;
    for (const seed of SEEDS) {
      const { plan, record, judgement } = await run(seed);
      const failing = judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`);
      expect(failing, `reproduce with: npx quorumcheck run --env sim --seed ${seed} --nemesis ${NEMESIS.join(',')} --time-limit 20 --fault-lines 2`).toEqual([]);
      expect(plan.topology.spares.length).toBeGreaterThan(0);
      // Judged where a voter change reached a leader's log; in seed 81 none did (not judged, said so). Seed 7, which adds a
      // voter, replaces 17 since kills behind a paused leader were drawn (17's changes no longer reached a log).
      if (judgement.checks.some((check) => check.name === 'AtMostOneUncommittedVoterSet')) judgedVoterChanges += 1;
      else expect(judgement.notJudged?.map((entry) => entry.rule)).toContain('AtMostOneUncommittedVoterSet');
      expect(record.nodeLogs.some((log) => log.events.some((event) => event.kind === 'voters-changed'))).toBe(true);
      for (const fault of record.resolved) if (fault.action.kind === 'membership' && fault.note !== null) notes.push(fault.note);
    }
    expect(judgedVoterChanges, 'seeds whose voter changes AtMostOneUncommittedVoterSet judged').toBeGreaterThanOrEqual(3);
    // The faults did happen: each kind of change went through at least once over these seeds.
    expect(notes.some((note) => /^added \d+: ok/.test(note)), notes.join('\n')).toBe(true);
    expect(notes.some((note) => /removed \d+@\S+: ok/.test(note)), notes.join('\n')).toBe(true);
    expect(notes.some((note) => /disk replaced .*removed \d+@\S+: ok/.test(note)), notes.join('\n')).toBe(true);
  }, 300_000);

  it('never takes a live voter away when the live ones left would not be a majority, a replaced disk\'s voter counted as dead', () => {
    // Sweep seed 643197894 (base 643193794): a leader's disk was replaced and its old voter's
    // removal failed; a second entry, with the dead voter held by the first, removed a live one and
    // left {dead, live}, whose majority needs the dead disk: no leader for good. (On later commits
    // the seed's run took another path, so the rule is kept here as it is decided.)
    expect(quorumLossProblem('remove', 3, 1, false)).toBe('2 of 3 voters are live: taking one away would lose the quorum for good');
    expect(quorumLossProblem('remove', 3, 1, true)).toBeNull();
    expect(quorumLossProblem('replace', 3, 0, false)).toBeNull();
    expect(quorumLossProblem('remove', 3, 0, false)).toBeNull();
    expect(quorumLossProblem('remove', 2, 0, false)).toBeNull();
    expect(quorumLossProblem('remove', 5, 1, false)).toBeNull();
    expect(quorumLossProblem('remove', 4, 1, false)).toBeNull();
    expect(quorumLossProblem('remove', 4, 2, false)).toBe('2 of 4 voters are live: taking one away would lose the quorum for good');
    expect(quorumLossProblem('replace', 5, 1, false)).toBeNull();
    expect(quorumLossProblem('replace', 4, 1, false)).toBe('3 of 4 voters are live: taking one away would lose the quorum for good');
  });
});
