/**
 * `quorumcheck run`, `reproduce` and `sim` in this process (the simulator, real files in a temp
 * directory): a seed's full run directory, exact reproduction, a sweep's summary, and bad input
 * answered with exit code 3 and a message naming what is wrong.
 */
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main as runMain } from '../../src/cli/commands/run.js';
import { main as reproduceMain } from '../../src/cli/commands/reproduce.js';
import { main as simMain, parseSimArgs } from '../../src/cli/commands/sim.js';
import { parseFaultSchedule } from '../../src/faults/schedule.js';
import { readRunDirectory } from '../../src/history/run-directory-format.js';
import { captureOutput } from '../support/capture-output.js';

let root: string;
beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'quorumcheck-cli-')); });
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe('quorumcheck run --env sim --seed N', () => {
  it('writes the full run directory, points runs/latest at it, and reproduce replays it byte for byte', async () => {
    const output = captureOutput();
    const code = await runMain(['--seed', '42', '--nodes', '3', '--nemesis', 'partition,kill,clock', '--time-limit', '5', '--runs-dir', root, '--name', 'cli']);
    expect(code, output.stderr()).toBe(0);
    const directory = /run directory: (\S+)/.exec(output.stdout())?.[1];
    expect(output.stdout()).toMatch(/^seed 42: valid \(sim; 3 nodes \w+; nemesis partition,kill,clock; /);
    expect(output.stderr()).toContain('] faults: 5 s');
    expect(directory).toBeDefined();
    expect(await readlink(join(root, 'latest'))).toBe(directory!.slice(root.length + 1));
    const recorded = await readRunDirectory(directory!);
    expect(recorded.missing).toEqual([]);
    expect(recorded.results?.verdict).toBe('valid');
    expect(recorded.results?.rerun).toMatch(/^npx quorumcheck run --env sim --seed 42 --nodes 3 /);
    expect(recorded.results?.checks.map((check) => check.name)).toEqual(expect.arrayContaining([
      'linearizability', 'SingleLeader', 'MonotonicEpoch', 'MonotonicHighWatermark', 'ConsistentCommittedData', 'NoAcknowledgedWriteLost', 'availability-after-heal',
    ]));
    expect(recorded.results?.figures.recoveryMs).toBeGreaterThan(0);
    const schedule = parseFaultSchedule(recorded.schedule);
    expect(schedule.entries.length).toBeGreaterThan(0);
    expect((recorded.schedule as { resolved: unknown[] }).resolved).toHaveLength(schedule.entries.length);
    expect([...recorded.nodeEvents.keys()]).toEqual([1, 2, 3]);
    expect([...recorded.nodeLogs.keys()]).toEqual([1, 2, 3]);
    expect(recorded.history?.some((op) => op.process === 'nemesis' && op.f === 'start-partition')).toBe(true);

    const again = captureOutput();
    expect(await reproduceMain([directory!, '--runs-dir', root, '--quiet'])).toBe(0);
    expect(again.stdout()).toContain(`reproduces: ${directory}`);
    expect(again.stdout()).toMatch(/history identical to the recorded run \(\d+ operations, byte for byte\)/);
    const copy = /run directory: (\S+)/.exec(again.stdout())![1]!;
    expect(await readFile(join(copy, 'nodes/2.events.jsonl'), 'utf8')).toBe(await readFile(join(directory!, 'nodes/2.events.jsonl'), 'utf8'));
  });

  it('a sweep writes sweep.json and prints a summary; a shard runs its slice only', async () => {
    const output = captureOutput();
    const code = await runMain(['--seeds', '4', '--base-seed', '70', '--shard', '2/2', '--jobs', '1', '--time-limit', '2', '--runs-dir', root]);
    expect(code, output.stderr()).toBe(0);
    expect(output.stderr()).toContain('running 2 seeds from base seed 70 (shard 2/2 of 4)');
    expect(output.stdout()).toContain('2 seeds from base seed 70 (shard 2/2): 2 valid, 0 invalid, 0 unknown');
    const directory = /sweep directory: (\S+)/.exec(output.stdout())![1]!;
    const sweep = JSON.parse(await readFile(join(directory, 'sweep.json'), 'utf8')) as Record<string, unknown>;
    // A shard's seeds are every 2nd: one range, step 2.
    expect(sweep).toMatchObject({ seedCount: 2, seedStep: 2, seedRanges: [[71, 73]], validSeedRanges: [[71, 73]], results: [], shard: '2/2', verdict: 'valid' });
  });
});

describe('bad input exits 3 and names what is wrong', () => {
  it.each([
    [['--nemesis', 'partition,teleport'], "unknown nemesis 'teleport'"],
    [['--seed', '1', '--nodes', '3', '--partition-shapes', 'ping-pong'], 'ping-pong is KIP-996\'s 5-node topology; it needs exactly 5 nodes, got 3'],
    [['--seed', '1', '--node-config', 'log.flush.interval.ms=5'], "node config key 'log.flush.interval.ms' is not one the simulator applies"],
    [['--seed', '1', '--node-config', 'metadata.read.consistency=eventual'], 'metadata.read.consistency must be linearizable or cached'],
    [['--seed', '1', '--seeds', '2'], '--seed runs one seed'],
    [['--shard', '3/2'], '--shard wants i/n with 1 <= i <= n'],
    [['--env', 'moon'], "--env must be sim or docker, got 'moon'"],
    [['--env', 'docker', '--conditions', 'loss'], '--conditions applies to the simulator only'],
    [['--env', 'docker', '--seed', '1', '--nodes', '4'], '--nodes must be 3, 5, 7 with --env docker, got 4'],
    [['--env', 'docker', '--seed', '1', '--system', 'kafka-kraft', '--nemesis', 'partition,membership'], '--nemesis membership: voter changes (KIP-853) are set up for quorumd only, not kafka-kraft'],
    [['--env', 'docker', '--seed', '1', '--nodes', '5', '--partition-shapes', 'ping-pong', '--roles', 'isolated'], 'needs exactly 5 nodes, got 8'],
    [['--roles', 'both'], "--roles must be combined or isolated, got 'both'"],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('run %j', async (args, message) => {
    const output = captureOutput();
    expect(await runMain([...args, '--runs-dir', root, '--quiet'])).toBe(3);
    expect(output.stderr()).toContain(message);
  });

  it('reproduce of a Docker run of a chosen system starts that system again: a choice it cannot make is named before anything starts', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const directory = join(root, 'docker-run');
    await mkdir(directory, { recursive: true });
    const results = (systemChoice: Record<string, string>): string => JSON.stringify({
      formatVersion: 1, name: 'docker', env: 'docker', system: 'x', systemVersion: 'x', seed: 7, verdict: 'valid', checks: [],
      command: `npx quorumcheck reproduce ${directory}`, rerun: 'npx quorumcheck run --env docker --seed 7',
      options: { env: 'docker', seed: 7, nodes: 3, roles: 'combined', nemesis: ['kill'], timeLimitMs: 1000 }, systemChoice,
    });
    const output = captureOutput();
    await writeFile(join(directory, 'results.json'), results({ name: 'etcd', readMode: 'none' }));
    expect(await reproduceMain([directory, '--runs-dir', root, '--quiet'])).toBe(3);
    expect(output.stderr()).toContain("etcd reads are linearizable or serializable, got 'none'");
    await writeFile(join(directory, 'results.json'), results({ name: 'kafka-kraft', version: '2.8.0' }));
    expect(await reproduceMain([directory, '--runs-dir', root, '--quiet'])).toBe(3);
    expect(output.stderr()).toContain("kafka-kraft version '2.8.0' is not one quorumcheck knows");
  });

  it('reproduce of a directory without results.json', async () => {
    const output = captureOutput();
    expect(await reproduceMain([root])).toBe(3);
    expect(output.stderr()).toContain('has no readable results.json');
    expect(await reproduceMain([join(root, 'nowhere')])).toBe(3);
    expect(output.stderr()).toContain('cannot read run directory');
  });
});

describe('quorumcheck sim (the older command line)', () => {
  it('maps its flags onto run options', () => {
    const parsed = parseSimArgs(['--seed', '42', '--nodes', '5', '--faults', 'crash,partition,torn-write', '--duration', '2.5']);
    expect(parsed).toMatchObject({ seed: 42, input: { env: 'sim', nodes: 5, nemesis: ['kill', 'partition'], conditions: ['torn-write'], timeLimitMs: 2500 } });
    expect(parseSimArgs(['--seeds', '3', '--faults', 'none'])).toMatchObject({ seeds: 3, input: { nemesis: [], conditions: [] } });
    expect(() => parseSimArgs([])).toThrow('give exactly one of --seed N or --seeds M');
    expect(() => parseSimArgs(['--seed', '1', '--faults', 'fire'])).toThrow("unknown fault kind 'fire'");
    expect(() => parseSimArgs(['--seed', '1', '--observers', '2'])).toThrow('use quorumcheck run --env sim --roles isolated');
  });

  it('replays one seed and exits 0 when it is valid; a usage error exits 3', async () => {
    const output = captureOutput();
    expect(await simMain(['--seed', '9', '--nodes', '3', '--faults', 'none', '--duration', '2', '--run-dir', root])).toBe(0);
    expect(output.stdout()).toMatch(/^seed 9: valid \(sim; 3 nodes \w+; nemesis none; conditions none; /);
    expect(await simMain(['--nodes', '3'])).toBe(3);
    expect(output.stderr()).toContain('usage: quorumcheck sim');
  });
});
