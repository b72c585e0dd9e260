/**
 * Failover read from a history and its resolved schedule (src/run/failover.ts): which faults take
 * the leader away, and the first write acknowledged while the fault held. Hand-made histories for
 * the rules, and a simulated run whose results.json carries the figures and the trials.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun } from '../../src/cli/run-output.js';
import type { ResolvedFault } from '../../src/faults/schedule.js';
import type { Operation } from '../../src/history/operation.js';
import { cutOffFromMajority, failoverFigures, failoverTrials } from '../../src/run/failover.js';
import { resolveRunOptions } from '../../src/run/options.js';
import { SILENT } from '../../src/run/progress.js';
import { runOnce } from '../../src/run/run-once.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';

/** A history built op by op, times in ms. */
function history(): { ops: Operation[]; at: (ms: number) => History } {
  const ops: Operation[] = [];
  const at = (ms: number): History => ({
    invoke: (process, f, value = { name: 't', partitions: 1 }) => { ops.push({ index: ops.length, type: 'invoke', process, f, value, timeNs: ms * 1e6 }); },
    ok: (process, f, value = { created: true }) => { ops.push({ index: ops.length, type: 'ok', process, f, value, timeNs: ms * 1e6 }); },
    info: (process, f) => { ops.push({ index: ops.length, type: 'info', process, f, value: null, timeNs: ms * 1e6 }); },
    nemesis: (f, id) => { ops.push({ index: ops.length, type: 'info', process: 'nemesis', f, value: { id }, timeNs: ms * 1e6 }); },
  });
  return { ops, at };
}
interface History {
  invoke(process: number, f: string, value?: unknown): void;
  ok(process: number, f: string, value?: unknown): void;
  info(process: number, f: string): void;
  nemesis(f: string, id: number): void;
}

function fault(id: number, action: ResolvedFault['action'], nodes: number[], leaderId: number | null, grudge?: Record<string, number[]>): ResolvedFault {
  return { id, action, nodes, leaderId, startedAtMs: 0, endedAtMs: null, note: null, ...(grudge === undefined ? {} : { grudge }) };
}

const VOTERS = [1, 2, 3];

