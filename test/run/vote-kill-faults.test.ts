/**
 * The vote-kill nemesis through the run pipeline, in the simulator (its Docker side is the same
 * nemesis with the watch of harness/nemesis/vote-kill.ts; suites/selftest-docker.test.ts runs it
 * there): each kill is recorded with the vote it answered, the node is back at once, and a quorumd
 * that answers a vote before persisting it is caught by SingleVote, while the same seed with an
 * honest quorumd stays valid (so what is caught is the bug, not the fault).
 */
import { describe, expect, it } from 'vitest';
import { resolveRunOptions, type RunOptionsInput } from '../../src/run/options.js';
import { runOnce, type RunReport } from '../../src/run/run-once.js';
import { SILENT } from '../../src/run/progress.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';

const INPUT: RunOptionsInput = {
  env: 'sim', nodes: 5, roles: 'combined', nemesis: ['kill', 'partition', 'vote-kill'], conditions: [], concurrency: 3, rate: 50, timeLimitMs: 20_000,
};
const SWITCHED = { 'unsafe.bug.switches': 'vote-before-persist,safety-assertions-off', 'unsafe.bug.switches.enable': 'true' };

async function run(seed: number, nodeConfig: Record<string, string> = {}): Promise<RunReport> {
  return runOnce({
    options: resolveRunOptions({ ...INPUT, nodeConfig }, seed), makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
  });
}

function failing(report: RunReport): string[] {
  return report.judgement.checks.filter((check) => check.verdict === 'invalid').map((check) => check.name);
}

describe('the vote-kill nemesis (simulator)', () => {
  it('kills a node right after each vote it grants, records the vote, and starts it again (seed 2)', async () => {
    const report = await run(2);
    expect(failing(report)).toEqual([]);
    const nemesis = report.record.history.filter((op) => op.process === 'nemesis');
    const watch = nemesis.find((op) => op.f === 'start-vote-kill');
    expect(watch?.value).toMatchObject({ kind: 'vote-kill', target: 'all', nodes: [1, 2, 3, 4, 5] });
    const kills = nemesis.filter((op) => op.f === 'vote-kill');
    expect(kills.length).toBeGreaterThan(0);
    const votes = report.record.nodeLogs.flatMap((log) => log.events).filter((event) => event.kind === 'vote-granted');
    for (const kill of kills) {
      const { node, epoch, votedFor } = kill.value as { node: number; epoch: number; votedFor: number };
      expect(votes.some((vote) => vote.node === node && vote.epoch === epoch && vote.votedFor === votedFor), JSON.stringify(kill.value)).toBe(true);
      const restart = nemesis.find((op) => op.f === 'vote-kill-restart' && op.index > kill.index && (op.value as { node: number }).node === node);
      expect(restart, `node ${node} started again`).toBeDefined();
    }
    expect(nemesis.some((op) => op.f === 'stop-vote-kill')).toBe(true);
  });

  it('catches a vote answered before it is durable by SingleVote, and the seed is valid without the bug (seed 1)', async () => {
    const broken = await run(1, SWITCHED);
    expect(failing(broken)).toContain('SingleVote');
    const honest = await run(1);
    expect(failing(honest)).toEqual([]);
    expect(honest.record.history.some((op) => op.f === 'vote-kill')).toBe(true);
  });
});
