/**
 * CheckQuorum compares one node's event times with another's against the check-quorum bound, so the
 * judge arms it only in the simulator, where the events share one clock and a node's own clock never
 * runs slower than it (it only steps forward, so clock faults leave the bound sound: run/judge.ts);
 * a paused leader is judged from when it resumed. Unarmed (in Docker) it judges nothing: such a run
 * must say the rule was not judged, and why, never count it valid. Armed, it still catches the
 * check-quorum-off bug switch, clock faults or not, and a valid check says what it covered.
 */
import { describe, expect, it } from 'vitest';
import { describeRun } from '../../../src/cli/run-output.js';
import { readRunSummary } from '../../../src/report/run-summary.js';
import { judgeRun } from '../../../src/run/judge.js';
import { resolveRunOptions, type RunOptionsInput } from '../../../src/run/options.js';
import type { RunRecord } from '../../../src/run/pipeline.js';
import { SILENT } from '../../../src/run/progress.js';
import { buildResults } from '../../../src/run/run-directory.js';
import { runOnce, type RunReport } from '../../../src/run/run-once.js';
import { simWorldMaker } from '../../../src/run/worlds/sim-world.js';

const QUICK_TIMEOUTS = {
  'controller.quorum.fetch.timeout.ms': '800', 'controller.quorum.election.timeout.ms': '400', 'controller.quorum.election.backoff.max.ms': '400',
};
/** live-invariants.test.ts's case: seed 2 of isolate-leader partitions, which CheckQuorum catches with the switch on. */
const CHECK_QUORUM_OFF: RunOptionsInput = {
  nodes: 3, roles: 'combined', nemesis: ['partition'], partitionShapes: ['isolate-leader'], conditions: [], concurrency: 4, rate: 100,
  nodeConfig: { 'unsafe.bug.switches.enable': 'true', ...QUICK_TIMEOUTS, 'unsafe.bug.switches': 'check-quorum-off' },
};

async function simulated(input: RunOptionsInput, seed: number): Promise<RunReport> {
  return runOnce({
    options: resolveRunOptions({ env: 'sim', ...input }, seed), makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
  });
}

function checkQuorum(record: RunRecord): { check: ReturnType<typeof judgeRun>['checks'][number] | undefined; notJudged: string | undefined } {
  const judgement = judgeRun(record);
  return {
    check: judgement.checks.find((check) => check.name === 'CheckQuorum'),
    notJudged: judgement.notJudged?.find((rule) => rule.rule === 'CheckQuorum')?.message,
  };
}

/** The same events judged as if the run had had other options (the judge arms the rule from them). */
function judgedAs(record: RunRecord, options: Partial<RunRecord['plan']['options']>): RunRecord {
  return { ...record, plan: { ...record.plan, options: { ...record.plan.options, ...options } } };
}

