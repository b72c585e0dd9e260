/**
 * Records a history in the one operation format as a run happens: dense indices, times in ms of
 * the run's clock stored as ns, one open invocation per process (asserted: a client that invokes
 * twice without completing is a bug in the pipeline, not a property of the system under test).
 * Nemesis actions are `info` operations of process "nemesis" on their own.
 */
import type { Operation, OperationType, ProcessId } from './operation.js';

export class HistoryRecorder {
  readonly operations: Operation[] = [];
  private readonly open = new Set<ProcessId>();

  invoke(process: ProcessId, f: string, value: unknown, timeMs: number, node?: number): Operation {
    if (this.open.has(process)) throw new Error(`process ${String(process)} invoked ${f} while an operation was open`);
    this.open.add(process);
    return this.push('invoke', process, f, value, timeMs, node, undefined);
  }

  complete(
    process: ProcessId, type: Exclude<OperationType, 'invoke'>, f: string, value: unknown, timeMs: number,
    details: { node?: number; error?: string } = {},
  ): Operation {
    if (!this.open.delete(process)) throw new Error(`process ${String(process)} completed ${f} without an invocation`);
    return this.push(type, process, f, value, timeMs, details.node, details.error);
  }

  /** A nemesis action: an `info` of process "nemesis", on its own (no invocation). */
  nemesis(f: string, value: unknown, timeMs: number): Operation {
    return this.push('info', 'nemesis', f, value, timeMs, undefined, undefined);
  }

  // Fields as arguments, not an entry object: complete() spread its details into one, so every
  // completion built two objects before the operation itself.
  private push(
    type: OperationType, process: ProcessId, f: string, value: unknown, timeMs: number, node: number | undefined, error: string | undefined,
  ): Operation {
    const operation: Operation = { index: this.operations.length, type, process, f, value, timeNs: Math.round(timeMs * 1e6) };
    if (node !== undefined) operation.node = node;
    if (error !== undefined) operation.error = error;
    this.operations.push(operation);
    return operation;
  }
}
