/**
 * Validation of the one operation format (operation.ts): the fields of each entry, and the shape of
 * the whole history (dense indices, monotonic time, at most one open invocation per process, every
 * completion closing an open invocation of the same function). Every reader (JSON lines, EDN,
 * Porcupine logs) ends here, so a malformed history is a HistoryFormatError naming the line, never
 * a crash or a wrong verdict later in the checker.
 */
import { HistoryFormatError } from './history-format-error.js';
import { NEMESIS_PROCESS } from './operation.js';
import type { Operation, OperationType, ProcessId } from './operation.js';

const OPERATION_TYPES: ReadonlySet<string> = new Set<OperationType>(['invoke', 'ok', 'fail', 'info']);

/** Checks the fields of one decoded record and builds the Operation (unknown extra fields are dropped). */
export function operationFromRecord(record: unknown, line: number): Operation {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new HistoryFormatError('not-an-operation', line, `expected an operation object, got ${describeJson(record)}`);
  }
  const fields = record as Record<string, unknown>;
  const index = requireField(fields, 'index', line);
  if (!Number.isSafeInteger(index) || (index as number) < 0) {
    throw badField(line, 'index', 'a non-negative integer', index);
  }
  const type = requireField(fields, 'type', line);
  if (typeof type !== 'string' || !OPERATION_TYPES.has(type)) {
    throw new HistoryFormatError('bad-type', line, `field "type" must be one of invoke, ok, fail, info; got ${describeJson(type)}`);
  }
  const process = requireField(fields, 'process', line);
  if (!(Number.isSafeInteger(process) || process === NEMESIS_PROCESS)) {
    throw badField(line, 'process', `an integer or "${NEMESIS_PROCESS}"`, process);
  }
  const f = requireField(fields, 'f', line);
  if (typeof f !== 'string' || f.length === 0) throw badField(line, 'f', 'a non-empty string', f);
  const timeNs = requireField(fields, 'timeNs', line);
  if (typeof timeNs !== 'number' || !Number.isFinite(timeNs)) throw badField(line, 'timeNs', 'a finite number', timeNs);
  const op: Operation = {
    index: index as number,
    type: type as OperationType,
    process: process as ProcessId,
    f,
    // A missing value is null ("unknown"), as JSON.stringify drops undefined values.
    value: fields['value'] ?? null,
    timeNs,
  };
  const node = fields['node'];
  if (node !== undefined && node !== null) {
    if (typeof node !== 'string' && !Number.isFinite(node)) throw badField(line, 'node', 'a number or a string', node);
    op.node = node as number | string;
  }
  const error = fields['error'];
  if (error !== undefined && error !== null) {
    if (typeof error !== 'string') throw badField(line, 'error', 'a string', error);
    op.error = error;
  }
  return op;
}

interface OpenInvoke {
  f: string;
  index: number;
  line: number;
}

/**
 * Checks a history entry by entry, in order. `line` is where each entry came from, for messages.
 * Feed every entry to `accept`; the open invocations left at the end are legal (indeterminate).
 */
export class HistoryShapeChecker {
  private readonly open = new Map<ProcessId, OpenInvoke>();
  private expectedIndex = 0;
  private lastTimeNs = -Infinity;

  accept(op: Operation, line: number): void {
    if (op.index !== this.expectedIndex) {
      throw new HistoryFormatError(
        'non-dense-index',
        line,
        `index ${op.index} where ${this.expectedIndex} was expected (indices are 0-based, dense, in order)`,
      );
    }
    this.expectedIndex++;
    if (op.timeNs < this.lastTimeNs) {
      throw new HistoryFormatError(
        'time-not-monotonic',
        line,
        `timeNs ${op.timeNs} is before the previous entry's ${this.lastTimeNs} (times must not decrease)`,
      );
    }
    this.lastTimeNs = op.timeNs;
    if (op.process === NEMESIS_PROCESS) {
      this.acceptNemesis(op, line);
    } else if (op.type === 'invoke') {
      this.acceptInvoke(op, line);
    } else {
      this.acceptCompletion(op, line);
    }
  }

  /** Processes whose last invocation is still open. */
  get openProcesses(): number {
    return this.open.size;
  }

  // Nemesis actions are not paired: Jepsen writes them as lone infos, newer Jepsen as invoke/info
  // pairs that may overlap. The checker ignores them, so only their type is checked.
  private acceptNemesis(op: Operation, line: number): void {
    if (op.type !== 'info' && op.type !== 'invoke') {
      throw new HistoryFormatError('bad-type', line, `a nemesis operation is info (or invoke), got ${op.type}`);
    }
  }

  private acceptInvoke(op: Operation, line: number): void {
    const previous = this.open.get(op.process);
    if (previous !== undefined) {
      throw new HistoryFormatError(
        'double-invoke',
        line,
        `process ${op.process} invokes ${op.f} while its ${previous.f} invoked at index ${previous.index} ` +
          `(line ${previous.line}) is still open (a process has at most one open invocation)`,
      );
    }
    this.open.set(op.process, { f: op.f, index: op.index, line });
  }

  private acceptCompletion(op: Operation, line: number): void {
    const invoke = this.open.get(op.process);
    if (invoke === undefined) {
      throw new HistoryFormatError(
        'completion-without-invoke',
        line,
        `${op.type} ${op.f} of process ${op.process} has no open invocation to complete`,
      );
    }
    if (invoke.f !== op.f) {
      throw new HistoryFormatError(
        'completion-f-mismatch',
        line,
        `${op.type} ${op.f} of process ${op.process} completes an invocation of ${invoke.f} (index ${invoke.index}, line ${invoke.line})`,
      );
    }
    this.open.delete(op.process);
  }
}

/**
 * Validates a whole history already in memory. `lines[i]` is the source line of entry i (default:
 * i + 1). Throws HistoryFormatError on the first problem.
 */
export function validateHistory(ops: readonly Operation[], lines?: readonly number[]): void {
  const checker = new HistoryShapeChecker();
  for (let i = 0; i < ops.length; i++) checker.accept(ops[i]!, lines?.[i] ?? i + 1);
}

function requireField(fields: Record<string, unknown>, name: string, line: number): unknown {
  const value = fields[name];
  if (value === undefined) throw new HistoryFormatError('missing-field', line, `missing field "${name}"`);
  return value;
}

function badField(line: number, name: string, expected: string, got: unknown): HistoryFormatError {
  return new HistoryFormatError('bad-field', line, `field "${name}" must be ${expected}; got ${describeJson(got)}`);
}

/** A short rendering of a bad value for messages. */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
