/**
 * Jepsen/Knossos histories in EDN, to and from the one operation format.
 *
 * Import: each entry is an op map `{:process :type :f :value :time :index :error :node}`.
 * - `:process` is an integer, or `:nemesis` (→ "nemesis"); `:type` one of :invoke :ok :fail :info;
 *   `:f` a keyword (→ its name). Keywords anywhere in values become strings, sets arrays.
 * - `:index` is not trusted: ours is the entry's position, since Knossos data files often have no
 *   index at all and our indices must be dense.
 * - `:time` (ns) is used when every entry has one and they never decrease in history order;
 *   otherwise all times are synthesized from positions (SYNTHETIC_STEP_NS apart). Knossos orders
 *   by position, not time, and some of its files have clocks that go backwards (mutex/bad/etcd.edn),
 *   so positions are the safe source of order.
 * - `:error` becomes a string: a keyword's name, a string as is, anything else its EDN text.
 * The result is validated like any history (validate.ts), errors naming the EDN line.
 *
 * Export: a vector of op maps, one per line, with `:index` and `:time` (ns), so our histories can
 * be fed to Knossos and Jepsen's checkers. Import(export(h)) gives h back.
 */
import { HistoryFormatError } from '../history-format-error.js';
import { NEMESIS_PROCESS } from '../operation.js';
import type { Operation, OperationType, ProcessId } from '../operation.js';
import { validateHistory } from '../validate.js';
import { readEdnEntries } from './edn-reader.js';
import type { EdnEntry } from './edn-reader.js';
import { ednName, ednToJson } from './edn-to-json.js';
import { EdnKeyword, keyword } from './edn-value.js';
import type { EdnValue } from './edn-value.js';
import { isKeywordName, printEdn, printEdnNumber, printEdnString, printJsonAsEdn } from './edn-writer.js';

/** Spacing of synthesized times: 1 ms, so timelines stay readable. */
export const SYNTHETIC_STEP_NS = 1_000_000;

const K = {
  process: keyword('process'),
  type: keyword('type'),
  f: keyword('f'),
  value: keyword('value'),
  time: keyword('time'),
  error: keyword('error'),
  node: keyword('node'),
} as const;

const TYPES: ReadonlySet<string> = new Set<OperationType>(['invoke', 'ok', 'fail', 'info']);

/** Parses and validates a Jepsen/Knossos EDN history. */
export function parseJepsenHistory(text: string): Operation[] {
  return operationsFromEdnEntries(readEdnEntries(text));
}

/**
 * Builds validated operations from EDN op maps. `mapValue` lets a caller fold other fields of the
 * map into the value (the Porcupine kv logs' `:key`).
 */
export function operationsFromEdnEntries(
  entries: readonly EdnEntry[],
  mapValue?: (entry: Map<EdnValue, EdnValue>, value: unknown, line: number) => unknown,
): Operation[] {
  const ops: Operation[] = [];
  const lines: number[] = [];
  const recordedTimes: (number | undefined)[] = [];
  for (let i = 0; i < entries.length; i++) {
    const { value: entry, line } = entries[i]!;
    if (!(entry instanceof Map)) {
      throw new HistoryFormatError('not-an-operation', line, `expected an op map {:process :type :f :value}, got ${printShort(entry)}`);
    }
    const op = operationFromMap(entry, i, line);
    if (mapValue !== undefined) op.value = mapValue(entry, op.value, line);
    ops.push(op);
    lines.push(line);
    const time = entry.get(K.time);
    recordedTimes.push(typeof time === 'number' ? time : undefined);
  }
  assignTimes(ops, recordedTimes);
  validateHistory(ops, lines);
  return ops;
}

function operationFromMap(entry: Map<EdnValue, EdnValue>, index: number, line: number): Operation {
  const op: Operation = {
    index,
    type: readType(entry, line),
    process: readProcess(entry, line),
    f: readF(entry, line),
    value: ednToJson(entry.get(K.value) ?? null),
    timeNs: 0,
  };
  const node = entry.get(K.node);
  if (node !== undefined && node !== null) {
    op.node = typeof node === 'number' ? node : (ednName(node) ?? printEdn(node));
  }
  const error = entry.get(K.error);
  if (error !== undefined && error !== null) op.error = ednName(error) ?? printEdn(error);
  return op;
}

function readType(entry: Map<EdnValue, EdnValue>, line: number): OperationType {
  const type = entry.get(K.type);
  if (type === undefined) throw new HistoryFormatError('missing-field', line, 'missing :type');
  const name = type instanceof EdnKeyword ? type.name : undefined;
  if (name === undefined || !TYPES.has(name)) {
    throw new HistoryFormatError('bad-type', line, `:type must be one of :invoke :ok :fail :info; got ${printShort(type)}`);
  }
  return name as OperationType;
}

function readProcess(entry: Map<EdnValue, EdnValue>, line: number): ProcessId {
  const process = entry.get(K.process);
  if (process === undefined) throw new HistoryFormatError('missing-field', line, 'missing :process');
  if (Number.isSafeInteger(process)) return process as number;
  if (ednName(process) === NEMESIS_PROCESS) return NEMESIS_PROCESS;
  throw new HistoryFormatError('bad-field', line, `:process must be an integer or :nemesis; got ${printShort(process)}`);
}

function readF(entry: Map<EdnValue, EdnValue>, line: number): string {
  const f = entry.get(K.f);
  if (f === undefined) throw new HistoryFormatError('missing-field', line, 'missing :f');
  const name = ednName(f);
  if (name === undefined || name.length === 0) {
    throw new HistoryFormatError('bad-field', line, `:f must be a keyword or a string; got ${printShort(f)}`);
  }
  return name;
}

function assignTimes(ops: Operation[], recordedTimes: readonly (number | undefined)[]): void {
  let usable = recordedTimes.length > 0;
  let previous = -Infinity;
  for (const time of recordedTimes) {
    if (time === undefined || time < previous) {
      usable = false;
      break;
    }
    previous = time;
  }
  for (let i = 0; i < ops.length; i++) {
    ops[i]!.timeNs = usable ? recordedTimes[i]! : i * SYNTHETIC_STEP_NS;
  }
}

function printShort(value: EdnValue): string {
  const text = printEdn(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A Jepsen EDN history: a vector of op maps, one per line. */
export function formatJepsenHistory(ops: readonly Operation[]): string {
  if (ops.length === 0) return '[]\n';
  return `[${ops.map(formatJepsenOp).join('\n ')}]\n`;
}

export function formatJepsenOp(op: Operation): string {
  const process = op.process === NEMESIS_PROCESS ? ':nemesis' : printEdnNumber(op.process);
  const f = isKeywordName(op.f) ? `:${op.f}` : printEdnString(op.f);
  let text = `{:index ${op.index}, :type :${op.type}, :process ${process}, :f ${f}, ` +
    `:value ${printJsonAsEdn(op.value)}, :time ${printEdnNumber(op.timeNs)}`;
  if (op.node !== undefined) {
    text += `, :node ${typeof op.node === 'number' ? printEdnNumber(op.node) : printEdnString(op.node)}`;
  }
  if (op.error !== undefined) text += `, :error ${printEdnString(op.error)}`;
  return `${text}}`;
}

