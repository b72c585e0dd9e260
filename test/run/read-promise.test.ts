/**
 * What each system promises of its reads, and the verdict's word on an invalid history: where the
 * reads are not linearizable, the history is checked again without them, and it is expected if
 * the writes alone are linearizable, a bug if not; where they are, any anomaly is a bug. --reads
 * is --read-mode's other name.
 */
import { describe, expect, it } from 'vitest';
import { chooseRunSystem, parseRunArgs, UsageError } from '../../src/cli/commands/run.js';
import { readPromise } from '../../src/harness/systems/read-promise.js';
import type { Operation } from '../../src/history/operation.js';
import { checkLinearizability } from '../../src/run/checks/linearizability.js';
import { promiseNote } from '../../src/run/judge.js';
import { resolveRunOptions } from '../../src/run/options.js';

async function optionsOf(args: string[]) {
  const command = parseRunArgs(['--env', 'docker', '--seed', '1', ...args]);
  if (command === 'help') throw new Error('help');
  await chooseRunSystem(command.systemChoice!, command.input);
  return { options: resolveRunOptions(command.input, 1), choice: command.systemChoice };
}

/** Calls one after another on key k0, each completed before the next is invoked. */
function sequential(calls: [f: string, invoked: unknown, answered: unknown][]): Operation[] {
  return calls.flatMap(([f, invoked, answered], call) => [
    { index: 2 * call, type: 'invoke' as const, process: call, f, value: ['k0', invoked], timeNs: 2 * call },
    { index: 2 * call + 1, type: 'ok' as const, process: call, f, value: ['k0', answered], timeNs: 2 * call + 1 },
  ]);
}

/** A read of 1 after 2 replaced it: the reads break linearizability, the writes alone do not. */
const staleRead = sequential([['write', 1, 1], ['write', 2, 2], ['read', null, 1]]);
/** A cas that found 1 not there, with nothing but 1 ever written: the writes alone are not linearizable. */
const lostWrite = sequential([['write', 1, 1], ['cas', [1, 3], false], ['read', null, 1]]);

describe('read promises', () => {
  it("--reads is --read-mode under the issue's name; both at once must agree", async () => {
    expect((await optionsOf(['--system', 'kafka-zk', '--reads', 'none'])).choice).toMatchObject({ name: 'kafka-zk', readMode: 'none' });
    expect((await optionsOf(['--system', 'etcd', '--reads', 'serializable', '--read-mode', 'serializable'])).options.workload.promise?.subject)
      .toBe('etcd with serializable reads');
    expect(() => parseRunArgs(['--env', 'docker', '--system', 'etcd', '--reads', 'serializable', '--read-mode', 'linearizable'])).toThrow(UsageError);
  });

  it('names what each system and mode promises, and refuses one it does not know', () => {
    expect(readPromise('etcd', 'serializable')).toMatchObject({ linearizableReads: false, expected: expect.stringContaining('stale reads') });
    expect(readPromise('kafka-kraft', 'any-broker').linearizableReads).toBe(false);
    expect(readPromise('quorumd', 'controller').linearizableReads).toBe(true);
    expect(readPromise('kafka-zk', 'none').expected).toContain('no reads');
    expect(() => readPromise('kafka-zk', 'controller')).toThrow("no read promise is known for kafka-zk with read mode 'controller'");
  });

  it('an anomaly of the reads alone is expected where they are not linearizable; one of the writes is a bug', async () => {
    const { options: serializable } = await optionsOf(['--system', 'etcd', '--read-mode', 'serializable']);
    const stale = checkLinearizability(staleRead, 'etcd-keyed', 10_000);
    expect(stale.verdict).toBe('invalid');
    expect(promiseNote(staleRead, serializable, stale)).toMatch(/^expected of etcd with serializable reads, not a bug: stale reads.*; without the reads the 2 calls are linearizable$/);
    const lost = checkLinearizability(lostWrite, 'etcd-keyed', 10_000);
    expect(lost.verdict).toBe('invalid');
    expect(promiseNote(lostWrite, serializable, lost)).toMatch(/^a bug by what etcd with serializable reads promises .*: without the reads the history is still not linearizable on 1 of 1 keys/);

    const { options: linearizable } = await optionsOf(['--system', 'etcd']);
    expect(promiseNote(staleRead, linearizable, stale)).toBe('a bug by what etcd with linearizable reads promises (any history that is not linearizable)');
    expect(promiseNote(staleRead, linearizable, { ...stale, verdict: 'valid' })).toBeNull();
    // Without --system (the simulator, quorumd's default runs) nothing is said.
    expect(promiseNote(staleRead, resolveRunOptions({ env: 'sim' }, 1), stale)).toBeNull();
  });
});