describe('failover trials', () => {
  it('a kill of the leader: from the kill to the first write invoked after it and acknowledged while it held', () => {
    const { ops, at } = history();
    at(900).invoke(0, 'create-topic');        // invoked before the fault: not counted
    at(1000).nemesis('start-kill', 0);
    at(1100).invoke(1, 'create-topic');
    at(1200).ok(0, 'create-topic');
    at(1300).invoke(2, 'describe-topic');
    at(1400).ok(2, 'describe-topic', { name: 't', partitions: 1 }); // a read: not a write
    at(1500).ok(1, 'create-topic', { error: 'TOPIC_ALREADY_EXISTS' }); // an answer, but nothing written
    at(1600).invoke(1, 'delete-topic', { name: 't' });
    at(2750).ok(1, 'delete-topic', { deleted: true });
    at(4000).nemesis('stop-kill', 0);
    const trials = failoverTrials(ops, [fault(0, { kind: 'kill', target: 'leader' }, [2], 2)], VOTERS);
    expect(trials).toEqual([{ faultId: 0, kind: 'kill', leader: 2, atMs: 1000, endedAtMs: 4000, failoverMs: 1750 }]);
    expect(failoverFigures(trials)).toEqual({ failoverMs: 1750, failoverMsMax: 1750, failoverTrials: 1, failoversObserved: 1 });
  });

  it('a fault that misses the leader is no trial; one whose write comes only after it ends has no failover', () => {
    const { ops, at } = history();
    at(0).nemesis('start-pause', 0);
    at(10).nemesis('start-stop', 1);
    at(20).invoke(0, 'create-topic');
    at(2000).nemesis('stop-pause', 0);
    at(2000).nemesis('stop-stop', 1);
    at(2100).ok(0, 'create-topic');
    const trials = failoverTrials(ops, [
      fault(0, { kind: 'pause', target: 'not-leader' }, [3], 1),
      fault(1, { kind: 'stop', target: 'leader' }, [1], 1),
    ], VOTERS);
    expect(trials).toEqual([{ faultId: 1, kind: 'stop', leader: 1, atMs: 10, endedAtMs: 2000, failoverMs: null }]);
    expect(failoverFigures(trials)).toEqual({ failoverMs: null, failoverMsMax: null, failoverTrials: 1, failoversObserved: 0 });
  });

  it('a partition is a trial when the leader keeps two-way links with less than a majority', () => {
    expect(cutOffFromMajority(1, { 1: [2, 3], 2: [1], 3: [1] }, VOTERS)).toBe(true);   // isolated
    expect(cutOffFromMajority(1, { 3: [1, 2], 1: [3], 2: [3] }, VOTERS)).toBe(false);  // keeps 2
    expect(cutOffFromMajority(1, { 2: [1], 3: [1] }, VOTERS)).toBe(true);              // one way: nobody hears it
    expect(cutOffFromMajority(1, {}, [1, 2, 3, 4, 5])).toBe(false);
    expect(cutOffFromMajority(1, { 1: [4, 5], 4: [1], 5: [1], 2: [1] }, [1, 2, 3, 4, 5])).toBe(true); // only 3 left with it
    const { ops, at } = history();
    at(0).nemesis('start-partition', 0);
    at(5).invoke(0, 'alter-config', { name: 't', configs: {} });
    at(600).ok(0, 'alter-config', { altered: true });
    at(1000).nemesis('stop-partition', 0);
    const isolated = fault(0, { kind: 'partition', shape: 'isolate-leader' }, [1, 2, 3], 2, { 2: [1, 3], 1: [2], 3: [2] });
    expect(failoverTrials(ops, [isolated], VOTERS).map((trial) => trial.failoverMs)).toEqual([600]);
    const minorityCut = fault(0, { kind: 'partition', shape: 'isolate-one' }, [1, 2, 3], 2, { 3: [1, 2], 1: [3], 2: [3] });
    expect(failoverTrials(ops, [minorityCut], VOTERS)).toEqual([]);
  });

  it('a fault whose mechanism failed (no start in the history) and one with no leader known are no trials', () => {
    const { ops, at } = history();
    at(0).nemesis('fail-kill', 0);
    expect(failoverTrials(ops, [fault(0, { kind: 'kill', target: 'leader' }, [1], 1), fault(1, { kind: 'kill', target: 'leader' }, [1], null)], VOTERS)).toEqual([]);
  });
});

describe('a simulated run records its failovers in results.json', () => {
  let root: string;
  beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'quorumcheck-failover-')); });
  afterAll(async () => { await rm(root, { recursive: true, force: true }); });

  it('leader kills and isolations on 3 nodes: trials, figures, and each failover within its fault', async () => {
    const options = resolveRunOptions({
      env: 'sim', nodes: 3, roles: 'combined', nemesis: ['partition', 'kill'], partitionShapes: ['isolate-leader'],
      timeLimitMs: 60_000, concurrency: 4, rate: 100, conditions: [], name: 'failover',
    }, 5150);
    const report = await runOnce({ options, makeWorld: simWorldMaker(), sink: SILENT, runsRoot: root, writeDirectory: 'always', linkLatest: false });
    expect(report.verdict).toBe('valid');
    const results = report.results!;
    const trials = results.failovers!;
    expect(trials.length).toBeGreaterThan(0);
    expect(results.figures.failoverTrials).toBe(trials.length);
    const seen = trials.filter((trial) => trial.failoverMs !== null);
    expect(seen.length).toBeGreaterThan(0);
    expect(results.figures.failoversObserved).toBe(seen.length);
    for (const trial of seen) {
      expect(trial.failoverMs!).toBeGreaterThan(0);
      if (trial.endedAtMs !== null) expect(trial.atMs + trial.failoverMs!).toBeLessThanOrEqual(trial.endedAtMs + 1);
    }
    expect(results.figures.failoverMs).toBeGreaterThan(0);
    expect(results.figures.failoverMsMax).toBe(Math.max(...seen.map((trial) => trial.failoverMs!)));
    // Not the recovery time: that is measured after the last heal.
    expect(results.figures.recoveryMs).not.toBeNull();
    expect(describeRun(report)).toContain(`  failover: median ${results.figures.failoverMs} ms, slowest ${results.figures.failoverMsMax} ms ` +
      `(${seen.length} of ${trials.length} faults that took the leader)\n`);
  });
});
