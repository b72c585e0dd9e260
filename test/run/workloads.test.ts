/**
 * A run's workload is its system's: the topics workload (with or without reads) or the register
 * workload, each with its model, its recovery probe and its write functions; the options keep the
 * choice and the system, and a rerun line gives them back.
 */
import { describe, expect, it } from 'vitest';
import { chooseRunSystem, parseRunArgs } from '../../src/cli/commands/run.js';
import { isReadFunction } from '../../src/history/kafka-completion.js';
import { rerunCommand, resolveRunOptions } from '../../src/run/options.js';
import { systemFlags } from '../../src/run/run-directory.js';
import { RegisterWorkload } from '../../src/run/register-workload.js';
import { operationSource, planWorkload, TOPICS_WORKLOAD, writeFunctions } from '../../src/run/workloads.js';
import { SeededRandom } from '../../src/sim/random.js';
import { mulberry32 } from '../support/mulberry32.js';

describe('the register workload', () => {
  it('writes unique values, keeps each worker on one key, and expects in a cas what the worker last saw', () => {
    const workload = new RegisterWorkload(mulberry32(7), { keys: 3, workersPerKeyGroup: 3 });
    expect([0, 1, 2, 3, 8, 9].map((worker) => workload.keyOf(worker))).toEqual(['k0', 'k0', 'k0', 'k1', 'k2', 'k0']);
    const written = new Set<unknown>();
    for (let step = 0; step < 2_000; step += 1) {
      const worker = step % 9;
      const invocation = workload.next(worker);
      expect(invocation.value[0]).toBe(workload.keyOf(worker));
      if (invocation.f === 'write') written.add(invocation.value[1]);
      if (invocation.f === 'cas') written.add((invocation.value[1] as unknown[])[1]);
    }
    const writes = [...written];
    expect(new Set(writes).size).toBe(writes.length);
    expect(writes.length).toBeGreaterThan(1_000);

    const casWorkload = new RegisterWorkload(() => 0.99, { keys: 1 });
    casWorkload.observe(0, { f: 'read', value: ['k0', null] }, { type: 'ok', value: ['k0', 41] });
    expect(casWorkload.next(0)).toEqual({ f: 'cas', value: ['k0', [41, 1]] });
    casWorkload.observe(0, { f: 'cas', value: ['k0', [41, 1]] }, { type: 'ok', value: ['k0', [41, 1]] });
    expect(casWorkload.next(0)).toEqual({ f: 'cas', value: ['k0', [1, 2]] });
    // A draw given with the call wins over the workload's own source: 0 is a read.
    expect(casWorkload.next(0, () => 0)).toEqual({ f: 'read', value: ['k0', null] });
  });
});

