/**
 * Writes histories for tests in the one operation format, so a test reads like a timeline:
 * `h.invoke(0, 'write', 1); h.ok(0, 1)`.
 */
import type { Operation, ProcessId } from '../../../src/history/operation.js';

export class HistoryBuilder {
  readonly operations: Operation[] = [];
  private readonly open = new Map<ProcessId, string>();

  invoke(process: ProcessId, f: string, value: unknown = null): this {
    this.open.set(process, f);
    return this.push(process, 'invoke', f, value);
  }
  ok(process: ProcessId, value: unknown = null): this {
    return this.push(process, 'ok', this.close(process), value);
  }
  fail(process: ProcessId, value: unknown = null): this {
    return this.push(process, 'fail', this.close(process), value);
  }
  info(process: ProcessId, value: unknown = null): this {
    return this.push(process, 'info', this.close(process), value);
  }

  private close(process: ProcessId): string {
    const f = this.open.get(process);
    if (f === undefined) throw new Error(`process ${process} has no open operation`);
    this.open.delete(process);
    return f;
  }

  private push(process: ProcessId, type: Operation['type'], f: string, value: unknown): this {
    const index = this.operations.length;
    this.operations.push({ index, type, process, f, value, timeNs: index * 1000 });
    return this;
  }
}
