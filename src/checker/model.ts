/**
 * What a linearizability model is: a plain object of pure functions, as porcupine's models are.
 * The search never looks inside a state; it only steps, hashes and compares states.
 *
 * A history is first paired into calls: an invocation and its completion. A call whose completion
 * is `info`, or that never completed, has `outputKnown: false`: it may have taken effect at any
 * point after its invocation, or not at all, so the search may also leave it out. When such a call
 * is linearized the model steps it with `output` undefined and must apply its effect as if it
 * succeeded (a read with an unknown value constrains nothing).
 */
import type { Call } from '../history/call.js';

// Call is defined next to the history format it is paired from; re-exported here so that checker
// code keeps importing the whole model contract from one place.
export type { Call } from '../history/call.js';

/** Returned by `step` when the call cannot be linearized in that state. */
export const ILLEGAL: unique symbol = Symbol('illegal');
export type StepResult<S> = S | typeof ILLEGAL;

export interface Model<S = unknown> {
  /** Stable name used by the CLI's --model flag. */
  readonly name: string;
  /**
   * The options `modelByName(name, options)` built this model from (src/checker/models/index.ts),
   * so that a worker thread can rebuild an equal model from its name and these. Plain data only.
   */
  readonly options?: Readonly<Record<string, unknown>>;
  init(): S;
  step(state: S, call: Call): StepResult<S>;
  /** Two states are interchangeable for the rest of the search. */
  equal(a: S, b: S): boolean;
  /** A hash consistent with `equal`, for Lowe's memoization of (linearized set, state). */
  hash(state: S): number;
  /**
   * Split calls into independent sub-histories (P-compositionality); each part is checked on its
   * own and the history is linearizable iff every part is. Returns parts keyed for reports.
   * Absent: one part holding everything.
   */
  partition?(calls: readonly Call[]): Map<string, Call[]>;
  /** "write 3", "cas 1→2", "create topic a (3 partitions)": what a person reads in a report. */
  describeCall(call: Call): string;
  describeState(state: S): string;
  /**
   * Why `call` is illegal in `state`, in words ("can't read 3 from register 0"). Only asked when
   * `step` returned ILLEGAL.
   */
  explainIllegal?(state: S, call: Call): string;
}
