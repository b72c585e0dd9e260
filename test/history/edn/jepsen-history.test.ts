import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJepsenHistory, parseJepsenHistory, SYNTHETIC_STEP_NS } from '../../../src/history/edn/jepsen-history.js';
import { HistoryFormatError } from '../../../src/history/history-format-error.js';
import type { Operation } from '../../../src/history/operation.js';

function formatError(parse: () => unknown): HistoryFormatError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryFormatError);
    return error as HistoryFormatError;
  }
  throw new Error('expected a HistoryFormatError, got none');
}

describe('importing Jepsen/Knossos EDN histories', () => {
  it('turns keywords into strings and :nemesis into "nemesis", keeping values', () => {
    const ops = parseJepsenHistory(`[{:process :nemesis, :type :info, :f :start, :value nil}
      {:process 0, :type :invoke, :f :txn, :value [[:read :x nil] [:write :y 2]]}
      {:process 0, :type :ok, :f :txn, :value [[:read :x 0] [:write :y 2]]}]`);
    expect(ops.map((op) => [op.index, op.type, op.process, op.f])).toEqual([[0, 'info', 'nemesis', 'start'], [1, 'invoke', 0, 'txn'], [2, 'ok', 0, 'txn']]);
    expect(ops[2]!.value).toEqual([['read', 'x', 0], ['write', 'y', 2]]);
  });

  it('uses :time when every entry has one and it never decreases', () => {
    const ops = parseJepsenHistory('[{:process 0 :type :invoke :f :read :time 100} {:process 0 :type :ok :f :read :value 1 :time 250}]');
    expect(ops.map((op) => op.timeNs)).toEqual([100, 250]);
  });

  it('synthesizes times from positions when :time is missing or goes backwards (Knossos orders by position)', () => {
    const backwards = parseJepsenHistory('[{:process 0 :type :invoke :f :read :time 900} {:process 0 :type :ok :f :read :time 800}]');
    expect(backwards.map((op) => op.timeNs)).toEqual([0, SYNTHETIC_STEP_NS]);
    const partial = parseJepsenHistory('[{:process 0 :type :invoke :f :read :time 5} {:process 0 :type :ok :f :read}]');
    expect(partial.map((op) => op.timeNs)).toEqual([0, SYNTHETIC_STEP_NS]);
  });

  it('numbers entries by position, ignoring :index', () => {
    const ops = parseJepsenHistory('[{:index 7 :process 0 :type :invoke :f :read} {:index 9 :process 0 :type :ok :f :read}]');
    expect(ops.map((op) => op.index)).toEqual([0, 1]);
  });

  it('keeps :error as text and :node', () => {
    const [, failed] = parseJepsenHistory('[{:process 1 :type :invoke :f :release :node "n1"} {:process 1 :type :fail :f :release :error :not-held}]');
    expect(failed!.error).toBe('not-held');
    const [, info] = parseJepsenHistory('[{:process 1 :type :invoke :f :read} {:process 1 :type :info :f :read :error [:timeout 5]}]');
    expect(info!.error).toBe('[:timeout 5]');
    expect(parseJepsenHistory('[{:process 1 :type :invoke :f :read :node "n1"}]')[0]!.node).toBe('n1');
  });

  it('reads newer Jepsen files: one tagged op per line, no enclosing vector', () => {
    const ops = parseJepsenHistory('#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 0, :f :read, :value nil}\n' +
      '#jepsen.history.Op{:index 1, :time 9, :type :ok, :process 0, :f :read, :value 2}\n');
    expect(ops.map((op) => [op.type, op.value, op.timeNs])).toEqual([['invoke', null, 5], ['ok', 2, 9]]);
  });

  it.each([
    ['an entry that is not a map', '[{:process 0 :type :invoke :f :read}\n [1 2]]', 'not-an-operation', 2],
    ['a missing :type', '[{:process 0 :f :read}]', 'missing-field', 1],
    ['a bad :type', '[{:process 0 :type :return :f :read}]', 'bad-type', 1],
    ['a missing :process', '[{:type :invoke :f :read}]', 'missing-field', 1],
    ['a process that is a word', '[{:process :client :type :invoke :f :read}]', 'bad-field', 1],
    ['a missing :f', '[{:process 0 :type :invoke}]', 'missing-field', 1],
    ['an ok without an invoke', '[{:process 0 :type :invoke :f :read}\n\n {:process 1 :type :ok :f :read}]', 'completion-without-invoke', 3],
    ['two open invocations', '[{:process 0 :type :invoke :f :read}\n {:process 0 :type :invoke :f :read}]', 'double-invoke', 2],
  ])('rejects %s, naming the EDN line', (_name, text, code, line) => {
    const error = formatError(() => parseJepsenHistory(text));
    expect([error.code, error.line]).toEqual([code, line]);
  });
});

