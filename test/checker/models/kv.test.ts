import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCallsSync } from '../../../src/checker/check.js';
import { ILLEGAL, type Call, type Model } from '../../../src/checker/model.js';
import { kvModel, kvNoPartitionModel } from '../../../src/checker/models/kv.js';
import { pairCalls } from '../../../src/history/calls.js';
import { parsePorcupineKvLog } from '../../../src/history/porcupine/kv-log.js';
import { call, unknownCall } from './call-builder.js';

const get = (key: string, text: string | null) => call('get', [key, null], [key, text]);
const put = (key: string, text: string) => call('put', [key, text], [key, text]);
const append = (key: string, text: string) => call('append', [key, text], [key, text]);

function runAll<S>(model: Model<S>, calls: Call[]): S | typeof ILLEGAL {
  let state = model.init();
  for (const c of calls) {
    const next = model.step(state, c);
    if (next === ILLEGAL) return ILLEGAL;
    state = next;
  }
  return state;
}

describe.each([
  ['kv', kvModel() as Model<unknown>],
  ['kv-no-partition', kvNoPartitionModel() as Model<unknown>],
])('the %s model (Porcupine)', (_name, model) => {
  it('starts every key at "", and a nil answer reads as ""', () => {
    expect(runAll(model, [get('a', '')])).not.toBe(ILLEGAL);
    expect(runAll(model, [get('a', null)])).not.toBe(ILLEGAL);
    expect(runAll(model, [get('a', 'x')])).toBe(ILLEGAL);
  });

  it('puts, appends, and a get must return the whole text', () => {
    expect(runAll(model, [put('a', 'x'), append('a', 'yz'), get('a', 'xyz')])).not.toBe(ILLEGAL);
    expect(runAll(model, [put('a', 'x'), append('a', 'yz'), get('a', 'xy')])).toBe(ILLEGAL);
    expect(runAll(model, [put('a', 'x'), put('a', 'q'), get('a', 'q')])).not.toBe(ILLEGAL);
  });

  it('lets a get of unknown outcome pass and applies an append of unknown outcome', () => {
    expect(runAll(model, [unknownCall('get', ['a', null]), unknownCall('append', ['a', 'k']), get('a', 'k')])).not.toBe(ILLEGAL);
    // Once the append is taken as applied, a get without its text is wrong.
    expect(runAll(model, [unknownCall('append', ['a', 'k']), get('a', '')])).toBe(ILLEGAL);
  });

  it('gives equal hashes to equal texts reached differently (appends extend the hash)', () => {
    const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 6 }), (pieces) => {
      const byAppends = runAll(model, pieces.map((piece) => append('k', piece)));
      const byPut = runAll(model, [put('k', pieces.join(''))]);
      expect(model.equal(byAppends, byPut)).toBe(true);
      expect(model.hash(byAppends)).toBe(model.hash(byPut));
    }), { seed, numRuns: 200, reporter: (details) => {
      if (details.failed) throw new Error(`reproduce with FC_SEED=${seed}\n${fc.defaultReportMessage(details)}`);
    } });
  });

  it('explains a wrong get in words', () => {
    const state = runAll(model, [put('k', 'ab')]);
    expect(model.explainIllegal!(state, get('k', 'a'))).toBe('can\'t get "a" from key k: it holds "ab"');
    expect(model.describeCall(get('k', 'a'))).toBe('get k → "a"');
    expect(model.describeCall(append('k', 'a'))).toBe('append k "a"');
  });

  it('rejects a call without a [key, text] value, loudly', () => {
    expect(() => model.step(model.init(), call('get', 'k', 'v'))).toThrow(/needs \[key, text\] as its value, got "k"/);
  });
});

describe('kv partitions', () => {
  it('kv splits calls by key, in the order given; kv-no-partition does not split', () => {
    const calls = [put('a', '1'), put('b', '2'), get('a', '1')];
    expect([...kvModel().partition!(calls)].map(([key, part]) => [key, part.length])).toEqual([['a', 2], ['b', 1]]);
    expect(kvNoPartitionModel().partition).toBeUndefined();
    expect(kvNoPartitionModel().keysOf(calls[1]!)).toEqual(['b']);
  });

  it('kv refuses calls on two keys in one part rather than judging them wrongly', () => {
    expect(() => runAll(kvModel() as Model<unknown>, [put('a', '1'), put('b', '2')])).toThrow(/one key per part/);
  });

  it('kv-no-partition: interleavings that keep each key\'s order reach equal states with equal hashes', () => {
    const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
    const write = fc.record({ f: fc.constantFrom('put', 'append'), key: fc.constantFrom('a', 'b', 'c'), text: fc.string({ maxLength: 3 }) });
    fc.assert(fc.property(fc.array(write, { maxLength: 12 }), (writes) => {
      const model = kvNoPartitionModel();
      const calls = writes.map((w) => call(w.f, [w.key, w.text], [w.key, w.text]));
      const byKey = [...calls].sort((x, y) => String((x.input as string[])[0]).localeCompare(String((y.input as string[])[0])));
      const interleaved = runAll(model, calls);
      const grouped = runAll(model, byKey);
      expect(model.equal(interleaved as never, grouped as never)).toBe(true);
      expect(model.hash(interleaved as never)).toBe(model.hash(grouped as never));
    }), { seed, numRuns: 200, reporter: (details) => {
      if (details.failed) throw new Error(`reproduce with FC_SEED=${seed}\n${fc.defaultReportMessage(details)}`);
    } });
  });

  it('kv-no-partition keeps keys apart in one state', () => {
    const model = kvNoPartitionModel();
    const state = runAll(model, [put('a', '1'), append('b', '2'), append('a', '3')]);
    expect(state).not.toBe(ILLEGAL);
    expect(model.describeState(state as never)).toBe('{a "13", b "2"}');
    expect(runAll(model, [put('a', '1'), append('b', '2'), get('a', '1'), get('b', '2')])).not.toBe(ILLEGAL);
    // A key holding "" is a key never written: equal, whatever the arrays' lengths.
    const emptied = runAll(model, [put('z', 'q'), put('z', '')]);
    expect(model.equal(emptied as never, model.init())).toBe(true);
    expect(model.hash(emptied as never)).toBe(model.hash(model.init()));
  });

  it('both judge a small concurrent history alike: a stale get after a completed put is caught', () => {
    const history = parsePorcupineKvLog([
      '{:process 0, :type :invoke, :f :put, :key "a", :value "1"}',
      '{:process 1, :type :invoke, :f :append, :key "b", :value "x"}',
      '{:process 0, :type :ok, :f :put, :key "a", :value "1"}',
      '{:process 1, :type :ok, :f :append, :key "b", :value "x"}',
      '{:process 2, :type :invoke, :f :get, :key "a", :value nil}',
      '{:process 2, :type :ok, :f :get, :key "a", :value ""}',
    ].join('\n'));
    for (const model of [kvModel(), kvNoPartitionModel()]) {
      expect(checkCallsSync(pairCalls(history), model as Model<unknown>).verdict).toBe('invalid');
      expect(checkCallsSync(pairCalls(history.slice(0, 4)), model as Model<unknown>).verdict).toBe('valid');
    }
  });
});
