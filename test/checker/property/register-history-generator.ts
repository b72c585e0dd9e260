/**
 * Random register histories that are linearizable by construction: a real register is run, and
 * each operation takes effect at a random moment between its invocation and its completion (or,
 * for `info` and never-completed operations, possibly never). Outcomes are what the register
 * really answered, so the history has a linearization: the order in which effects happened.
 *
 * A `fail` completion is only given to an operation that did not take effect, as the operation
 * format demands. All choices come from `random`, a fast-check-driven source, so every history is
 * reproduced by the property's seed.
 */
import type { Operation } from '../../../src/history/operation.js';

export interface GeneratorSettings {
  processes: number;
  operations: number;
  /** Values are drawn from 0..valuesMax; small ranges make reads and cas collide often. */
  valuesMax: number;
  /** Registers addressed as {key, value}; 1 means plain values. */
  keys: number;
  /**
   * Etcd-workload values instead: every write and cas writes a new value (valuesMax + 1, + 2, ...),
   * and a cas expects the register's value at its invocation half the time (a value it could
   * have read), else a random one. Default false.
   */
  uniqueValues?: boolean;
}

type Random = (maxExclusive: number) => number;

interface Open {
  process: number;
  f: 'read' | 'write' | 'cas';
  input: unknown;
  key: number;
  applied: boolean;
  output: unknown;
}

export function generateRegisterHistory(settings: GeneratorSettings, random: Random): Operation[] {
  const registers = new Array<number | null>(settings.keys).fill(null);
  const operations: Operation[] = [];
  const open = new Map<number, Open>();
  let invoked = 0;
  let nextUnique = settings.valuesMax + 1;
  const newValue = (): number => (settings.uniqueValues === true ? nextUnique++ : random(settings.valuesMax + 1));
  const expectedValue = (key: number): number | null =>
    (settings.uniqueValues === true && random(2) === 0 ? registers[key]! : random(settings.valuesMax + 1));
  const emit = (process: number, type: Operation['type'], f: string, value: unknown): void => {
    operations.push({ index: operations.length, type, process, f, value, timeNs: operations.length });
  };
  const wrap = (key: number, value: unknown): unknown => (settings.keys === 1 ? value : { key: String(key), value });

  while (invoked < settings.operations || open.size > 0) {
    const idle = range(settings.processes).filter((p) => !open.has(p));
    const choice = random(3);
    if (choice === 0 && invoked < settings.operations && idle.length > 0) {
      const process = idle[random(idle.length)]!;
      const key = random(settings.keys);
      const f = (['read', 'write', 'cas'] as const)[random(3)]!;
      const input = f === 'read' ? null : f === 'write' ? newValue() : [expectedValue(key), newValue()];
      open.set(process, { process, f, input, key, applied: false, output: undefined });
      emit(process, 'invoke', f, wrap(key, input));
      invoked++;
    } else if (choice === 1 && open.size > 0) {
      const pending = [...open.values()].filter((op) => !op.applied);
      if (pending.length > 0) apply(pending[random(pending.length)]!, registers);
    } else if (open.size > 0) {
      const ops = [...open.values()];
      const op = ops[random(ops.length)]!;
      if (invoked >= settings.operations && random(8) === 0) {
        open.delete(op.process); // never completes
        continue;
      }
      const ending = random(10);
      if (!op.applied && ending === 0) {
        emit(op.process, 'fail', op.f, wrap(op.key, op.input));
      } else if (ending === 1) {
        emit(op.process, 'info', op.f, wrap(op.key, op.input));
      } else {
        if (!op.applied) apply(op, registers);
        emit(op.process, 'ok', op.f, op.f === 'read' ? wrap(op.key, op.output) : op.output);
      }
      open.delete(op.process);
    }
  }
  return operations;
}

function apply(op: Open, registers: (number | null)[]): void {
  op.applied = true;
  const current = registers[op.key]!;
  if (op.f === 'read') op.output = current;
  else if (op.f === 'write') registers[op.key] = op.input as number;
  else {
    const [from, to] = op.input as [number, number];
    op.output = current === from;
    if (current === from) registers[op.key] = to;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
