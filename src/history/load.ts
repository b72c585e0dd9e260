/**
 * Loading a history file for the CLI and the benchmarks: reads the file, tells its format from the
 * name or the content when not given, parses and validates it into the one operation format.
 *
 * Formats: `jsonl` (ours), `edn` (Jepsen/Knossos), `porcupine` (Porcupine's test data: Jepsen etcd
 * logs, or kv logs of one EDN map per line with a `:key`). Detection: `.jsonl`/`.ndjson` are JSON
 * lines, `.edn` is EDN, `.log` a Jepsen etcd log; otherwise the first non-blank line decides
 * (`INFO ... jepsen.util` → etcd log; `{"` → JSON lines; an EDN map with `:key` → kv log; `[`, `(`,
 * `{:`, `;`, `#` → EDN).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseJepsenHistory } from './edn/jepsen-history.js';
import { HistoryFormatError } from './history-format-error.js';
import { parseJsonLines } from './jsonl.js';
import type { Operation } from './operation.js';
import { isJepsenEtcdLogLine, parsePorcupineEtcdLog } from './porcupine/etcd-log.js';
import { parsePorcupineKvLog } from './porcupine/kv-log.js';

export const HISTORY_FORMATS = ['jsonl', 'edn', 'porcupine'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

/** The concrete shape that was read, finer than the format. */
export type HistoryKind = 'jsonl' | 'jepsen-edn' | 'porcupine-etcd' | 'porcupine-kv';

export interface LoadedHistory {
  path: string;
  format: HistoryFormat;
  kind: HistoryKind;
  operations: Operation[];
}

export async function loadHistory(path: string, format?: HistoryFormat): Promise<LoadedHistory> {
  if (format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(format)) {
    throw new HistoryFormatError('unreadable', 0, `unknown history format "${String(format)}"; known: ${HISTORY_FORMATS.join(', ')}`, { source: path });
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HistoryFormatError('unreadable', 0, `cannot read the history: ${(error as Error).message}`, { source: path, cause: error });
  }
  // Editors on some systems start UTF-8 files with a byte-order mark; it is not part of any format.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const kind = detectHistoryKind(path, text, format);
  try {
    return { path, format: formatOfKind(kind), kind, operations: parseHistoryText(text, kind) };
  } catch (error) {
    if (error instanceof HistoryFormatError) throw error.inSource(path);
    throw error;
  }
}

export function parseHistoryText(text: string, kind: HistoryKind): Operation[] {
  switch (kind) {
    case 'jsonl':
      return parseJsonLines(text);
    case 'jepsen-edn':
      return parseJepsenHistory(text);
    case 'porcupine-etcd':
      return parsePorcupineEtcdLog(text);
    case 'porcupine-kv':
      return parsePorcupineKvLog(text);
  }
}

function formatOfKind(kind: HistoryKind): HistoryFormat {
  if (kind === 'jsonl') return 'jsonl';
  return kind === 'jepsen-edn' ? 'edn' : 'porcupine';
}

/** Tells the kind of a history from the requested format, the file name and the first line. */
export function detectHistoryKind(path: string, text: string, format?: HistoryFormat): HistoryKind {
  const firstLine = firstNonBlankLine(text);
  if (format === 'jsonl') return 'jsonl';
  if (format === 'edn') return 'jepsen-edn';
  if (format === 'porcupine') return isJepsenEtcdLogLine(firstLine) || firstLine === '' ? 'porcupine-etcd' : 'porcupine-kv';
  const extension = extname(path).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.edn') return 'jepsen-edn';
  if (extension === '.log') return 'porcupine-etcd';
  if (isJepsenEtcdLogLine(firstLine)) return 'porcupine-etcd';
  if (firstLine.startsWith('{"')) return 'jsonl';
  if (firstLine.startsWith('{:') && /:key\b/.test(firstLine)) return 'porcupine-kv';
  if (/^[[({;#]/.test(firstLine)) return 'jepsen-edn';
  if (firstLine === '') return 'jsonl';
  throw new HistoryFormatError(
    'unreadable',
    0,
    `cannot tell the history format from the name or the first line ${JSON.stringify(firstLine.slice(0, 60))}; ` +
      `give it as one of ${HISTORY_FORMATS.join(', ')}`,
    { source: path },
  );
}

function firstNonBlankLine(text: string): string {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    if (line.length > 0) return line;
    start = end + 1;
  }
  return '';
}

/**
 * A model name that fits the functions a history calls, for a CLI default: registers for
 * read/write/cas, mutex for acquire/release, multi-register for txn, kv for get/put/append,
 * etcd for Porcupine's etcd logs, topics otherwise.
 */
export function suggestModelName(kind: HistoryKind, operations: readonly Operation[]): string {
  if (kind === 'porcupine-etcd') return 'etcd';
  if (kind === 'porcupine-kv') return 'kv';
  const functions = new Set<string>();
  for (const op of operations) if (op.process !== 'nemesis') functions.add(op.f);
  const within = (names: string[]): boolean => functions.size > 0 && [...functions].every((f) => names.includes(f));
  if (within(['read', 'write', 'cas'])) return 'cas-register';
  if (within(['acquire', 'release'])) return 'mutex';
  if (within(['txn'])) return 'multi-register';
  if (within(['get', 'put', 'append'])) return 'kv';
  return kind === 'jepsen-edn' ? 'cas-register' : 'topics';
}