describe("a run's workload", () => {
  it('topics without reads draws only writes, and the same names and write weights as with reads', () => {
    const withReads = planWorkload(TOPICS_WORKLOAD, SeededRandom.fromSeed(5));
    const writesOnly = planWorkload({ ...TOPICS_WORKLOAD, reads: false }, SeededRandom.fromSeed(5));
    if (withReads.kind !== 'topics' || writesOnly.kind !== 'topics') throw new Error('expected topic workloads');
    expect(writesOnly.topicNames).toEqual(withReads.topicNames);
    for (const [f, weight] of Object.entries(writesOnly.weights)) expect(weight).toBe(isReadFunction(f) ? 0 : withReads.weights[f as keyof typeof withReads.weights]);
    const source = operationSource(writesOnly, 3);
    const random = SeededRandom.fromSeed(9);
    const drawn = new Set(Array.from({ length: 2_000 }, () => source.next(0, random).f));
    expect([...drawn].filter((f) => isReadFunction(f))).toEqual([]);
    expect([...drawn].every((f) => writeFunctions('topics').has(f))).toBe(true);
    expect(drawn.size).toBe(4);
    expect(source.probe(2)).toEqual({ f: 'create-topic', value: { name: 'recovery-2', partitions: 1 } });
    expect(source.acknowledges({ type: 'ok', value: { created: true } })).toBe(true);
    expect(source.acknowledges({ type: 'ok', value: { error: 'TOPIC_ALREADY_EXISTS' } })).toBe(false);
  });

  it('the register workload puts one key on as many consecutive slots as there are servers, and probes with fresh writes', () => {
    const planned = planWorkload({ kind: 'register', model: 'etcd-keyed', reads: true }, SeededRandom.fromSeed(5));
    expect(planned).toMatchObject({ kind: 'register', keys: 3 });
    const source = operationSource(planned, 3);
    const random = SeededRandom.fromSeed(1);
    const keys = [0, 1, 2, 3, 5, 6, 9].map((slot) => (source.next(slot, random).value as [string, unknown])[0]);
    expect(keys).toEqual(['k0', 'k0', 'k0', 'k1', 'k1', 'k2', 'k0']);
    const functions = new Set(Array.from({ length: 300 }, () => source.next(0, random).f));
    expect([...functions].sort()).toEqual(['cas', 'read', 'write']);
    const first = source.probe(1);
    const second = source.probe(2);
    expect(first.f).toBe('write');
    expect((first.value as unknown[])[0]).toBe('k0');
    expect((first.value as unknown[])[1]).not.toEqual((second.value as unknown[])[1]);
    expect(source.acknowledges({ type: 'ok', value: ['k0', 1] })).toBe(true);
    expect(source.acknowledges({ type: 'info', error: 'timeout' })).toBe(false);
    expect([...writeFunctions('register')].sort()).toEqual(['cas', 'write']);
  });

  it('the simulator refuses the register workload by name; an unknown workload is named', () => {
    expect(() => resolveRunOptions({ env: 'sim', workload: { kind: 'register', model: 'etcd-keyed', reads: true } }, 1))
      .toThrow("the simulator's clients speak topic operations only");
    expect(() => resolveRunOptions({ env: 'docker', workload: { kind: 'queue' as 'topics', model: 'x', reads: true } }, 1)).toThrow("unknown workload 'queue'");
    expect(resolveRunOptions({ env: 'sim' }, 1).workload).toEqual(TOPICS_WORKLOAD);
  });

  it.each([
    ['etcd', 'serializable', { kind: 'register', model: 'etcd-keyed', reads: true }],
    ['etcd', undefined, { kind: 'register', model: 'etcd-keyed', reads: true }],
    ['kafka-kraft', 'none', { kind: 'topics', model: 'topics', reads: false }],
    ['quorumd', 'none', { kind: 'topics', model: 'topics', reads: false }],
  ] as const)('--system %s --read-mode %s: the workload follows, and the rerun line gives the same options', async (name, readMode, workload) => {
    const args = ['--env', 'docker', '--seed', '7', '--system', name, ...(readMode === undefined ? [] : ['--read-mode', readMode]), '--nemesis', 'partition'];
    const first = parseRunArgs(args);
    if (first === 'help') throw new Error('help');
    const chosen = await chooseRunSystem(first.systemChoice!, first.input);
    expect(chosen.workload).toMatchObject(workload);
    expect(chosen.workload.promise.subject).toBe(`${name} with ${readMode === 'none' ? 'no' : readMode ?? 'linearizable'} reads`);
    const options = resolveRunOptions(first.input, 7);
    expect(options.workload).toEqual(chosen.workload);
    // The rerun line as results.json writes it: the options, then the system's flags.
    const line = `${rerunCommand(options)}${systemFlags(first.systemChoice)}`;
    expect(line).toContain(`--system ${name}`);
    const again = parseRunArgs(line.replace(/^npx quorumcheck run /, '').split(' '));
    if (again === 'help') throw new Error('help');
    await chooseRunSystem(again.systemChoice!, again.input);
    expect(resolveRunOptions(again.input, again.seed!)).toEqual(options);
  });
});
