/**
 * A call: one invocation paired with its completion, the unit a linearizability checker orders.
 * It lives in history/ because pairing a history into calls is a property of the history format
 * (see calls.ts), and history/ imports nothing else of ours; checker/model.ts re-exports it.
 */
import type { ProcessId } from './operation.js';

export interface Call {
  /** Dense id within the history being checked (0..n-1), in invocation order. */
  id: number;
  process: ProcessId;
  f: string;
  /** The invocation's value. */
  input: unknown;
  /** The completion's value; undefined where the outcome is unknown. */
  output: unknown;
  outputKnown: boolean;
  /** Index of the invocation and of the completion in the source history (null: never completed). */
  invokeIndex: number;
  completeIndex: number | null;
  invokeTimeNs: number;
  /** Infinity where the outcome is unknown: the call stays open to the end of the history. */
  completeTimeNs: number;
}
