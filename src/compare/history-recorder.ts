/**
 * Records a comparison's client operations and fault actions in the one history format, with
 * times in ns since the recorder started (monotonic), so the checker judges them as it judges a
 * run's history.
 */
import type { Operation, ProcessId } from '../history/operation.js';

export class CompareRecorder {
  readonly operations: Operation[] = [];
  private readonly startedNs = process.hrtime.bigint();

  nowNs(): number {
    return Number(process.hrtime.bigint() - this.startedNs);
  }

  record(op: { type: Operation['type']; process: ProcessId; f: string; value: unknown; node?: number; error?: string }): void {
    this.operations.push({
      index: this.operations.length,
      type: op.type,
      process: op.process,
      f: op.f,
      value: op.value,
      timeNs: this.nowNs(),
      ...(op.node === undefined ? {} : { node: op.node }),
      ...(op.error === undefined ? {} : { error: op.error }),
    });
  }

  nemesis(f: string, value: unknown): void {
    this.record({ type: 'info', process: 'nemesis', f, value });
  }
}
