import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJepsenHistory } from '../../src/history/edn/jepsen-history.js';
import { HistoryFormatError } from '../../src/history/history-format-error.js';
import { formatJsonLines } from '../../src/history/jsonl.js';
import { detectHistoryKind, loadHistory, suggestModelName } from '../../src/history/load.js';
import type { Operation } from '../../src/history/operation.js';

const directory = mkdtempSync(join(tmpdir(), 'load-history-'));
const ops: Operation[] = [
  { index: 0, type: 'invoke', process: 0, f: 'write', value: 1, timeNs: 0 },
  { index: 1, type: 'ok', process: 0, f: 'write', value: 1, timeNs: 5 },
];
const etcdLine = 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\n';
const kvLine = '{:process 0, :type :invoke, :f :get, :key "1", :value nil}\n';

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe('loading a history file', () => {
  it.each([
    ['history.jsonl', formatJsonLines(ops), 'jsonl', 'jsonl'],
    ['history.edn', formatJepsenHistory(ops), 'jepsen-edn', 'edn'],
    ['etcd_001.log', etcdLine, 'porcupine-etcd', 'porcupine'],
    ['c01-ok.txt', kvLine, 'porcupine-kv', 'porcupine'],
    ['no-extension', formatJsonLines(ops), 'jsonl', 'jsonl'],
    ['knossos.txt', `; a comment\n${formatJepsenHistory(ops)}`, 'jepsen-edn', 'edn'],
    ['etcd.txt', `\n${etcdLine}`, 'porcupine-etcd', 'porcupine'],
  ])('tells %s apart by its name or content', async (name, text, kind, format) => {
    const loaded = await loadHistory(file(name, text));
    expect([loaded.kind, loaded.format]).toEqual([kind, format]);
    expect(loaded.operations.length).toBeGreaterThan(0);
  });

  it('ignores a byte-order mark and CRLF line ends', async () => {
    const text = `\ufeff${formatJsonLines(ops).replaceAll('\n', '\r\n')}`;
    expect((await loadHistory(file('bom.jsonl', text))).operations).toEqual(ops);
    const edn = `\ufeff${formatJepsenHistory(ops).replaceAll('\n', '\r\n')}`;
    expect((await loadHistory(file('bom.edn', edn))).operations).toEqual(ops);
  });

  it('follows the format it is given over the name', async () => {
    const loaded = await loadHistory(file('kv.log', kvLine), 'porcupine');
    expect(loaded.kind).toBe('porcupine-kv');
    expect(detectHistoryKind('x.jsonl', etcdLine, 'porcupine')).toBe('porcupine-etcd');
  });

  it('names the file and line of a malformed history', async () => {
    const path = file('broken.jsonl', `${formatJsonLines(ops)}{"index": 2,`);
    await expect(loadHistory(path)).rejects.toThrow(new RegExp(`^${path}: line 3: not JSON`));
  });

  it('says so when the file cannot be read', async () => {
    const error = await loadHistory(join(directory, 'missing.jsonl')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryFormatError);
    expect((error as HistoryFormatError).code).toBe('unreadable');
    expect((error as HistoryFormatError).message).toMatch(/missing\.jsonl: cannot read the history/);
  });

  it('says so when the format cannot be told, or is unknown', async () => {
    await expect(loadHistory(file('what.txt', 'hello\n'))).rejects.toThrow(/cannot tell the history format .* give it as one of jsonl, edn, porcupine/);
    await expect(loadHistory(file('h.jsonl', ''), 'csv' as never)).rejects.toThrow(/unknown history format "csv"; known: jsonl, edn, porcupine/);
  });

  it('suggests a model from the functions a history calls', () => {
    const calling = (...fs: string[]): Operation[] => fs.map((f, index) => ({ index, type: 'invoke', process: index, f, value: null, timeNs: index }));
    expect(suggestModelName('jepsen-edn', calling('read', 'cas'))).toBe('cas-register');
    expect(suggestModelName('jepsen-edn', calling('acquire', 'release'))).toBe('mutex');
    expect(suggestModelName('jepsen-edn', calling('txn'))).toBe('multi-register');
    expect(suggestModelName('jsonl', calling('get', 'append'))).toBe('kv');
    expect(suggestModelName('jsonl', calling('create-topic', 'list-topics'))).toBe('topics');
    expect(suggestModelName('porcupine-etcd', [])).toBe('etcd');
    expect(suggestModelName('porcupine-kv', [])).toBe('kv');
  });
});
