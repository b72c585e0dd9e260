/**
 * The outcome of a linearizability check. Three verdicts, as in Knossos and porcupine:
 * `valid`, `invalid` (with a witness a person can read), `unknown` (a budget was spent or a
 * checker failed; the cause says which, and it is never reported as valid).
 */
import type { Call } from './model.js';

export type Verdict = 'valid' | 'invalid' | 'unknown';

export interface TriedState {
  /** The model state, described for people. */
  state: string;
  /** Why the failing call could not follow it ("can't read 3 from register 0"). */
  reason: string;
}

export interface LinearizabilityFailure {
  /** The key of the partition that failed (e.g. a topic name, a register key, "all"). */
  partition: string;
  /** Every call of the failing partition, for timelines. */
  calls: Call[];
  /** The longest linearizable prefix found: call ids in their linearization order. */
  longestPrefix: number[];
  /** The call that could not be linearized after that prefix. */
  failingCall: Call;
  /** The model states after the longest prefixes, and why the failing call could not follow. */
  triedStates: TriedState[];
}

export interface CheckResult {
  verdict: Verdict;
  model: string;
  /** How many calls and partitions were checked. */
  calls: number;
  partitions: number;
  elapsedMs: number;
  /** Why the verdict is unknown: "time limit 30000 ms spent", "memory limit 1024 MiB reached", an error. */
  cause?: string;
  failure?: LinearizabilityFailure;
}
