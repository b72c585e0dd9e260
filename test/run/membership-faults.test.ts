/**
 * Membership faults in the simulator (KIP-853): a cluster whose voter set lives in its log, with
 * spare controllers, gets voters added, removed and replaced on fresh disks, mixed with
 * partitions, kills and pauses, and every check still holds, AtMostOneUncommittedVoterSet among
 * them (judged after every event in the simulator, and again on the collected logs). The seeds are
 * fixed so a failure replays: `npx quorumcheck run --env sim --seed N --nemesis ...`.
 */
import { describe, expect, it } from 'vitest';
import { resolveRunOptions } from '../../src/run/options.js';
import { executeRun, planRun } from '../../src/run/pipeline.js';
import { judgeRun } from '../../src/run/judge.js';
import { SILENT } from '../../src/run/progress.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';
import type { NemesisKind } from '../../src/faults/schedule.js';

const NEMESIS: NemesisKind[] = ['membership', 'partition', 'kill', 'pause'];
const SEEDS = [3, 17, 81, 1187];

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
    for (const seed of SEEDS) {
      const { plan, record, judgement } = await run(seed);
      const failing = judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`);
      expect(failing, `reproduce with: npx quorumcheck run --env sim --seed ${seed} --nemesis ${NEMESIS.join(',')} --time-limit 20 --fault-lines 2`).toEqual([]);
      expect(plan.topology.spares.length).toBeGreaterThan(0);
      expect(judgement.checks.map((check) => check.name)).toContain('AtMostOneUncommittedVoterSet');
      expect(record.nodeLogs.some((log) => log.events.some((event) => event.kind === 'voters-changed'))).toBe(true);
      for (const fault of record.resolved) if (fault.action.kind === 'membership' && fault.note !== null) notes.push(fault.note);
    }
    // The faults did happen: each kind of change went through at least once over these seeds.
    expect(notes.some((note) => /^added \d+: ok/.test(note)), notes.join('\n')).toBe(true);
    expect(notes.some((note) => /removed \d+@\S+: ok/.test(note)), notes.join('\n')).toBe(true);
    expect(notes.some((note) => /disk replaced .*removed \d+@\S+: ok/.test(note)), notes.join('\n')).toBe(true);
  }, 300_000);
});
