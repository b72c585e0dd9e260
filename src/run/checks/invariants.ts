/**
 * The Raft invariants, judged on every node's event log (the same InvariantChecker the simulator
 * runs after every event, and the same files a container leaves): one check per rule, each
 * naming its first violation. "No acknowledged write lost" joins the logs with the writes the
 * clients saw acknowledged at a commit offset (the simulator's clients see those; a Kafka client
 * does not, and the message says so).
 */
import type { AcknowledgedWrite } from '../../checker/invariants/acknowledged-writes.js';
import { mergeByTime } from '../../checker/invariants/event-log-reader.js';
import { InvariantChecker } from '../../checker/invariants/invariant-checker.js';
import { INVARIANT_RULES, type Violation } from '../../checker/invariants/violation.js';
import type { RunCheck } from '../../history/run-directory-format.js';
import type { CollectedNodeLog } from '../world.js';

/**
 * `stableLeadershipFromNs`: from then on the network stays healed, so a leader a majority settles
 * on must keep leading (StableLeadership); absent, that rule judges nothing. It is on the node
 * events' clock.
 */
export function checkInvariants(
  logs: readonly CollectedNodeLog[], voters: readonly number[], acknowledged: readonly AcknowledgedWrite[], okWrites: number,
  stableLeadershipFromNs?: number,
): RunCheck[] {
  let violations: Violation[];
  let eventCount = 0;
  try {
    const checker = new InvariantChecker({ voters });
    if (stableLeadershipFromNs !== undefined) checker.expectStableLeadership(stableLeadershipFromNs);
    for (const event of mergeByTime(logs.map((log) => log.events))) checker.observe(event);
    eventCount = checker.eventsObserved;
    violations = checker.finish(acknowledged);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return INVARIANT_RULES.map((rule) => ({ name: rule, verdict: 'unknown', message: `the invariant checker failed: ${cause}` }));
  }
  const missing = logs.filter((log) => log.missing !== null).map((log) => `node ${log.nodeId}: ${log.missing}`);
  const scope = `${eventCount} events of ${logs.length - missing.length} nodes` + (missing.length > 0 ? ` (missing: ${missing.join('; ')})` : '');
  return INVARIANT_RULES.map((rule): RunCheck => {
    const broken = violations.filter((violation) => violation.rule === rule);
    const first = broken[0];
    if (first !== undefined) {
      const event = first.events[0];
      return {
        name: rule, verdict: 'invalid',
        message: `${first.message}${broken.length > 1 ? ` (and ${broken.length - 1} more)` : ''}`,
        firstViolation: {
          node: event?.node ?? (typeof first.operation?.node === 'number' ? first.operation.node : null),
          timeNs: event?.timeNs ?? first.operation?.timeNs ?? null,
          kind: event?.kind ?? rule,
          detail: first.message,
        },
      };
    }
    if (eventCount === 0) return { name: rule, verdict: 'unknown', message: 'no node events to judge' };
    if (rule === 'NoAcknowledgedWriteLost') {
      const judged = acknowledged.length === 0 && okWrites > 0
        ? `none of the ${okWrites} acknowledged writes came with a commit offset to look for; only the logs' own consistency was judged`
        : `${acknowledged.length} acknowledged writes found committed where they were acknowledged`;
      return { name: rule, verdict: 'valid', message: `${judged}; ${scope}` };
    }
    return { name: rule, verdict: 'valid', message: `held over ${scope}` };
  });
}