describe('exporting to Jepsen EDN', () => {
  it('writes one op map per line with keyword types and functions', () => {
    const text = formatJepsenHistory([
      { index: 0, type: 'invoke', process: 0, f: 'cas', value: [1, 2], timeNs: 10 },
      { index: 1, type: 'info', process: 'nemesis', f: 'start-partition', value: { 'majority': ['n1'] }, timeNs: 11, error: 'why' },
    ]);
    expect(text).toBe('[{:index 0, :type :invoke, :process 0, :f :cas, :value [1 2], :time 10}\n' +
      ' {:index 1, :type :info, :process :nemesis, :f :start-partition, :value {:majority ["n1"]}, :time 11, :error "why"}]\n');
  });

  it('round-trips any valid history: import(export(h)) equals h', () => {
    const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
    fc.assert(fc.property(historyArbitrary(), (history) => {
      expect(parseJepsenHistory(formatJepsenHistory(history))).toEqual(history);
    }), { seed, numRuns: 200, verbose: true, reporter: (details) => {
      if (details.failed) throw new Error(`round trip failed; reproduce with FC_SEED=${seed}\n${fc.defaultReportMessage(details)}`);
    } });
  });
});

/** JSON values as histories carry them (no undefined, no -0, finite numbers). */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null), fc.boolean(), fc.integer({ min: -1e9, max: 1e9 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
    fc.string({ unit: 'grapheme' }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom('key', 'a-b', 'x?', 'with space', '1', 'nil'), fc.string()), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Valid histories: each process invokes, then completes (or not), in a random interleaving. */
function historyArbitrary(): fc.Arbitrary<Operation[]> {
  const event = fc.record({
    process: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant('nemesis' as const)),
    f: fc.constantFrom('read', 'write', 'cas', 'create-topic', 'odd name'),
    completion: fc.constantFrom('ok', 'fail', 'info', 'none'),
    value: jsonValue,
    result: jsonValue,
    gapNs: fc.integer({ min: 0, max: 1000 }),
    node: fc.option(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom('n1', 'n2')), { nil: undefined }),
    error: fc.option(fc.string(), { nil: undefined }),
  });
  return fc.array(event, { maxLength: 30 }).map((events) => {
    const ops: Operation[] = [];
    const open = new Map<number, Operation>();
    let timeNs = 0;
    const push = (op: Omit<Operation, 'index' | 'timeNs'>, gapNs: number): void => {
      timeNs += gapNs;
      ops.push({ index: ops.length, ...op, timeNs });
    };
    for (const e of events) {
      const extra = { ...(e.node === undefined ? {} : { node: e.node }), ...(e.error === undefined ? {} : { error: e.error }) };
      if (e.process === 'nemesis') {
        push({ type: 'info', process: 'nemesis', f: e.f, value: e.value, ...extra }, e.gapNs);
        continue;
      }
      const invoke = open.get(e.process);
      if (invoke === undefined) {
        push({ type: 'invoke', process: e.process, f: e.f, value: e.value }, e.gapNs);
        open.set(e.process, ops[ops.length - 1]!);
      } else if (e.completion !== 'none') {
        push({ type: e.completion, process: e.process, f: invoke.f, value: e.result, ...extra }, e.gapNs);
        open.delete(e.process);
      }
    }
    return ops;
  });
}
