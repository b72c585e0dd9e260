/**
 * StableLeadership judges only from when leadership must have settled after the heal (3 s in the
 * simulator with quorumd's defaults, 13 s in Docker). The recovery phase ends once every voter is
 * back, usually well before that, so most runs give the rule nothing to judge: such a run must say
 * it was not judged, never count it valid. --watch-after-heal (options.watchAfterHealMs) keeps the
 * healed cluster watched long enough for the rule to judge, and to fail.
 */
import { describe, expect, it } from 'vitest';
import type { NodeEvent } from '../../../src/history/node-event.js';
import { readRunSummary } from '../../../src/report/run-summary.js';
import { judgeRun } from '../../../src/run/judge.js';
import { resolveRunOptions, rerunCommand } from '../../../src/run/options.js';
import type { RunRecord } from '../../../src/run/pipeline.js';
import { SILENT } from '../../../src/run/progress.js';
import { leadershipSettledAtMs } from '../../../src/run/recovery.js';
import { buildResults } from '../../../src/run/run-directory.js';
import { runOnce } from '../../../src/run/run-once.js';
import { simWorldMaker } from '../../../src/run/worlds/sim-world.js';

/** A seed whose voters are all back about 100 ms after the heal (measured): the phase ends long before 3 s. */
const SEED = 1;
const INPUT = { env: 'sim' as const, nodes: 5, roles: 'combined' as const, nemesis: ['partition' as const], conditions: [], concurrency: 3, rate: 50 };

async function simulated(watchAfterHealMs: number): Promise<RunRecord> {
  const report = await runOnce({
    options: resolveRunOptions({ ...INPUT, watchAfterHealMs }, SEED), makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
  });
  return report.record;
}

/** The record with a voter (not the leader) standing for a new epoch `afterHealMs` after the heal. */
function withNeedlessElection(record: RunRecord, afterHealMs: number): RunRecord {
  const recovery = record.recovery!;
  const atNs = Math.round((recovery.healedAtMs + afterHealMs) * 1e6);
  const leader = record.nodeLogs.flatMap((log) => log.events).filter((event) => event.kind === 'became-leader' && event.timeNs < atNs)
    .reduce((latest, event) => (event.epoch >= latest.epoch ? event : latest));
  const standing = record.nodeLogs.find((log) => log.nodeId !== leader.node && record.plan.topology.controllers.includes(log.nodeId))!;
  const stands: NodeEvent = { timeNs: atNs, node: standing.nodeId, kind: 'epoch-changed', epoch: leader.epoch + 1, state: 'candidate', leaderId: null, votedFor: standing.nodeId };
  const nodeLogs = record.nodeLogs.map((log) => log !== standing ? log : {
    ...log, events: [...log.events.filter((event) => event.timeNs <= atNs), stands, ...log.events.filter((event) => event.timeNs > atNs)],
  });
  // The live checker saw other events: the judge then judges every rule itself.
  return { ...record, nodeLogs, liveInvariants: null };
}

/** The record with no voter ever reporting that it follows a leader (so no leadership ever settles). */
function withoutFollowers(record: RunRecord): RunRecord {
  const nodeLogs = record.nodeLogs.map((log) => ({
    ...log, events: log.events.filter((event) => !(event.kind === 'epoch-changed' && event.state === 'follower')),
  }));
  return { ...record, nodeLogs, liveInvariants: null };
}

function stableLeadership(record: RunRecord): { check: ReturnType<typeof judgeRun>['checks'][number] | undefined; notJudged: string | undefined } {
  const judgement = judgeRun(record);
  return {
    check: judgement.checks.find((check) => check.name === 'StableLeadership'),
    notJudged: judgement.notJudged?.find((rule) => rule.rule === 'StableLeadership')?.message,
  };
}

