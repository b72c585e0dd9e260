import { describe, expect, it } from 'vitest';
import { HistoryFormatError } from '../../src/history/history-format-error.js';
import { formatJsonLines, parseJsonLines } from '../../src/history/jsonl.js';
import type { Operation } from '../../src/history/operation.js';

const history: Operation[] = [
  { index: 0, type: 'invoke', process: 0, f: 'write', value: 1, timeNs: 10 },
  { index: 1, type: 'info', process: 'nemesis', f: 'start-partition', value: { grudge: { 1: [2, 3] } }, timeNs: 15 },
  { index: 2, type: 'invoke', process: 1, f: 'read', value: null, timeNs: 20, node: 'n1' },
  { index: 3, type: 'ok', process: 0, f: 'write', value: 1, timeNs: 30, node: 2 },
  { index: 4, type: 'info', process: 1, f: 'read', value: null, timeNs: 40, error: 'REQUEST_TIMED_OUT' },
];

/** The HistoryFormatError `parse` throws (fails the test if none). */
function formatError(parse: () => unknown): HistoryFormatError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryFormatError);
    return error as HistoryFormatError;
  }
  throw new Error('expected a HistoryFormatError, got none');
}

function lines(...records: unknown[]): string {
  return records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join('\n');
}

const invoke = (index: number, process: number, f = 'read', timeNs = index): Record<string, unknown> =>
  ({ index, type: 'invoke', process, f, value: null, timeNs });
const ok = (index: number, process: number, f = 'read', timeNs = index): Record<string, unknown> =>
  ({ index, type: 'ok', process, f, value: 3, timeNs });

