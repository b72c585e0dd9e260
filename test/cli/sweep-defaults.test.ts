/**
 * The sizes of simulator sweeps (issue 8): without --seeds a sweep is bounded by wall time and
 * runs a prefix of its seeds, so the printed `--seeds N --base-seed B` replays it; --nightly is
 * 100,000 seeds from a fresh base; contradicting flags are refused by name.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NIGHTLY_SEEDS, parseRunArgs, replayLine, UsageError, type RunCommand } from '../../src/cli/commands/run.js';
import { SILENT } from '../../src/run/progress.js';
import { runSweep } from '../../src/run/sweep.js';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('sweep sizes', () => {
  it('no --seeds: a time-boxed sweep; --nightly: 100,000 seeds; contradictions are usage errors', () => {
    const plain = parseRunArgs([]) as RunCommand;
    expect(plain.seeds).toBeNull();
    expect(plain.wallLimitMs).toBeNull();
    expect((parseRunArgs(['--wall-time', '90']) as RunCommand).wallLimitMs).toBe(90_000);
    expect((parseRunArgs(['--nightly']) as RunCommand).seeds).toBe(NIGHTLY_SEEDS);
    expect(NIGHTLY_SEEDS).toBeGreaterThanOrEqual(100_000);
    expect(() => parseRunArgs(['--nightly', '--seeds', '5'])).toThrow(/--nightly sweeps a set number of seeds/);
    expect(() => parseRunArgs(['--seed', '3', '--wall-time', '5'])).toThrow(UsageError);
    expect(() => parseRunArgs(['--wall-time', '0'])).toThrow(/--wall-time must be more than 0 seconds/);
    expect(() => parseRunArgs(['--env', 'docker', '--nightly'])).toThrow(/sweep the simulator/);
  });

  it('the replay line swaps the time box (or --nightly) for the count and base that ran', () => {
    expect(replayLine('npx quorumcheck run --nemesis kill --wall-time 60 --jobs 2', 812, 77)).toBe('npx quorumcheck run --nemesis kill --jobs 2 --seeds 812 --base-seed 77');
    expect(replayLine('npx quorumcheck run --nightly --base-seed 5', 100_000, 5)).toBe('npx quorumcheck run --seeds 100000 --base-seed 5');
  });

  it('a time-boxed sweep runs a prefix of its seeds and sweep.json lists exactly those', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sweep-defaults-'));
    roots.push(root);
    const seeds = Array.from({ length: 1_000 }, (_, index) => 9_100 + index);
    const report = await runSweep({
      input: { env: 'sim', nemesis: [], conditions: [], timeLimitMs: 1_000 }, seeds, wallLimitMs: 1, jobs: 1, runsRoot: root, name: 'boxed',
      shard: null, command: 'test', sink: SILENT,
    });
    // 1 ms: the deadline passes before the first seed ends; the first always runs, no other starts.
    expect(report.sweep.seedCount).toBe(1);
    const written = JSON.parse(await readFile(join(report.directory, 'sweep.json'), 'utf8')) as { seedRanges: number[][] };
    expect(written.seedRanges).toEqual([[9_100, 9_100]]);
    const all = await runSweep({
      input: { env: 'sim', nemesis: [], conditions: [], timeLimitMs: 1_000 }, seeds: seeds.slice(0, 3), jobs: 1, runsRoot: root, name: 'all',
      shard: null, command: 'test', sink: SILENT,
    });
    expect(all.sweep.seedRanges).toEqual([[9_100, 9_102]]);
    expect(all.sweep.validSeedRanges).toEqual([[9_100, 9_102]]);
  });
});
