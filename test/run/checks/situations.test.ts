/**
 * Rules that judge one situation a run may never meet (no leader cut off, no voter change, no
 * snapshot, no answered operation) judged nothing there: such a run must say so, with why, and
 * never count the rule valid (issue 8). Where the situation happened, a valid check says how much
 * it judged. Each case is a simulated run; the old judge reported every one of these rules valid.
 */
import { describe, expect, it } from 'vitest';
import { describeRun } from '../../../src/cli/run-output.js';
import { judgeRun, type Judgement } from '../../../src/run/judge.js';
import { resolveRunOptions, type RunOptionsInput } from '../../../src/run/options.js';
import type { RunRecord } from '../../../src/run/pipeline.js';
import { SILENT } from '../../../src/run/progress.js';
import { runOnce, type RunReport } from '../../../src/run/run-once.js';
import { simWorldMaker } from '../../../src/run/worlds/sim-world.js';

async function simulated(input: RunOptionsInput, seed: number): Promise<RunReport> {
  return runOnce({
    options: resolveRunOptions({ env: 'sim', ...input }, seed), makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
  });
}

function rule(judgement: Judgement, name: string): { check: Judgement['checks'][number] | undefined; notJudged: string | undefined } {
  return { check: judgement.checks.find((check) => check.name === name), notJudged: judgement.notJudged?.find((entry) => entry.rule === name)?.message };
}

const QUICK_TIMEOUTS = {
  'controller.quorum.fetch.timeout.ms': '800', 'controller.quorum.election.timeout.ms': '400', 'controller.quorum.election.backoff.max.ms': '400',
};

describe('a rule whose situation the run never met is not judged, never valid', () => {
  it('CheckQuorum: kills and partitions that never cut a leader off judge nothing; an isolated leader is judged', async () => {
    // Seed 3: the leader is killed, never cut off while it led (check-quorum-arming's old "valid armed" case).
    const killed = await simulated({ nodes: 3, nemesis: ['partition', 'kill'], conditions: [], timeLimitMs: 10_000 }, 3);
    const nothing = rule(killed.judgement, 'CheckQuorum');
    expect(nothing.check, nothing.check?.message).toBeUndefined();
    expect(nothing.notJudged).toBe('not judged: no leader was cut off from its voters long enough for them to elect another while it still led ' +
      '(every leader kept its voters, stepped down first or was killed), so there was no stale leader to judge');
    expect(killed.verdict, 'a rule not judged does not make a run unknown').toBe('valid');
    expect(describeRun(killed)).toContain(`  CheckQuorum: ${nothing.notJudged!}`);
    const isolated = await simulated({
      nodes: 3, roles: 'combined', nemesis: ['partition'], partitionShapes: ['isolate-leader'], conditions: [], concurrency: 4, rate: 100,
      timeLimitMs: 10_000, nodeConfig: QUICK_TIMEOUTS,
    }, 1);
    const judged = rule(isolated.judgement, 'CheckQuorum');
    expect(judged.notJudged).toBeUndefined();
    expect(judged.check?.verdict, judged.check?.message).toBe('valid');
    expect(judged.check?.message).toMatch(/; judged on [1-9]\d* leaders? superseded while (it|they) still led$/);
  });

  it('SnapshotAtLogStart and LeaderNeverLoadSnapshot: judged on the snapshots taken and loaded, not judged without any', async () => {
    const input = (entries: string): RunOptionsInput => ({
      nodes: 3, nemesis: ['kill'], conditions: [], timeLimitMs: 10_000, nodeConfig: { 'metadata.snapshot.interval.entries': entries },
    });
    const none = (await simulated(input('20000'), 1)).judgement;
    expect(rule(none, 'SnapshotAtLogStart')).toEqual({ check: undefined, notJudged: 'not judged: no node took or installed a snapshot, so no log start was set by one' });
    expect(rule(none, 'LeaderNeverLoadSnapshot')).toEqual({
      check: undefined, notJudged: 'not judged: no node loaded a snapshot (at start-up or from the leader), none was taken, and only a load can break the rule',
    });
    const some = (await simulated(input('20'), 1)).judgement;
    expect(rule(some, 'SnapshotAtLogStart').check?.message).toMatch(/; judged on [1-9]\d* snapshots? reported$/);
    expect(rule(some, 'LeaderNeverLoadSnapshot').check?.message).toMatch(/; judged on [1-9]\d* snapshot loads?$/);
  });

  it('AtMostOneUncommittedVoterSet: not judged without a voter change, judged on the changes membership faults make', async () => {
    const fixed = (await simulated({ nodes: 3, nemesis: ['kill'], conditions: [], timeLimitMs: 10_000 }, 1)).judgement;
    expect(rule(fixed, 'AtMostOneUncommittedVoterSet')).toEqual({
      check: undefined,
      notJudged: 'not judged: no voter change was ever written to a leader\'s log (no membership faults), and only a second one before the first commits breaks the rule',
    });
    const changing = (await simulated({ nodes: 3, nemesis: ['membership'], conditions: [], timeLimitMs: 10_000 }, 1)).judgement;
    expect(rule(changing, 'AtMostOneUncommittedVoterSet').check?.message).toMatch(/; judged on [1-9]\d* voter changes? uncommitted in a leader's log$/);
  });

  it('linearizability: a history without an operation answered ok (every answer a failure, or none) is not judged, and the run stays valid', async () => {
    const report = await simulated({ nodes: 3, nemesis: [], conditions: [], timeLimitMs: 3_000 }, 1);
    expect(rule(report.judgement, 'linearizability').check?.verdict).toBe('valid');
    // The same run with every client answer a failure (and one left open): nothing a model must explain.
    let failed = 0;
    const unanswered: RunRecord = {
      ...report.record,
      history: report.record.history.map((op) => op.type === 'ok' ? { ...op, type: failed++ === 0 ? 'info' as const : 'fail' as const } : op),
    };
    const judgement = judgeRun(unanswered);
    const nothing = rule(judgement, 'linearizability');
    expect(nothing.check).toBeUndefined();
    expect(nothing.notJudged).toMatch(/^not judged: none of the \d+ client operations completed ok \(\d+ failed, \d+ indeterminate\), and a history without an answer is linearizable whatever the system did$/);
    expect(judgement.verdict, 'a rule not judged does not make a run unknown').toBe('valid');
  });
});
