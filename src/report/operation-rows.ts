/**
 * A history's client operations as the page draws them: one row per invocation, from its invoke to
 * its completion, kept as parallel arrays (columns) so 100,000 operations embed as a few compact
 * JSON arrays and the browser draws them without building an object per operation.
 *
 * Outcomes: ok, fail, info (indeterminate: the client gave up), and open (never completed; drawn
 * to the end of the run). Times are seconds since the run's time origin, to the microsecond.
 * Descriptions are interned: a workload repeats the same calls, so each distinct text is stored once.
 */
import type { Operation, ProcessId } from '../history/operation.js';

export const OUTCOMES = ['ok', 'fail', 'info', 'open'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_CODE: Record<Outcome, number> = { ok: 0, fail: 1, info: 2, open: 3 };

export interface OperationRows {
  /** Lane labels, one per client process, in lane order. */
  processes: string[];
  /** Function names; `f` indexes this. */
  functions: string[];
  /** Per operation, in invocation order: */
  startS: number[];
  /** Completion time; for an open operation, the end of the run. */
  endS: number[];
  lane: number[];
  f: number[];
  /** OUTCOME_CODE. */
  outcome: number[];
  /** History index of the invocation. */
  index: number[];
  /** Index into `texts`: "create-topic {"name":"a"} → {"created":true}". */
  text: number[];
  texts: string[];
}

/** Longest description kept per operation; the raw history has the rest. */
const TEXT_CHARS_MAX = 160;

export function operationRows(operations: readonly Operation[], originNs: number, endNs: number): OperationRows {
  const rows: OperationRows = {
    processes: [], functions: [], startS: [], endS: [], lane: [], f: [], outcome: [], index: [], text: [], texts: [],
  };
  const laneOf = new Map<ProcessId, number>();
  const functionOf = new Map<string, number>();
  const textOf = new Map<string, number>();
  const open = new Map<ProcessId, { row: number; op: Operation }>();
  const seconds = (timeNs: number): number => Math.round((timeNs - originNs) / 1000) / 1e6;
  const intern = <K>(map: Map<K, number>, key: K, list: K[]): number => {
    let at = map.get(key);
    if (at === undefined) {
      at = list.length;
      map.set(key, at);
      list.push(key);
    }
    return at;
  };
  const processLabels: ProcessId[] = [];
  for (const op of operations) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      const row = rows.startS.length;
      rows.startS.push(seconds(op.timeNs));
      rows.endS.push(seconds(endNs));
      rows.lane.push(intern(laneOf, op.process, processLabels));
      rows.f.push(intern(functionOf, op.f, rows.functions));
      rows.outcome.push(OUTCOME_CODE.open);
      rows.index.push(op.index);
      rows.text.push(intern(textOf, describe(op, undefined), rows.texts));
      open.set(op.process, { row, op });
      continue;
    }
    const invocation = open.get(op.process);
    if (invocation === undefined) continue;
    open.delete(op.process);
    rows.endS[invocation.row] = seconds(op.timeNs);
    rows.outcome[invocation.row] = OUTCOME_CODE[op.type as Outcome];
    rows.text[invocation.row] = intern(textOf, describe(invocation.op, op), rows.texts);
  }
  rows.processes = processLabels.map(String);
  return sortLanes(rows, processLabels);
}

/** "describe-topic {"name":"a"} → ok {"partitions":3}", cut to a readable length. */
function describe(invoke: Operation, completion: Operation | undefined): string {
  const input = invoke.value === null ? '' : ` ${compactJson(invoke.value)}`;
  let text = `${invoke.f}${input}`;
  if (completion !== undefined) {
    const result = completion.type === 'ok' ? compactJson(completion.value) : completion.error ?? compactJson(completion.value);
    text += ` → ${completion.type}${result === 'null' ? '' : ` ${result}`}`;
  }
  return text.length > TEXT_CHARS_MAX ? `${text.slice(0, TEXT_CHARS_MAX - 1)}…` : text;
}

function compactJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

/** Lanes in numeric process order (process 10 after 9), so a reader finds a process where expected. */
function sortLanes(rows: OperationRows, labels: readonly ProcessId[]): OperationRows {
  const order = labels.map((label, lane) => ({ label, lane })).sort((a, b) => compareProcess(a.label, b.label));
  const newLane = new Map(order.map((entry, position) => [entry.lane, position]));
  rows.processes = order.map((entry) => String(entry.label));
  rows.lane = rows.lane.map((lane) => newLane.get(lane) ?? lane);
  return rows;
}

function compareProcess(a: ProcessId, b: ProcessId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}
