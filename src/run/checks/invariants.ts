/**
 * The Raft invariants, judged on every node's event log (the same InvariantChecker the simulator
 * runs after every event, and the same files a container leaves): one check per rule, each
 * naming its first violation. "No acknowledged write lost" joins the logs with the writes the
 * clients saw acknowledged at a commit offset (the simulator's clients see those; a Kafka client
 * does not, and the message says so).
 */
import type { AcknowledgedWrite } from '../../checker/invariants/acknowledged-writes.js';
import type { PauseInterval } from '../../checker/invariants/check-quorum.js';
import { ARMED_RULES, InvariantChecker, type SituationalRule } from '../../checker/invariants/invariant-checker.js';
import { INVARIANT_RULES, type Violation } from '../../checker/invariants/violation.js';
import type { NodeEvent } from '../../history/node-event.js';
import type { RunCheck } from '../../history/run-directory-format.js';
import type { CollectedNodeLog } from '../world.js';

/**
 * `stableLeadershipFromNs`: from then on the network stays healed, so a leader a majority settles
 * on must keep leading (StableLeadership); absent, that rule judges nothing. It is on the node
 * events' clock. `checkQuorumBoundNs`: a leader superseded by a later epoch's must stop leading
 * within it (CheckQuorum); absent, that rule judges nothing.
 */
/**
 * Visits every node's events in time order: the order of the checker's mergeByTime (ties broken
 * by stream, then by position within it) for streams that are each in time order, as every
 * node's log is, without sorting or allocating (a run has hundreds of thousands of events).
 * A stream out of order is merged all the same, its events taken as they come.
 */
export function mergeStreams(streams: readonly (readonly NodeEvent[])[], visit: (event: NodeEvent) => void): void {
  const positions = streams.map(() => 0);
  for (;;) {
    let best = -1;
    let bestTime = Infinity;
    for (let stream = 0; stream < streams.length; stream += 1) {
      const event = streams[stream]![positions[stream]!];
      if (event !== undefined && (best === -1 || event.timeNs < bestTime)) {
        best = stream;
        bestTime = event.timeNs;
      }
    }
    if (best === -1) return;
    visit(streams[best]![positions[best]!]!);
    positions[best]! += 1;
  }
}

export function checkInvariants(
  logs: readonly CollectedNodeLog[], voters: readonly number[], acknowledged: readonly AcknowledgedWrite[], okWrites: number,
  stableLeadershipFromNs?: number, checkQuorumBoundNs?: number,
): RunCheck[] {
  const judge = new InvariantsJudge(logs, voters, { stableLeadershipFromNs, checkQuorumBoundNs });
  mergeStreams(logs.map((log) => log.events), (event) => judge.observe(event));
  return judge.checks(acknowledged, okWrites);
}

export interface InvariantsJudgeOptions {
  stableLeadershipFromNs?: number | undefined;
  checkQuorumBoundNs?: number | undefined;
  /** The nodes' pauses, on the events' clock: a paused leader is judged from when it resumed (CheckQuorum). */
  checkQuorumPauses?: readonly PauseInterval[] | undefined;
  /**
   * A checker that already judged every one of these events, in the order they happened, with no
   * rule armed (the simulator's, Simulation.invariants): its verdicts are taken for every rule but
   * the armed ones, which this judge runs itself. Ignored (every rule judged here) unless it saw
   * exactly as many events as the logs hold.
   */
  live?: InvariantChecker | null;
}

/**
 * The invariant checks of a run, fed every node event once (`observe`, in mergeStreams order, so
 * the judge can share one pass over the logs with other checks), then asked for its checks.
 */
export class InvariantsJudge {
  private readonly checker: InvariantChecker | null = null;
  private readonly live: InvariantChecker | null;
  private failure: string | null = null;
  private observed = 0;

  constructor(private readonly logs: readonly CollectedNodeLog[], voters: readonly number[], options: InvariantsJudgeOptions = {}) {
    const { stableLeadershipFromNs, checkQuorumBoundNs } = options;
    const events = logs.reduce((sum, log) => sum + log.events.length, 0);
    this.live = options.live !== undefined && options.live !== null && options.live.eventsObserved === events ? options.live : null;
    try {
      // With the live checker, only the armed rules are left to judge; unarmed they judge nothing.
      const armed = ARMED_RULES.filter((rule) => rule === 'StableLeadership' ? stableLeadershipFromNs !== undefined : checkQuorumBoundNs !== undefined);
      if (this.live === null || armed.length > 0) {
        this.checker = new InvariantChecker(this.live === null ? { voters } : { voters, rules: armed });
        if (stableLeadershipFromNs !== undefined) this.checker.expectStableLeadership(stableLeadershipFromNs);
        if (checkQuorumBoundNs !== undefined) this.checker.expectCheckQuorum(checkQuorumBoundNs, options.checkQuorumPauses ?? []);
      }
    } catch (error) {
      this.failure = describeError(error);
    }
  }

  observe(event: NodeEvent): void {
    this.observed += 1;
    if (this.checker === null || this.failure !== null) return;
    try {
      this.checker.observe(event);
    } catch (error) {
      this.failure = describeError(error);
    }
  }

  /**
   * How many situations each rule that a run may leave with nothing to judge met, from the checker
   * that judged it (the live one, or this judge's own for the rules it armed); empty if the checker
   * failed. Ask after `checks`.
   */
  situations(): Partial<Record<SituationalRule, number>> {
    if (this.failure !== null) return {};
    // The live checker judged every rule but the armed ones, which this judge's own checker judges.
    const live = Object.entries(this.live?.situationsJudged() ?? {}).filter(([rule]) => !ARMED_RULES.includes(rule as SituationalRule));
    return { ...Object.fromEntries(live), ...(this.checker?.situationsJudged() ?? {}) };
  }

  checks(acknowledged: readonly AcknowledgedWrite[], okWrites: number): RunCheck[] {
    const logs = this.logs;
    let violations: Violation[] = [];
    const eventCount = this.observed;
    try {
      if (this.failure !== null) throw new Error(this.failure);
      if (this.live !== null) {
        violations = this.live.finish(acknowledged).filter((violation) => !ARMED_RULES.includes(violation.rule));
        if (this.checker !== null) violations.push(...this.checker.finish([]));
      } else if (this.checker !== null) {
        violations = this.checker.finish(acknowledged);
      }
    } catch (error) {
      const cause = describeError(error);
      return INVARIANT_RULES.map((rule) => ({ name: rule, verdict: 'unknown', message: `the invariant checker failed: ${cause}` }));
    }
    const missing = logs.filter((log) => log.missing !== null).map((log) => `node ${log.nodeId}: ${log.missing}`);
    const scope = `${eventCount} events of ${logs.length - missing.length} nodes` + (missing.length > 0 ? ` (missing: ${missing.join('; ')})` : '');
    return INVARIANT_RULES.map((rule): RunCheck => {
      const broken = violations.filter((violation) => violation.rule === rule);
      const first = broken[0];
      if (first !== undefined) {
        // The events that together break the rule come earliest first: the last one broke it.
        const event = first.events[first.events.length - 1];
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
      if (rule === 'AppliedBeforeAcknowledged' && acknowledged.length === 0) {
        return { name: rule, verdict: 'valid', message: `no acknowledged write came with a commit offset on the nodes' clock: nothing to judge; ${scope}` };
      }
      return { name: rule, verdict: 'valid', message: `held over ${scope}` };
    });
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