describe('JSON-lines histories', () => {
  it('read back what was written, field for field', () => {
    expect(parseJsonLines(formatJsonLines(history))).toEqual(history);
  });

  it('write the fields in the documented order, one object per line', () => {
    const text = formatJsonLines(history);
    expect(text.split('\n')[0]).toBe('{"index":0,"type":"invoke","process":0,"f":"write","value":1,"timeNs":10}');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(history.length + 1);
  });

  it('skip blank lines but count them in line numbers', () => {
    const text = `\n${lines(invoke(0, 0))}\n\n${lines({ ...ok(1, 0), process: 'x' })}`;
    const error = formatError(() => parseJsonLines(text));
    expect(error.line).toBe(4);
  });

  it('read a missing value as null', () => {
    const [op] = parseJsonLines(lines({ index: 0, type: 'invoke', process: 0, f: 'read', timeNs: 0 }));
    expect(op!.value).toBeNull();
  });

  it('leave invocations open at the end (indeterminate)', () => {
    expect(parseJsonLines(lines(invoke(0, 0), invoke(1, 1)))).toHaveLength(2);
  });

  it('allow nemesis infos without an invocation, and overlapping nemesis invoke/info pairs', () => {
    const nemesis = (index: number, type: string): Record<string, unknown> =>
      ({ index, type, process: 'nemesis', f: 'kill', value: null, timeNs: index });
    expect(parseJsonLines(lines(nemesis(0, 'info'), nemesis(1, 'invoke'), nemesis(2, 'invoke'), nemesis(3, 'info')))).toHaveLength(4);
  });

  describe('reject, naming the line and what is wrong', () => {
    it('a line that is not JSON', () => {
      const error = formatError(() => parseJsonLines(lines(invoke(0, 0), '{"index": 1, "type": ')));
      expect([error.code, error.line]).toEqual(['not-json', 2]);
      expect(error.message).toMatch(/^line 2: not JSON: /);
    });

    it.each([
      ['a JSON value that is not an object', '[1, 2]', 'not-an-operation', /expected an operation object, got \[1,2\]/],
      ['a missing index', JSON.stringify({ type: 'invoke', process: 0, f: 'read', timeNs: 0 }), 'missing-field', /missing field "index"/],
      ['a missing process', JSON.stringify({ index: 0, type: 'invoke', f: 'read', timeNs: 0 }), 'missing-field', /missing field "process"/],
      ['a missing timeNs', JSON.stringify({ index: 0, type: 'invoke', process: 0, f: 'read' }), 'missing-field', /missing field "timeNs"/],
      ['a negative index', JSON.stringify({ ...invoke(0, 0), index: -1 }), 'bad-field', /field "index" must be a non-negative integer; got -1/],
      ['a process that is a word', JSON.stringify({ ...invoke(0, 0), process: 'p1' }), 'bad-field', /field "process" must be an integer or "nemesis"; got "p1"/],
      ['an empty f', JSON.stringify({ ...invoke(0, 0), f: '' }), 'bad-field', /field "f" must be a non-empty string/],
      ['a time that is text', JSON.stringify({ ...invoke(0, 0), timeNs: '5' }), 'bad-field', /field "timeNs" must be a finite number; got "5"/],
      ['an error that is not text', JSON.stringify({ ...invoke(0, 0), error: 5 }), 'bad-field', /field "error" must be a string/],
      ['an unknown type', JSON.stringify({ ...invoke(0, 0), type: 'return' }), 'bad-type', /"type" must be one of invoke, ok, fail, info; got "return"/],
    ])('%s', (_name, text, code, message) => {
      const error = formatError(() => parseJsonLines(text));
      expect(error.code).toBe(code);
      expect(error.line).toBe(1);
      expect(error.message).toMatch(message);
    });

    it('an ok without an open invocation of that process', () => {
      const error = formatError(() => parseJsonLines(lines(invoke(0, 0), ok(1, 1))));
      expect([error.code, error.line]).toEqual(['completion-without-invoke', 2]);
      expect(error.message).toMatch(/ok read of process 1 has no open invocation/);
    });

    it.each(['fail', 'info'])('a %s without an open invocation', (type) => {
      const error = formatError(() => parseJsonLines(lines({ ...ok(0, 4), type })));
      expect([error.code, error.line]).toEqual(['completion-without-invoke', 1]);
    });

    it('a completion after the invocation was already completed', () => {
      const error = formatError(() => parseJsonLines(lines(invoke(0, 0), ok(1, 0), ok(2, 0))));
      expect([error.code, error.line]).toEqual(['completion-without-invoke', 3]);
    });

    it('a process with two open invocations', () => {
      const error = formatError(() => parseJsonLines(lines(invoke(0, 7), invoke(1, 7, 'write'))));
      expect([error.code, error.line]).toEqual(['double-invoke', 2]);
      expect(error.message).toMatch(/process 7 invokes write while its read invoked at index 0 \(line 1\) is still open/);
    });

    it('a completion of another function than the one invoked', () => {
      const error = formatError(() => parseJsonLines(lines(invoke(0, 0, 'read'), ok(1, 0, 'write'))));
      expect([error.code, error.line]).toEqual(['completion-f-mismatch', 2]);
    });

    it.each([
      ['a gap', [invoke(0, 0), ok(2, 0)], /index 2 where 1 was expected/],
      ['a repeat', [invoke(0, 0), ok(0, 0)], /index 0 where 1 was expected/],
      ['a start at 1', [invoke(1, 0)], /index 1 where 0 was expected/],
    ])('a non-dense index (%s)', (_name, records, message) => {
      const error = formatError(() => parseJsonLines(lines(...records)));
      expect(error.code).toBe('non-dense-index');
      expect(error.message).toMatch(message);
    });

    it('time that goes backwards', () => {
      const error = formatError(() => parseJsonLines(lines(invoke(0, 0, 'read', 50), ok(1, 0, 'read', 49))));
      expect([error.code, error.line]).toEqual(['time-not-monotonic', 2]);
    });

    it('an ok from the nemesis', () => {
      const error = formatError(() => parseJsonLines(lines({ index: 0, type: 'ok', process: 'nemesis', f: 'kill', value: null, timeNs: 0 })));
      expect(error.code).toBe('bad-type');
    });
  });
});
