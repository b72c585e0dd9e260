/**
 * The simulator's clients send several topics in one CreateTopics request in a share of the runs
 * (workload.ts createBatchMax), so the controller's one-write-per-request path (issue 12) is under
 * the sweep's faults and checks. Each topic of such a request is its own create-topic operation
 * in the history, on a process of its own, with the request's invoke and complete times.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/history/operation.js';
import { resolveRunOptions, rerunCommand } from '../../src/run/options.js';
import { SILENT } from '../../src/run/progress.js';
import { runOnce } from '../../src/run/run-once.js';
import { drawWorkload, nextOperation } from '../../src/run/workload.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';
import { SeededRandom } from '../../src/sim/random.js';

/** create-topic invocations grouped by the moment they were invoked, only groups of two or more. */
function requestsOfSeveral(history: readonly Operation[]): Operation[][] {
  const byTime = new Map<number, Operation[]>();
  for (const op of history) {
    if (op.type !== 'invoke' || op.f !== 'create-topic') continue;
    byTime.set(op.timeNs, [...(byTime.get(op.timeNs) ?? []), op]);
  }
  return [...byTime.values()].filter((group) => group.length > 1);
}

describe('create-topic requests of several topics in the simulator', () => {
  it('are drawn for a share of the runs, never naming a topic twice', () => {
    let batching = 0;
    for (let seed = 0; seed < 200; seed++) {
      const workload = drawWorkload(SeededRandom.fromSeed(seed));
      if (workload.createBatchMax === undefined) continue;
      batching++;
      const random = SeededRandom.fromSeed(seed).fork('ops');
      for (let i = 0; i < 50; i++) {
        const operation = nextOperation(workload, random);
        const names = [operation, ...(operation.together ?? [])].map((op) => (op.value as { name: string }).name);
        expect(new Set(names).size, `seed ${seed}: ${names.join(', ')}`).toBe(names.length);
        expect(names.length).toBeLessThanOrEqual(workload.createBatchMax);
      }
    }
    expect(batching, 'runs of 200 with batches').toBeGreaterThan(30);
    expect(batching).toBeLessThan(90);
  });

  it('run through the one-write path under faults, each topic judged as its own operation, and the run is valid', async () => {
    const seed = firstBatchingSeed();
    const report = await runOnce({
      options: resolveRunOptions({ env: 'sim', nemesis: ['partition', 'kill'], timeLimitMs: 10_000, concurrency: 4, rate: 60 }, seed),
      makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
    });
    const replay = `reproduce with: ${rerunCommand(report.options)}`;
    const history = report.record.history;
    const groups = requestsOfSeveral(history);
    for (const group of groups) expect(new Set(group.map((op) => op.process)).size, `${replay}: one process per topic`).toBe(group.length);
    // Every topic of a request completes at the same moment, however it ended (two clients may
    // also invoke in the same ms, so not every group of invocations is one request).
    const together = groups.filter((group) => new Set(group.map((invoke) =>
      history.find((op) => op.type !== 'invoke' && op.process === invoke.process && op.index > invoke.index)?.timeNs)).size === 1);
    expect(together.length, `${replay}: requests of several topics, completed together`).toBeGreaterThan(3);
    const created = groups.flat().filter((invoke) => history.some((op) => op.type === 'ok' && op.process === invoke.process &&
      (op.value as { created?: boolean } | null)?.created === true));
    expect(created.length, `${replay}: topics created in requests of several`).toBeGreaterThan(0);
    expect(report.judgement.checks.filter((check) => check.verdict !== 'valid').map((check) => `${check.name}: ${check.message}`), replay).toEqual([]);
  });
});

/** The first seed whose run draws requests of up to 3 topics (the pipeline draws the workload from this fork). */
function firstBatchingSeed(): number {
  for (let seed = 1; ; seed++) if ((drawWorkload(SeededRandom.fromSeed(seed).fork('workload')).createBatchMax ?? 1) >= 3) return seed;
}
