/**
 * The one operation format, used by the simulator, the container
 * harness, fixtures and reports alike. A history is a sequence of these, one JSON object per line.
 *
 * - `invoke` opens an operation of `process`; the next `ok`, `fail` or `info` of the same process
 *   completes it. A process has at most one open invocation.
 * - `ok`: it took effect, and `value` carries what it returned. A definite negative answer that
 *   carries information (topic already exists, compare failed) is an `ok` whose value says so,
 *   so the model checks it.
 * - `fail`: it certainly did not take effect.
 * - `info`: indeterminate; it may have taken effect at any moment after its invocation. An invoke
 *   that never completes means the same.
 * - Nemesis actions are `info` operations of process `"nemesis"`; linearizability ignores them.
 */
export type OperationType = 'invoke' | 'ok' | 'fail' | 'info';

/** A client process is a number; the fault injector is the process "nemesis". */
export type ProcessId = number | 'nemesis';

export const NEMESIS_PROCESS = 'nemesis' as const;

export interface Operation {
  /** Position in the history, 0-based and dense. */
  index: number;
  type: OperationType;
  process: ProcessId;
  /** The function, e.g. "read", "write", "cas", "create-topic", "start-partition". */
  f: string;
  /** Arguments at invoke; the result at ok. `null` where unknown (a read's value at invoke). */
  value: unknown;
  /** Monotonic time of the event in nanoseconds (simulated or real). */
  timeNs: number;
  /** The node the client talked to, where known. */
  node?: number | string;
  /** Why a fail or info happened, in words or as a Kafka error name. */
  error?: string;
}

export function isClientOperation(op: Operation): boolean {
  return op.process !== NEMESIS_PROCESS;
}
