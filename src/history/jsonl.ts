/**
 * The JSON-lines form of the one operation format: one Operation object per line, as the recorder
 * writes history.jsonl. Blank lines are skipped (line numbers still count them). Reading validates
 * every field and the shape of the history (validate.ts) and throws HistoryFormatError naming the
 * line; writing emits the fields in a fixed order.
 */
import { HistoryFormatError } from './history-format-error.js';
import type { Operation } from './operation.js';
import { HistoryShapeChecker, operationFromRecord } from './validate.js';

/** Parses and validates a JSON-lines history. */
export function parseJsonLines(text: string): Operation[] {
  const ops: Operation[] = [];
  const checker = new HistoryShapeChecker();
  let line = 0;
  let start = 0;
  // A manual scan instead of split('\n'): no array of every line for large histories.
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim().length === 0) continue;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      throw new HistoryFormatError('not-json', line, `not JSON: ${(error as Error).message}`, { cause: error });
    }
    const op = operationFromRecord(record, line);
    checker.accept(op, line);
    ops.push(op);
  }
  return ops;
}

/** One operation as its JSON line, newline included; fields in the documented order. */
export function formatOperationLine(op: Operation): string {
  const ordered: Record<string, unknown> = {
    index: op.index,
    type: op.type,
    process: op.process,
    f: op.f,
    value: op.value === undefined ? null : op.value,
    timeNs: op.timeNs,
  };
  if (op.node !== undefined) ordered['node'] = op.node;
  if (op.error !== undefined) ordered['error'] = op.error;
  return `${JSON.stringify(ordered)}\n`;
}

export function formatJsonLines(ops: readonly Operation[]): string {
  let text = '';
  for (const op of ops) text += formatOperationLine(op);
  return text;
}
