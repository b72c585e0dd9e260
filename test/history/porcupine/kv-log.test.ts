import { describe, expect, it } from 'vitest';
import { HistoryFormatError } from '../../../src/history/history-format-error.js';
import { parsePorcupineKvLog } from '../../../src/history/porcupine/kv-log.js';

describe("importing Porcupine's kv logs", () => {
  it('folds the key into the value as a [key, value] tuple', () => {
    const ops = parsePorcupineKvLog([
      '{:process 0, :type :invoke, :f :get, :key "5", :value nil}',
      '{:process 1, :type :invoke, :f :append, :key "5", :value "x 1 0 y"}',
      '{:process 0, :type :ok, :f :get, :key "5", :value ""}',
      '{:process 1, :type :ok, :f :append, :key "5", :value "x 1 0 y"}',
    ].join('\n'));
    expect(ops.map((op) => [op.type, op.process, op.f, op.value])).toEqual([
      ['invoke', 0, 'get', ['5', null]], ['invoke', 1, 'append', ['5', 'x 1 0 y']],
      ['ok', 0, 'get', ['5', '']], ['ok', 1, 'append', ['5', 'x 1 0 y']],
    ]);
  });

  it('rejects an entry without :key, naming its line', () => {
    let caught: HistoryFormatError | undefined;
    try {
      parsePorcupineKvLog('{:process 0, :type :invoke, :f :get, :key "1", :value nil}\n{:process 1, :type :invoke, :f :get, :value nil}');
    } catch (error) {
      caught = error as HistoryFormatError;
    }
    expect([caught?.code, caught?.line]).toEqual(['missing-field', 2]);
  });
});