describe('CheckQuorum is judged only where it is armed, and says so where it is not', () => {
  it('armed in the simulator, it catches check-quorum-off, clock faults or not; the same events judged in Docker are not judged, never valid', async () => {
    const report = await simulated(CHECK_QUORUM_OFF, 2);
    const armed = checkQuorum(report.record);
    expect(armed.notJudged).toBeUndefined();
    expect(armed.check?.verdict, armed.check?.message).toBe('invalid');
    expect(armed.check?.message).toMatch(/^node \d+ still led epoch \d+ \d+\.\d s after node \d+ was elected leader of epoch \d+ \(check-quorum bound 2\.0 s\)/);
    // Clock faults no longer disarm it: the same stale leader is caught.
    const clocked = checkQuorum(judgedAs(report.record, { nemesis: ['partition', 'clock'] }));
    expect(clocked.notJudged).toBeUndefined();
    expect(clocked.check?.verdict, clocked.check?.message).toBe('invalid');
    // The stale leader is in these events; unarmed, the judge cannot see it and must not call the rule valid.
    const docker = checkQuorum(judgedAs(report.record, { env: 'docker' }));
    expect(docker.check).toBeUndefined();
    expect(docker.notJudged).toMatch(/^not judged in Docker: it compares one node's event times with another's against the check-quorum bound/);
    // Membership and pause faults do not disarm it (the next cases).
    expect(checkQuorum(judgedAs(report.record, { nemesis: ['partition', 'membership', 'pause'] })).check?.verdict).toBe('invalid');
  });

  it('armed under membership faults: check-quorum-off is caught, and a killed leader restarting under kraft.version 1 is no stale leader', async () => {
    // The switch under voter changes (kraft.version 1, two spare controllers): of seeds 1-20, 16 were caught by CheckQuorum, 1 first.
    const off = await simulated({ ...CHECK_QUORUM_OFF, nemesis: ['partition', 'membership'] }, 1);
    const caught = checkQuorum(off.record);
    expect(caught.notJudged).toBeUndefined();
    expect(caught.check?.verdict, caught.check?.message).toBe('invalid');
    expect(caught.check?.message).toMatch(/^node \d+ (still led|led) epoch \d+ (until )?\d+\.\d s after node \d+ was elected leader of epoch \d+ \(check-quorum bound 2\.0 s\)/);
    // Sweep seed 731810103: leader 1 was killed at 4.0 s, node 3 elected at 6.0 s, node 1 restarted at 11.4 s. Its
    // replica-started event (before `restarted`) was taken for an act of leader 1, 5.4 s after: what the
    // membership exclusion hid (13 of 300 seeds from 731810000 failed so, every one at a replica-started).
    const restarted = await simulated({
      nodes: 3, roles: 'isolated', nemesis: ['partition', 'kill', 'loss', 'membership'], timeLimitMs: 20_000, concurrency: 2, rate: 25, faultLines: 2,
    }, 731810103);
    const events = restarted.record.nodeLogs.flatMap((log) => log.events);
    const ledThenKilled = events.filter((event) => event.kind === 'became-leader').some((led) =>
      events.some((event) => event.kind === 'replica-started' && event.node === led.node && event.timeNs > led.timeNs) &&
      events.some((event) => event.kind === 'became-leader' && event.epoch > led.epoch));
    expect(ledThenKilled, 'a leader superseded, then started again on its disk').toBe(true);
    const judged = checkQuorum(restarted.record);
    expect(judged.check?.verdict ?? 'not judged', judged.check?.message ?? judged.notJudged).not.toBe('invalid');
  });

  it('armed under pause faults: a leader paused past a later election is judged from when it resumed; check-quorum-off is still caught', async () => {
    // Of seeds 1-20 of the switch with pauses beside the isolating partitions, 13 were caught by CheckQuorum, 1 first.
    const off = checkQuorum((await simulated({ ...CHECK_QUORUM_OFF, nemesis: ['partition', 'pause'] }, 1)).record);
    expect(off.check?.verdict, off.check?.message ?? off.notJudged).toBe('invalid');
    // Seed 25 of pauses alone: leader 2 of epoch 1 is paused while nodes 1 and 3 elect node 3 for epoch 2; it
    // steps down when it resumes, 5.6 s after that election (5.5 s before leaders answered read rounds only to the
    // voters a read waits on), within the bound of its resume.
    const paused = await simulated({ nodes: 3, nemesis: ['pause'], conditions: [], timeLimitMs: 10_000 }, 25);
    const judged = checkQuorum(paused.record);
    expect(judged.check?.verdict, judged.check?.message ?? judged.notJudged).toBe('valid');
    expect(judged.check?.message).toMatch(/; judged on 1 leader superseded while it still led$/);
    // Judged as if it had never stood still, the same leader would be stale: the bound must start at its resume.
    const unpaused = checkQuorum({ ...paused.record, resolved: paused.record.resolved.filter((fault) => fault.action.kind !== 'pause') });
    expect(unpaused.check?.verdict, unpaused.check?.message).toBe('invalid');
    expect(unpaused.check?.message).toMatch(/^node 2 led epoch 1 until 5\.6 s after node 3 was elected leader of epoch 2/);
  });

  it('armed under clock faults: check-quorum-off is caught while clocks jump, and a valid check says clock faults were judged', async () => {
    // Of seeds 1-20 of the switch with clock faults beside the isolating partitions, 15 were caught by CheckQuorum, 1 first.
    const off = await simulated({ ...CHECK_QUORUM_OFF, nemesis: ['partition', 'clock'] }, 1);
    expect(off.record.resolved.filter((fault) => fault.action.kind === 'clock' && fault.nodes.length > 0).length, 'clock faults applied').toBeGreaterThan(0);
    const caught = checkQuorum(off.record);
    expect(caught.notJudged).toBeUndefined();
    expect(caught.check?.verdict, caught.check?.message).toBe('invalid');
    expect(caught.check?.message).toMatch(/^node \d+ (still led|led) epoch \d+ (until )?\d+\.\d s after node \d+ was elected leader of epoch \d+ \(check-quorum bound 2\.0 s\)/);
    // The switch off, the same seed's leaders resign within the bound, clocks jumping or not.
    const safe = await simulated({ ...CHECK_QUORUM_OFF, nemesis: ['partition', 'clock'], nodeConfig: QUICK_TIMEOUTS }, 1);
    const judged = checkQuorum(safe.record);
    expect(judged.check?.verdict, judged.check?.message ?? judged.notJudged).toBe('valid');
    expect(judged.check?.message).toMatch(/with clock faults too: a simulated node's clock only steps forward/);
  });

  it('a run where it is not armed reports CheckQuorum not judged in its judgement, results.json, summary and report', async () => {
    const report = await simulated({ nodes: 3, nemesis: ['clock'], conditions: [], timeLimitMs: 10_000 }, 7);
    // Judged as a Docker run: there the rule is not armed.
    const judgement = judgeRun(judgedAs(report.record, { env: 'docker' }));
    expect(judgement.checks.map((check) => check.name)).not.toContain('CheckQuorum');
    const entry = judgement.notJudged?.find((rule) => rule.rule === 'CheckQuorum');
    expect(entry?.message).toMatch(/^not judged in Docker: /);
    const results = buildResults('/tmp/x', report.record, judgement, {
      system: 'quorumd', systemVersion: 'test', startedAt: new Date(0), endedAt: new Date(0), schedule: report.record.plan.schedule,
    });
    expect(results.checks.map((check) => check.name)).not.toContain('CheckQuorum');
    expect(results.notJudged).toContainEqual(entry);
    expect(readRunSummary(JSON.parse(JSON.stringify(results))).notJudged).toContainEqual(entry);
    expect(describeRun({ ...report, judgement })).toContain(`  CheckQuorum: ${entry!.message}`);
  });

  it('a valid armed check says what it covered: the whole run, the bound, and the leaders it judged', async () => {
    // The switch off, the isolated leader resigns in time (seed 3 of partition and kill never cuts a leader off: situations.test.ts).
    const report = await simulated({ ...CHECK_QUORUM_OFF, nodeConfig: QUICK_TIMEOUTS, timeLimitMs: 10_000 }, 1);
    const { check, notJudged } = checkQuorum(report.record);
    expect(notJudged).toBeUndefined();
    expect(check?.verdict, check?.message).toBe('valid');
    expect(check?.message).toMatch(/^held over \d+ events of 3 nodes; judged over the whole run: every leader superseded by a later epoch's stopped leading within \d+\.\d s \(check-quorum's 1\.5 fetch timeouts of \d+\.\d s, plus one for its followers to leave\); judged on [1-9]\d* leaders? superseded while (it|they) still led$/);
  });
});
