import { describe, expect, it } from 'vitest';
import { readEdn, readEdnEntries } from '../../../src/history/edn/edn-reader.js';
import { keyword, symbol } from '../../../src/history/edn/edn-value.js';
import { HistoryFormatError } from '../../../src/history/history-format-error.js';

describe('the EDN reader', () => {
  it.each([
    ['nil', null],
    ['true', true],
    ['false', false],
    ['42', 42],
    ['-7', -7],
    ['+3', 3],
    ['12N', 12],
    ['1.5', 1.5],
    ['-2.5e3', -2500],
    ['1e2', 100],
    ['3.25M', 3.25],
    ['"a \\"quoted\\" \\\\ line\\n\\ttab \\u00e9"', 'a "quoted" \\ line\n\ttab é'],
    ['\\a', 'a'],
    ['\\newline', '\n'],
    ['\\space', ' '],
    ['\\u0041', 'A'],
  ])('reads the scalar %s', (text, value) => {
    expect(readEdn(text)).toEqual(value);
  });

  it('interns keywords and symbols, namespaces included', () => {
    expect(readEdn(':read')).toBe(keyword('read'));
    expect(readEdn(':jepsen.history/op')).toBe(keyword('jepsen.history/op'));
    expect(readEdn('model/cas-register')).toBe(symbol('model/cas-register'));
    expect(readEdn('-')).toBe(symbol('-'));
  });

  it('reads vectors and lists as arrays, maps as Maps, sets as Sets', () => {
    expect(readEdn('[1 [2 3] (4 5)]')).toEqual([1, [2, 3], [4, 5]]);
    const map = readEdn('{:process 4, :type :invoke, "k" nil, 1 [2]}') as Map<unknown, unknown>;
    expect(map.get(keyword('process'))).toBe(4);
    expect(map.get(keyword('type'))).toBe(keyword('invoke'));
    expect(map.get('k')).toBeNull();
    expect(map.get(1)).toEqual([2]);
    expect(readEdn('#{1 2 3}')).toEqual(new Set([1, 2, 3]));
  });

  it('treats commas as whitespace and skips comments and #_ discarded forms', () => {
    expect(readEdn('[1,2,,3 ; a comment [4]\n #_ 99 #_[5 6] 7]')).toEqual([1, 2, 3, 7]);
  });

  it('drops the tag of a tagged literal and keeps its value', () => {
    expect(readEdn('#inst "2020-01-01T00:00:00Z"')).toBe('2020-01-01T00:00:00Z');
    const op = readEdn('#jepsen.history.Op{:index 0, :type :ok}') as Map<unknown, unknown>;
    expect(op.get(keyword('index'))).toBe(0);
  });

  it('gives the elements of a top-level collection with their lines', () => {
    const entries = readEdnEntries('; header\n[{:a 1}\n {:a 2}\n\n {:a\n 3}]\n');
    expect(entries.map((entry) => entry.line)).toEqual([2, 3, 5]);
  });

  it('gives every top-level form when the file is one form per line', () => {
    const entries = readEdnEntries('{:a 1}\n{:a 2}\n');
    expect(entries.map((entry) => entry.line)).toEqual([1, 2]);
  });

  it.each([
    ['[1 2', /'\]' missing for the collection opened on line 1/],
    ['(1 2]', /unmatched '\]'|'\)' missing/],
    ['{:a}', /a map needs an even number of forms/],
    ['"open', /string not closed/],
    ['"\\q"', /unknown escape "\\q"/],
    ['12abc', /bad number 12abc/],
    ['99999999999999999999', /beyond 2\^53/],
    ['\\nope', /unknown character \\nope/],
    [':', /a colon with no keyword name/],
    ['1 2', /unexpected text after the form/],
    ['', /no EDN form/],
    ['#_', /#_ with no form to discard/],
  ])('rejects %j with a bad-edn error', (text, message) => {
    let caught: unknown;
    try {
      readEdn(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HistoryFormatError);
    expect((caught as HistoryFormatError).code).toBe('bad-edn');
    expect((caught as HistoryFormatError).message).toMatch(message);
  });

  it('names the line of a malformed form', () => {
    let caught: HistoryFormatError | undefined;
    try {
      readEdnEntries('[{:a 1}\n {:a 2}\n {:a "x\\z"}]');
    } catch (error) {
      caught = error as HistoryFormatError;
    }
    expect(caught?.line).toBe(3);
  });
});
