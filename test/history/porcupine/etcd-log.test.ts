import { describe, expect, it } from 'vitest';
import { pairCalls } from '../../../src/history/calls.js';
import { HistoryFormatError } from '../../../src/history/history-format-error.js';
import { parsePorcupineEtcdLog } from '../../../src/history/porcupine/etcd-log.js';

const line = (process: number, type: string, f: string, value: string): string => `INFO  jepsen.util - ${process}\t:${type}\t:${f}\t${value}`;

describe("importing Porcupine's Jepsen etcd logs", () => {
  it('reads reads, writes and cas with their values', () => {
    const ops = parsePorcupineEtcdLog([
      line(0, 'invoke', 'read', 'nil'), line(0, 'ok', 'read', 'nil'),
      line(1, 'invoke', 'write', '4'), line(1, 'ok', 'write', '4'),
      line(2, 'invoke', 'cas', '[4 0]'), line(2, 'ok', 'cas', '[4 0]'),
      line(0, 'invoke', 'read', 'nil'), line(0, 'ok', 'read', '0'),
    ].join('\n'));
    expect(ops.map((op) => [op.type, op.process, op.f, op.value])).toEqual([
      ['invoke', 0, 'read', null], ['ok', 0, 'read', null],
      ['invoke', 1, 'write', 4], ['ok', 1, 'write', 4],
      ['invoke', 2, 'cas', [4, 0]], ['ok', 2, 'cas', [4, 0]],
      ['invoke', 0, 'read', null], ['ok', 0, 'read', 0],
    ]);
    expect(ops.map((op) => op.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('turns a :fail :cas into an ok saying the compare failed, so the model checks it', () => {
    const ops = parsePorcupineEtcdLog([line(3, 'invoke', 'cas', '[1 2]'), line(3, 'fail', 'cas', '[1 2]')].join('\n'));
    expect(ops[1]).toMatchObject({ type: 'ok', value: false });
    expect(pairCalls(ops)[0]).toMatchObject({ input: [1, 2], output: false, outputKnown: true });
  });

  it('makes a timed-out write or cas indeterminate and drops a timed-out read', () => {
    const ops = parsePorcupineEtcdLog([
      line(4, 'invoke', 'write', '1'), line(4, 'info', 'write', ':timed-out'),
      line(5, 'invoke', 'read', 'nil'), line(5, 'fail', 'read', ':timed-out'),
      line(6, 'invoke', 'cas', '[0 1]'),
    ].join('\n'));
    expect(ops.map((op) => op.type)).toEqual(['invoke', 'info', 'invoke', 'fail', 'invoke']);
    const calls = pairCalls(ops);
    expect(calls.map((call) => [call.f, call.outputKnown, call.completeTimeNs])).toEqual([['write', false, Infinity], ['cas', false, Infinity]]);
  });

  it('accepts runs of spaces instead of tabs (etcd_100..102)', () => {
    const ops = parsePorcupineEtcdLog('INFO  jepsen.util - 1   :invoke :write  3\nINFO  jepsen.util - 1   :ok     :write  3\n');
    expect(ops.map((op) => op.value)).toEqual([3, 3]);
  });

  it('reads an empty file as an empty history', () => {
    expect(parsePorcupineEtcdLog('')).toEqual([]);
  });

  it.each([
    ['a line of another shape', 'WARN something else', /not a Jepsen etcd log line/],
    ['a value of another shape', line(0, 'invoke', 'write', '"x"'), /is not nil, an integer or \[old new\]/],
    ['an ok without an invoke', line(0, 'ok', 'read', '1'), /has no open invocation/],
  ])('rejects %s, naming its line', (_name, text, message) => {
    let caught: HistoryFormatError | undefined;
    try {
      parsePorcupineEtcdLog(`${line(9, 'invoke', 'read', 'nil')}\n${text}`);
    } catch (error) {
      caught = error as HistoryFormatError;
    }
    expect(caught).toBeInstanceOf(HistoryFormatError);
    expect(caught!.line).toBe(2);
    expect(caught!.message).toMatch(message);
  });
});
