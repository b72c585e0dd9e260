/**
 * A sweep keeps every seed that is not valid in full and the valid ones only as a verdict byte,
 * and sweep.json lists valid seeds as ranges: a million seeds must not cost hundreds of MB. The
 * ranges must still say exactly which seeds ran and which were valid, a shard's too (every n-th
 * seed), and the readers (the run index and the sweep page) must read both this and the older
 * sweep.json that listed every seed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeSweep } from '../../src/cli/run-output.js';
import { sweepSeedSpan, type SweepResults } from '../../src/history/run-directory-format.js';
import { SILENT } from '../../src/run/progress.js';
import { runSweep, shardSeeds, type SeedOutcome } from '../../src/run/sweep.js';
import { SweepTally } from '../../src/run/sweep-tally.js';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

function outcome(seed: number, verdict: SeedOutcome['verdict']): SeedOutcome {
  return {
    seed, verdict, reasons: verdict === 'valid' ? [] : [`linearizability: seed ${seed}`], runDirectory: verdict === 'valid' ? null : `seed-${seed}`,
    rerun: `npx quorumcheck run --env sim --seed ${seed}`, setup: '3 nodes', wallMs: 1, simulatedMs: 1_000, operations: 10, notJudged: [],
  };
}

describe('SweepTally', () => {
  it('keeps the seeds not valid in full, counts the valid ones, and gives both as ranges of the sweep\'s step', () => {
    // Shard 2 of 3 of 30 seeds from 100: 101, 104, ..., 128.
    const seeds = shardSeeds(100, 30, { index: 2, count: 3 });
    const tally = new SweepTally(seeds, 3);
    // Out of order, as workers finish; the last two seeds never ran (a time box).
    for (const seed of [...seeds.slice(0, 8)].reverse()) tally.record(outcome(seed, seed === 110 ? 'invalid' : seed === 119 ? 'unknown' : 'valid'));
    expect(tally.counts).toEqual({ valid: 6, invalid: 1, unknown: 1 });
    expect(tally.notValidInOrder().map((entry) => [entry.seed, entry.verdict, entry.rerun])).toEqual([
      [110, 'invalid', 'npx quorumcheck run --env sim --seed 110'], [119, 'unknown', 'npx quorumcheck run --env sim --seed 119'],
    ]);
    expect(tally.ranRanges()).toEqual([[101, 122]]);
    expect(tally.validRanges()).toEqual([[101, 107], [113, 116], [122, 122]]);
    expect(tally.simulatedMs).toBe(8_000);
    expect(tally.operations).toBe(80);
  });

  it('counts, for each rule, the seeds that gave it nothing to judge, valid seeds included', () => {
    const tally = new SweepTally([1, 2, 3], 1);
    tally.record({ ...outcome(1, 'valid'), notJudged: ['CheckQuorum', 'LeaderNeverLoadSnapshot'] });
    tally.record({ ...outcome(2, 'invalid'), notJudged: ['CheckQuorum'] });
    tally.record(outcome(3, 'valid'));
    expect(tally.notJudgedSeeds).toEqual({ CheckQuorum: 2, LeaderNeverLoadSnapshot: 1 });
  });

  it('refuses seeds out of order, a seed not in the sweep, and a seed recorded twice', () => {
    expect(() => new SweepTally([3, 2], 1)).toThrow("a sweep's seeds must ascend: 2 follows 3");
    const tally = new SweepTally([1, 2, 3], 1);
    expect(() => tally.record(outcome(4, 'valid'))).toThrow('seed 4 is not one of this sweep\'s');
    tally.record(outcome(2, 'valid'));
    expect(() => tally.record(outcome(2, 'valid'))).toThrow('seed 2 was recorded twice');
  });
});

describe('sweep.json', () => {
  it('lists the seeds not valid in full and the valid ones as ranges (a real sweep with a bug switch on)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sweep-tally-'));
    roots.push(root);
    // pre-vote-off in the selftest's scenario: seeds 5 and 8 of these are caught, the others not.
    const input = {
      env: 'sim' as const, nodes: 5, roles: 'combined' as const, nemesis: ['partition' as const], conditions: [], concurrency: 3, rate: 50, timeLimitMs: 20_000,
      nodeConfig: { 'unsafe.bug.switches.enable': 'true', 'unsafe.bug.switches': 'pre-vote-off' },
    };
    const report = await runSweep({ input, seeds: shardSeeds(1, 8, null), jobs: 1, runsRoot: root, name: 'tally', shard: null, command: 'test', sink: SILENT });
    const written = JSON.parse(await readFile(join(report.directory, 'sweep.json'), 'utf8')) as SweepResults;
    const notValid = written.results.map((entry) => entry.seed);
    expect(notValid.length, 'the sweep needs seeds of both kinds').toBeGreaterThan(0);
    expect(written.counts.valid, 'the sweep needs seeds of both kinds').toBeGreaterThan(0);
    expect(written).toMatchObject({ seedCount: 8, seedStep: 1, seedRanges: [[1, 8]] });
    expect(written.results.every((entry) => entry.verdict !== 'valid' && entry.reasons.length > 0 && entry.runDirectory === `seed-${entry.seed}`)).toBe(true);
    // Every seed is either in a valid range or listed, never both.
    const inValidRanges = written.validSeedRanges.flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, index) => first + index));
    expect([...inValidRanges, ...notValid].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(written.validSeedRanges.length, 'a seed not valid splits the valid ranges').toBeGreaterThan(1);
    expect(inValidRanges.length).toBe(written.counts.valid);
    expect(report.notValid.map((entry) => entry.seed)).toEqual(notValid);
    // No membership faults: no seed changed the voters, so none judged AtMostOneUncommittedVoterSet, and the summary says so.
    expect(written.notJudgedSeeds?.['AtMostOneUncommittedVoterSet']).toBe(8);
    expect(describeSweep(report, 1)).toMatch(/^ {2}not judged \(nothing to judge, never counted valid\), in seeds: .*AtMostOneUncommittedVoterSet 8/m);
  });

  it('its readers take the seeds from the ranges, or from an older file\'s list of every seed', () => {
    expect(sweepSeedSpan({ seedCount: 1_000_000, seedStep: 1, seedRanges: [[7, 1_000_006]] })).toEqual({ count: 1_000_000, first: 7 });
    expect(sweepSeedSpan({ seeds: [4241, 4242] })).toEqual({ count: 2, first: 4241 });
    expect(sweepSeedSpan({})).toEqual({ count: 0, first: null });
  });
});
