/**
 * Run options: the simulator draws what was not given from the seed, Docker takes defaults, and
 * the rerun line a run directory records parses back to the very same options.
 */
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../src/cli/commands/run.js';
import { inputFromRecorded, rerunCommand, resolveRunOptions, DOCKER_DEFAULTS } from '../../src/run/options.js';
import { systemFlags } from '../../src/run/run-directory.js';
import { parseShard, shardSeeds } from '../../src/run/sweep.js';

describe('run options', () => {
  it('the simulator draws unspecified options from the seed; Docker takes its defaults', () => {
    const drawn = resolveRunOptions({ env: 'sim' }, 12);
    expect(resolveRunOptions({ env: 'sim' }, 12)).toEqual(drawn);
    const sizes = new Set(Array.from({ length: 40 }, (_, seed) => resolveRunOptions({ env: 'sim' }, seed).nodes));
    expect([...sizes].sort()).toEqual([3, 5]);
    expect(resolveRunOptions({ env: 'sim', nodes: 7 }, 12).nodes).toBe(7);
    expect(resolveRunOptions({ env: 'docker' }, 12)).toMatchObject({
      nodes: DOCKER_DEFAULTS.nodes, roles: 'combined', nemesis: DOCKER_DEFAULTS.nemesis, timeLimitMs: 60_000, conditions: null,
    });
  });

  it('the rerun line parses back to the same options, and so does results.json\'s copy', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const options = resolveRunOptions({ env: 'sim', nodeConfig: { 'metadata.read.consistency': 'cached' }, conditions: ['loss'] }, seed);
      const line = rerunCommand(options);
      const parsed = parseRunArgs(line.replace(/^npx quorumcheck run /, '').split(' '));
      expect(parsed).not.toBe('help');
      const command = parsed as Exclude<typeof parsed, 'help'>;
      expect(resolveRunOptions(command.input, command.seed!)).toEqual(options);
      expect(resolveRunOptions(inputFromRecorded(JSON.parse(JSON.stringify(options))), seed)).toEqual(options);
    }
  });

  it('a run of a chosen system gives a rerun line that chooses it again', () => {
    const choice = { name: 'kafka-kraft', version: '4.3', readMode: 'any-broker' };
    const options = resolveRunOptions({ env: 'docker' }, 9);
    const line = `${rerunCommand(options)}${systemFlags(choice)}`;
    const parsed = parseRunArgs(line.replace(/^npx quorumcheck run /, '').split(' '));
    expect(parsed).not.toBe('help');
    const command = parsed as Exclude<typeof parsed, 'help'>;
    expect(command.systemChoice).toEqual(choice);
    expect(resolveRunOptions(command.input, command.seed!)).toEqual(options);
    expect(systemFlags(null)).toBe('');
    expect(systemFlags({ name: 'kafka-zk' })).toBe(' --system kafka-zk');
  });

  it('bad options are refused by name', () => {
    expect(() => resolveRunOptions({ env: 'sim', nodes: 12 }, 1)).toThrow('--nodes must be an integer in [1, 9], got 12');
    expect(() => resolveRunOptions({ env: 'docker', nodes: 4 }, 1)).toThrow('--nodes must be 3, 5, 7 with --env docker, got 4');
    expect(resolveRunOptions({ env: 'docker', nodes: 7 }, 1).nodes).toBe(7);
    expect(resolveRunOptions({ env: 'sim', nodes: 4 }, 1).nodes).toBe(4);
    expect(() => resolveRunOptions({ env: 'sim', nodes: 3, partitionShapes: ['ping-pong'] }, 1)).toThrow('needs exactly 5 nodes, got 3');
    expect(() => resolveRunOptions({ env: 'docker', conditions: ['loss'] }, 1)).toThrow('--conditions applies to the simulator only');
    expect(() => resolveRunOptions({ env: 'sim', name: '../x' }, 1)).toThrow("--name '../x' must be letters");
    expect(() => inputFromRecorded({ nodes: 'three' })).toThrow("results.json's options.nodes is not valid");
  });

  it('shards interleave the seeds, and together cover them once', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow('--shard wants i/n with 1 <= i <= n');
    expect(shardSeeds(100, 10, { index: 2, count: 4 })).toEqual([101, 105, 109]);
    const all = [1, 2, 3, 4].flatMap((index) => shardSeeds(100, 10, { index, count: 4 })).sort((a, b) => a - b);
    expect(all).toEqual(shardSeeds(100, 10, null));
  });
});
