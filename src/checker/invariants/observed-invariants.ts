/**
 * The Raft invariants of a system that writes no event stream of ours, judged from what it
 * exposes (Kafka's KRaft controllers: the state changes they log, DescribeQuorum answers polled
 * during the run). Each source of events judges only the rules it can; a rule no source can
 * judge is reported as not judged, with the system's reason. `quorumcheck run` and
 * `quorumcheck compare` both judge through this one function.
 *
 * Each source has its own InvariantChecker: sources are on different clocks (a log's wall-clock
 * stamps, a poll's receive time), so their events are never merged into one order.
 */
import type { NodeEvent } from '../../history/node-event.js';
import { mergeByTime } from './event-log-reader.js';
import { InvariantChecker } from './invariant-checker.js';
import { INVARIANT_RULES, type InvariantRule, type Violation } from './violation.js';

/** One way of seeing the system from outside, and the rules its events can judge. */
export interface ObservedSource {
  /** How the events were got, in words ("the state changes the controllers log"). */
  how: string;
  /** Rule names (INVARIANT_RULES) these events judge; violations of other rules are ignored. */
  rules: readonly string[];
  /** One stream per node (or per poll target), each in its own time order. */
  streams: readonly (readonly NodeEvent[])[];
}

export interface ObservedRuleJudgement {
  rule: InvariantRule;
  judged: boolean;
  /** valid, invalid or unknown (no events to judge) when judged; null when not. */
  verdict: 'valid' | 'invalid' | 'unknown' | null;
  /** What was judged from what and what was found, or why it is not judged. */
  message: string;
  /** The first violation, when invalid. */
  violation?: Violation;
}

/**
 * Judges every rule of INVARIANT_RULES: by the sources that name it, else not judged with
 * `notJudged[rule]` as the reason (a default sentence when the system gave none). Throws for a
 * source naming a rule that does not exist.
 */
export function judgeObservedInvariants(
  sources: readonly ObservedSource[], voters: readonly number[], notJudged: Readonly<Record<string, string>> = {},
): ObservedRuleJudgement[] {
  for (const source of sources) {
    const unknown = source.rules.filter((rule) => !(INVARIANT_RULES as readonly string[]).includes(rule));
    if (unknown.length > 0) throw new RangeError(`'${source.how}' names unknown invariants: ${unknown.join(', ')}`);
  }
  const judged = sources.map((source) => {
    const checker = new InvariantChecker({ voters });
    for (const event of mergeByTime(source.streams)) checker.observe(event);
    return { source, events: checker.eventsObserved, violations: checker.finish([]) };
  });
  return INVARIANT_RULES.map((rule): ObservedRuleJudgement => {
    const by = judged.filter((entry) => entry.source.rules.includes(rule));
    if (by.length === 0) {
      return { rule, judged: false, verdict: null, message: `not judged: ${notJudged[rule] ?? 'nothing the system exposes shows it'}` };
    }
    const scope = by.map((entry) => `${entry.source.how} (${entry.events} events)`).join('; ');
    for (const entry of by) {
      const first = entry.violations.find((violation) => violation.rule === rule);
      if (first !== undefined) {
        const more = entry.violations.filter((violation) => violation.rule === rule).length - 1;
        return { rule, judged: true, verdict: 'invalid', message: `${first.message}${more > 0 ? ` (and ${more} more)` : ''}, from ${entry.source.how}`, violation: first };
      }
    }
    if (by.every((entry) => entry.events === 0)) return { rule, judged: true, verdict: 'unknown', message: `no events to judge from ${scope}` };
    return { rule, judged: true, verdict: 'valid', message: `held over ${scope}` };
  });
}
