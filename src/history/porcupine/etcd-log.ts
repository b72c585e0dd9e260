/**
 * Importer for Porcupine's `test_data/jepsen/etcd_NNN.log`: Jepsen 0.0.x log lines
 * `INFO  jepsen.util - <process> <:invoke|:ok|:fail|:info> <:read|:write|:cas> <value>`, fields
 * separated by tabs (or runs of spaces in etcd_100..102), against one register that starts as nil.
 *
 * Each choice mirrors how Porcupine's own parser and etcd model read these logs:
 * - `:ok :cas [a b]`: the cas applied → ok with value [a, b].
 * - `:fail :cas [a b]`: etcd answered "compare failed", a definite answer Porcupine checks (the
 *   register did not hold a) → an ok whose value is `false` (register-operations.ts). A `fail`
 *   would drop it, as Knossos does, and check less.
 * - `:info :write|:cas :timed-out`: indeterminate → info. Porcupine ignores the line and lets the
 *   invocation return "at the end" with an unknown output; our info means exactly that.
 * - `:fail :read :timed-out`: the read had no effect and returned nothing → fail. Porcupine keeps it
 *   as a read with unknown output returning in place, which constrains nothing: the same verdicts.
 * - an invocation with no completion at all: left open, i.e. indeterminate, as in Porcupine.
 * - `:ok :read nil`: the register held nothing (Porcupine's "exists = false").
 * There are no times in the log: they are synthesized from line positions. Blank lines are skipped;
 * any other line that is not of this shape is an error naming it.
 */
import { HistoryFormatError } from '../history-format-error.js';
import type { Operation, OperationType } from '../operation.js';
import { CAS_COMPARE_FAILED } from '../register-operations.js';
import { validateHistory } from '../validate.js';

/** Spacing of synthesized times: 1 ms per line. */
const LINE_STEP_NS = 1_000_000;

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

export function isJepsenEtcdLogLine(line: string): boolean {
  return LINE.test(line);
}

export function parsePorcupineEtcdLog(text: string): Operation[] {
  const ops: Operation[] = [];
  const lines: number[] = [];
  const rawLines = text.split('\n');
  for (let i = 0; i < rawLines.length; i++) {
    const raw = rawLines[i]!;
    if (raw.trim().length === 0) continue;
    const match = LINE.exec(raw);
    if (match === null) {
      throw new HistoryFormatError('bad-log-line', i + 1, `not a Jepsen etcd log line: ${JSON.stringify(raw.slice(0, 80))}`);
    }
    const [, processText, typeText, f, valueText] = match as unknown as [string, string, string, string, string];
    const { type, value, error } = translate(typeText, f, valueText, i + 1);
    const op: Operation = { index: ops.length, type, process: Number(processText), f, value, timeNs: ops.length * LINE_STEP_NS };
    if (error !== undefined) op.error = error;
    ops.push(op);
    lines.push(i + 1);
  }
  validateHistory(ops, lines);
  return ops;
}

interface Translated {
  type: OperationType;
  value: unknown;
  error?: string;
}

function translate(typeText: string, f: string, valueText: string, line: number): Translated {
  if (valueText === ':timed-out') {
    if (typeText === 'info') return { type: 'info', value: null, error: 'timed-out' };
    if (typeText === 'fail' && f === 'read') return { type: 'fail', value: null, error: 'timed-out' };
    throw new HistoryFormatError('bad-log-line', line, `unexpected :${typeText} :${f} :timed-out`);
  }
  const value = parseValue(valueText, line);
  switch (typeText) {
    case 'invoke':
      return { type: 'invoke', value: f === 'read' ? null : value };
    case 'ok':
      return { type: 'ok', value };
    case 'fail':
      if (f === 'cas') return { type: 'ok', value: CAS_COMPARE_FAILED, error: 'compare failed' };
      return { type: 'fail', value };
    default:
      return { type: 'info', value };
  }
}

function parseValue(text: string, line: number): unknown {
  if (text === 'nil') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  const pair = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/.exec(text);
  if (pair !== null) return [Number(pair[1]), Number(pair[2])];
  throw new HistoryFormatError('bad-log-line', line, `value ${JSON.stringify(text)} is not nil, an integer or [old new]`);
}
