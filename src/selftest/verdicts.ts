/**
 * What caught a bug in one run: the checks that judge behaviour (an invariant over the node event
 * logs, linearizability of the client history, liveness after the heal), told apart from the run
 * merely stopping on an assertion inside the core. An assertion is not a catch: it only shows the
 * core noticed its own broken rule, and the suite must catch the bug without it.
 */
import type { RunReport } from '../run/run-once.js';

export type CatchKind = 'invariant' | 'linearizability' | 'liveness';

export interface CatchingCheck {
  kind: CatchKind;
  /** The run check's name: an invariant's (SingleVote ...), `linearizability`, `availability-after-heal`, `quorum-after-heal`. */
  check: string;
  message: string;
  /** Linearizability: each failing operation, "topic t: call (history index i)". */
  operations?: string[];
}

export interface RunCatch {
  /** The behaviour checks that failed, in the run's order. */
  caughtBy: CatchingCheck[];
  /** The run stopped on an assertion inside the core (or another exception): its message, else null. */
  assertion: string | null;
}

/** The run's liveness checks after the heal (run/judge.ts): a write acknowledged, every voter back in the quorum. */
const LIVENESS_CHECKS: ReadonlySet<string> = new Set(['availability-after-heal', 'quorum-after-heal']);

/** How the simulator says a run stopped on an exception inside a node (assert.ts failures among them). */
const EXCEPTION_HALT = /stopped on an exception|handler threw/;

export function judgeCatch(report: RunReport): RunCatch {
  const caughtBy: CatchingCheck[] = [];
  let assertion: string | null = null;
  for (const check of report.judgement.checks) {
    if (check.verdict !== 'invalid') continue;
    if (check.name === 'run') {
      // A halt at a broken invariant is that invariant's catch (its own check fails too).
      if (EXCEPTION_HALT.test(check.message)) assertion = check.message;
      continue;
    }
    if (check.name === 'linearizability') {
      const topics = report.judgement.linearizability?.topics.filter((topic) => topic.verdict === 'invalid') ?? [];
      caughtBy.push({
        kind: 'linearizability', check: check.name, message: check.message,
        operations: topics.map((topic) => `topic ${topic.topic}: ${topic.failure?.call ?? '?'} (history index ${topic.failure?.invokeIndex ?? '?'})`),
      });
      continue;
    }
    caughtBy.push({ kind: LIVENESS_CHECKS.has(check.name) ? 'liveness' : 'invariant', check: check.name, message: check.message });
  }
  return { caughtBy, assertion };
}

/** "SingleVote, linearizability (topic t: ...)": the catching checks in a few words. */
export function describeCatch(caughtBy: readonly CatchingCheck[]): string {
  return caughtBy.map((entry) => {
    if (entry.kind === 'linearizability') return `linearizability (${(entry.operations ?? []).slice(0, 2).join('; ')})`;
    if (entry.kind === 'liveness') return `liveness (${entry.check})`;
    return `invariant ${entry.check}`;
  }).join(', ');
}
