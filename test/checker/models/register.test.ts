import { describe, expect, it } from 'vitest';
import { checkCallsSync } from '../../../src/checker/check.js';
import { pairCalls } from '../../../src/history/calls.js';
import { parsePorcupineEtcdLog } from '../../../src/history/porcupine/etcd-log.js';
import { ILLEGAL, type Model } from '../../../src/checker/model.js';
import { casRegisterModel, etcdKeyedModel, etcdModel, registerModel } from '../../../src/checker/models/register.js';
import { call, unknownCall } from './call-builder.js';

/** Steps a model through calls from its initial state; the states after each, ILLEGAL ending it. */
function run(model: Model<unknown>, ...calls: ReturnType<typeof call>[]): unknown[] {
  const states: unknown[] = [];
  let state = model.init();
  for (const c of calls) {
    const next = model.step(state, c);
    states.push(next);
    if (next === ILLEGAL) break;
    state = next;
  }
  return states;
}

describe('the cas-register model (Knossos)', () => {
  const model = casRegisterModel({ initial: 0 });

  it('starts at its initial value, nil by default', () => {
    expect(model.init()).toBe(0);
    expect(casRegisterModel().init()).toBeNull();
  });

  it('reads the current value; a read of another value is illegal', () => {
    expect(run(model, call('read', null, 0))).toEqual([0]);
    expect(run(model, call('read', null, 3))).toEqual([ILLEGAL]);
  });

  it('treats a read of nil as a wildcard', () => {
    expect(run(model, call('write', 5, 5), call('read', null, null))).toEqual([5, 5]);
    // A value that is not nil still has to be the register's.
    expect(run(model, call('write', 5, 5), call('read', null, 4))).toEqual([5, ILLEGAL]);
  });

  it('writes, and a cas applies only from its expected value', () => {
    expect(run(model, call('write', 2, 2), call('cas', [2, 7], [2, 7]), call('read', null, 7))).toEqual([2, 7, 7]);
    expect(run(model, call('cas', [1, 7], [1, 7]))).toEqual([ILLEGAL]);
  });

  it('checks a cas answered "compare failed": legal only when the register does not hold the expected value', () => {
    expect(run(model, call('cas', [1, 7], false))).toEqual([0]);
    expect(run(model, call('cas', [0, 7], false))).toEqual([ILLEGAL]);
  });

  it('applies a call of unknown outcome as if it succeeded; a read of unknown outcome constrains nothing', () => {
    expect(run(model, unknownCall('write', 4), unknownCall('read', null), unknownCall('cas', [4, 1]))).toEqual([4, 4, 1]);
    expect(run(model, unknownCall('cas', [9, 1]))).toEqual([ILLEGAL]);
  });

  it('compares values structurally', () => {
    const structured = casRegisterModel({ initial: { a: [1, 2] } });
    expect(run(structured, call('read', null, { a: [1, 2] }), call('cas', [{ a: [1, 2] }, 'x'], true))).toEqual([{ a: [1, 2] }, 'x']);
    expect(run(structured, call('read', null, { a: [2, 1] }))).toEqual([ILLEGAL]);
  });

  it('explains an illegal call in words', () => {
    expect(model.explainIllegal!(0, call('read', null, 3))).toBe("can't read 3 from register 0");
    expect(model.explainIllegal!(0, call('cas', [1, 2], [1, 2]))).toBe("can't cas 1→2: register is 0");
    expect(model.explainIllegal!(1, call('cas', [1, 2], false))).toBe('cas 1→2 answered "compare failed", but register is 1');
  });

  it('describes calls and states for reports', () => {
    expect(model.describeCall(call('read', null, 3))).toBe('read 3');
    expect(model.describeCall(unknownCall('read', null))).toBe('read (unknown)');
    expect(model.describeCall(call('write', 'a', 'a'))).toBe('write "a"');
    expect(model.describeCall(call('cas', [1, 2], false))).toBe('cas 1→2 (compare failed)');
    expect(model.describeState(null)).toBe('register nil');
  });

  it('rejects a function it does not know and a malformed cas, loudly', () => {
    expect(() => model.step(0, call('increment', 1, 1))).toThrow(/the cas-register model has no function "increment"/);
    expect(() => model.step(0, call('cas', 5, 5))).toThrow(/needs \[expected, new\] as its value, got 5/);
  });

  it('hashes integers to themselves and agrees with equality', () => {
    expect(model.hash(42)).toBe(42);
    expect(model.hash({ b: 1, a: [2] })).toBe(model.hash({ a: [2], b: 1 }));
    expect(model.equal({ b: 1, a: [2] }, { a: [2], b: 1 })).toBe(true);
    expect(model.equal([1, 2], [2, 1])).toBe(false);
  });
});

