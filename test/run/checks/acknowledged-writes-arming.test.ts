/**
 * NoAcknowledgedWriteLost and AppliedBeforeAcknowledged look for each write the clients saw
 * acknowledged at a commit offset in the node logs. Where no write came with one (Docker: a Kafka
 * client is not told where its write was committed), they judge nothing: the run must say they were
 * not judged, and why, never count them valid.
 */
import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../../src/run/judge.js';
import { resolveRunOptions } from '../../../src/run/options.js';
import type { RunRecord } from '../../../src/run/pipeline.js';
import { SILENT } from '../../../src/run/progress.js';
import { runOnce } from '../../../src/run/run-once.js';
import { simWorldMaker } from '../../../src/run/worlds/sim-world.js';

const RULES = ['NoAcknowledgedWriteLost', 'AppliedBeforeAcknowledged'];

async function simulated(): Promise<RunRecord> {
  const report = await runOnce({
    options: resolveRunOptions({ env: 'sim', nodes: 3, nemesis: ['partition'], conditions: [], timeLimitMs: 10_000 }, 5),
    makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
  });
  return report.record;
}

function judged(record: RunRecord): { checks: string[]; notJudged: Record<string, string> } {
  const judgement = judgeRun(record);
  return {
    checks: judgement.checks.map((check) => check.name).filter((name) => RULES.includes(name)),
    notJudged: Object.fromEntries((judgement.notJudged ?? []).filter((entry) => RULES.includes(entry.rule)).map((entry) => [entry.rule, entry.message])),
  };
}

describe('the acknowledged-write rules are judged only on writes acknowledged at a commit offset', () => {
  it('judged in the simulator, whose clients see the offsets; without offsets (as in Docker) not judged, never valid', async () => {
    const record = await simulated();
    expect(record.acknowledged.length, 'the simulator\'s clients see commit offsets').toBeGreaterThan(0);
    expect(judged(record)).toEqual({ checks: RULES, notJudged: {} });
    const judgement = judgeRun(record);
    for (const rule of RULES) expect(judgement.checks.find((check) => check.name === rule)?.verdict).toBe('valid');

    const docker = judged({ ...record, acknowledged: [], liveInvariants: null, plan: { ...record.plan, options: { ...record.plan.options, env: 'docker' } } });
    expect(docker.checks, 'a rule with nothing to judge is no check').toEqual([]);
    for (const rule of RULES) {
      expect(docker.notJudged[rule]).toMatch(
        /^not judged: none of the \d+ acknowledged writes came with the commit offset it was acknowledged at \(a Kafka client is not told where its write was committed\), so there is none to look for in the node logs$/);
    }
    const noWrite = judged({ ...record, acknowledged: [], liveInvariants: null, history: record.history.filter((op) => op.type !== 'ok') });
    expect(noWrite.checks).toEqual([]);
    expect(noWrite.notJudged['NoAcknowledgedWriteLost']).toBe('not judged: no write was acknowledged, so there is none to look for in the node logs');
  });
});