describe('StableLeadership and the time a run watched the healed cluster', () => {
  it('a run that ended before leadership had to settle says StableLeadership was not judged, and never counts it valid', async () => {
    const record = await simulated(0);
    const recovery = record.recovery!;
    const settledAtMs = leadershipSettledAtMs(record.plan.options.nodeConfig, recovery.healedAtMs, recovery.restartAllowanceMs);
    expect(recovery.quorum.watchedUntilMs, 'the seed must end its recovery phase before the window').toBeLessThan(settledAtMs);
    // A needless election after the window's start, which the run did not watch: nothing to judge.
    const { check, notJudged } = stableLeadership(withNeedlessElection(record, 5_000));
    expect(check, 'a rule that watched nothing must not be a check (and so never valid)').toBeUndefined();
    expect(notJudged).toMatch(/^not judged: the run watched the healed cluster for 0\.\d s, and leadership is judged only from 3\.0 s after the heal/);
    expect(notJudged).toContain('--watch-after-heal 13');
    const results = buildResults('/tmp/x', record, judgeRun(record), {
      system: 'quorumd', systemVersion: 'test', startedAt: new Date(0), endedAt: new Date(0), schedule: record.plan.schedule,
    });
    expect(results.notJudged).toContainEqual({ rule: 'StableLeadership', message: notJudged });
    expect(results.checks.map((check) => check.name)).not.toContain('StableLeadership');
    // The report page reads it back, to show beside the checks.
    expect(readRunSummary(JSON.parse(JSON.stringify(results))).notJudged).toEqual(results.notJudged);
  });

  it('with --watch-after-heal the phase watches that long, the rule is judged over its window, and it catches a needless election', async () => {
    const record = await simulated(8_000);
    const recovery = record.recovery!;
    expect(recovery.quorum.watchedUntilMs - recovery.healedAtMs).toBeGreaterThanOrEqual(8_000);
    expect(recovery.quorum.quorumMs, 'every voter was still seen back, as without the watch').not.toBeNull();
    const held = stableLeadership(record);
    expect(held.notJudged).toBeUndefined();
    expect(held.check?.verdict, held.check?.message).toBe('valid');
    expect(held.check?.message).toMatch(/judged from 3\.0 s after the heal, when leadership must have settled, until 8\.0 s; judged on 1 leadership a majority settled on in that window$/);
    const broken = stableLeadership(withNeedlessElection(record, 5_000));
    expect(broken.check?.verdict, broken.check?.message).toBe('invalid');
    expect(broken.check?.message).toMatch(/entered epoch \d+ \(candidate\) although node \d+ led epoch \d+/);
    // Before the window an election may still be needed (a follower that lost its leader just before the heal):
    // no violation. Its candidate never wins here, so no leader of the newest epoch settles in the window: not judged.
    const early = stableLeadership(withNeedlessElection(record, 2_000));
    expect(early.check, early.check?.message).toBeUndefined();
    expect(early.notJudged).toMatch(/^not judged: in its window no leader of the newest epoch had a majority/);
    // A window in which no leader had a majority following it judged nothing: not judged, never valid.
    const unsettled = stableLeadership(withoutFollowers(record));
    expect(unsettled.check, unsettled.check?.message).toBeUndefined();
    expect(unsettled.notJudged).toMatch(/^not judged: in its window no leader of the newest epoch had a majority of voters following it/);
  });

  it('the simulator draws a watch of 13 s after the heal for a quarter of seeds, so sweeps judge StableLeadership, which can fail there', async () => {
    const drawn = Array.from({ length: 400 }, (_, i) => resolveRunOptions({ env: 'sim' }, i + 1).watchAfterHealMs);
    expect(new Set(drawn)).toEqual(new Set([0, 13_000]));
    const watching = drawn.filter((ms) => ms > 0).length;
    expect(watching, 'about a quarter of 400 seeds').toBeGreaterThan(70);
    expect(watching).toBeLessThan(130);
    expect(resolveRunOptions({ env: 'docker' }, 8).watchAfterHealMs, 'Docker watches only when asked').toBe(0);
    // Default seed 8 draws the watch (5 nodes; stop and loss faults).
    const report = await runOnce({ options: resolveRunOptions({ env: 'sim' }, 8), makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never' });
    expect(report.options.watchAfterHealMs).toBe(13_000);
    expect(rerunCommand(report.options)).toContain('--watch-after-heal 13 ');
    const held = stableLeadership(report.record);
    expect(held.notJudged).toBeUndefined();
    expect(held.check?.verdict, held.check?.message).toBe('valid');
    expect(held.check?.message).toMatch(/judged from 3\.0 s after the heal, when leadership must have settled, until 13\.0 s; judged on 1 leadership a majority settled on in that window$/);
    // pre-vote-off does not disturb a healed cluster whose followers all hear the leader (none times out to
    // stand), so the needless election is put into the drawn window: the rule catches it there.
    const broken = stableLeadership(withNeedlessElection(report.record, 9_000));
    expect(broken.check?.verdict, broken.check?.message).toBe('invalid');
    expect(broken.check?.message).toMatch(/entered epoch \d+ \(candidate\) although node \d+ led epoch \d+/);
  });

  it('--watch-after-heal is spelled out in the rerun line and refused out of range', () => {
    expect(rerunCommand(resolveRunOptions({ ...INPUT, watchAfterHealMs: 25_000 }, SEED))).toContain('--watch-after-heal 25 ');
    expect(rerunCommand(resolveRunOptions(INPUT, SEED))).not.toContain('--watch-after-heal');
    expect(() => resolveRunOptions({ ...INPUT, watchAfterHealMs: -1 }, SEED)).toThrow('--watch-after-heal (ms) must be an integer');
  });
});