describe('the register model (Knossos, no cas)', () => {
  it('reads and writes with the nil wildcard, and has no cas', () => {
    const model = registerModel();
    expect(run(model, call('read', null, null), call('write', 1, 1), call('read', null, 1), call('read', null, 2))).toEqual([null, 1, 1, ILLEGAL]);
    expect(() => model.step(null, call('cas', [null, 1], true))).toThrow(/the register model has no function "cas"/);
  });
});

describe('the etcd model (Porcupine)', () => {
  const model = etcdModel();

  it('starts empty, and a read of nil means empty rather than anything', () => {
    expect(run(model, call('read', null, null))).toEqual([null]);
    expect(run(model, call('write', 3, 3), call('read', null, null))).toEqual([3, ILLEGAL]);
    expect(model.explainIllegal!(3, call('read', null, null))).toBe("can't read nil from register 3");
  });

  it('checks failed cas and applies successful ones', () => {
    expect(run(model, call('write', 3, 3), call('cas', [2, 4], false), call('cas', [3, 4], [3, 4]), call('read', null, 4))).toEqual([3, 3, 4, 4]);
    expect(run(model, call('write', 3, 3), call('cas', [3, 4], false))).toEqual([3, ILLEGAL]);
  });

  it('judges an imported etcd log: a failed cas that contradicts the register is caught', () => {
    const log = (casLine: string): string => [
      'INFO  jepsen.util - 0\t:invoke\t:write\t1', 'INFO  jepsen.util - 0\t:ok\t:write\t1',
      `INFO  jepsen.util - 1\t:invoke\t:cas\t${casLine}`, `INFO  jepsen.util - 1\t:fail\t:cas\t${casLine}`,
    ].join('\n');
    // The register certainly holds 1 when the cas runs, so "compare failed" for [1 2] is a lie,
    // and for [0 2] the truth.
    expect(checkCallsSync(pairCalls(parsePorcupineEtcdLog(log('[1 2]'))), model).verdict).toBe('invalid');
    expect(checkCallsSync(pairCalls(parsePorcupineEtcdLog(log('[0 2]'))), model).verdict).toBe('valid');
  });
});

describe('the etcd-keyed model (etcd per key, [key, value] pairs)', () => {
  const model = etcdKeyedModel();

  it('steps on the values inside the pairs, with etcd rules', () => {
    expect(run(model,
      call('read', ['k', null], ['k', null]), call('write', ['k', 3], ['k', 3]), call('cas', ['k', [2, 4]], ['k', false]),
      call('cas', ['k', [3, 4]], ['k', [3, 4]]), call('read', ['k', null], ['k', 4]), call('read', ['k', null], ['k', 3]),
    )).toEqual([null, 3, 3, 4, 4, ILLEGAL]);
  });

  it('splits the history by key, so each key is its own register', () => {
    const calls = [call('write', ['a', 1], ['a', 1]), call('write', ['b', 2], ['b', 2]), call('read', ['a', null], ['a', 1])];
    expect([...model.partition!(calls)].map(([key, part]) => [key, part.length])).toEqual([['a', 2], ['b', 1]]);
    expect(checkCallsSync(calls, model).verdict).toBe('valid');
    const crossed = [call('write', ['a', 1], ['a', 1]), call('read', ['b', null], ['b', 1])];
    expect(checkCallsSync(crossed, model).verdict).toBe('invalid');
  });

  it('names the key in descriptions and explanations', () => {
    expect(model.describeCall(call('cas', ['k', [1, 2]], ['k', false]))).toBe('"k": cas 1→2 (compare failed)');
    expect(model.describeCall(unknownCall('write', ['k', 5]))).toBe('"k": write 5 (unknown)');
    expect(model.explainIllegal!(3, call('read', ['k', null], ['k', 4]))).toBe('can\'t read 4 from register "k" 3');
  });

  it('refuses a call that is not a [key, value] pair, or answered for another key, with a clear error', () => {
    expect(() => model.partition!([call('write', 3, 3)])).toThrow(/etcd-keyed model needs \[key, value\] as each call's value: write of process 0 .* has 3/);
    expect(() => model.partition!([call('read', ['a', null], ['b', 1])])).toThrow(/invoked on key a but answered for key b/);
  });
});
