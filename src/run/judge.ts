/**
 * The checks of a run, the same in both worlds: linearizability (the workload's model, per topic
 * or per key), the Raft invariants on every node's event log (where the nodes give one),
 * availability after heal (a write), every voter back in the quorum after heal, and whether the
 * run got through its phases at all. Each check is valid, invalid or unknown with its cause; a checker
 * that throws is unknown, never a crash. The run is valid only if every check is.
 */
import { combinedVerdict, type LinearizabilityResults, type RunCheck, type RunVerdict } from '../history/run-directory-format.js';
import { SIM_DRIVER_STUCK } from '../sim/sim-driver.js';
import { InvariantsJudge, mergeStreams } from './checks/invariants.js';
import { judgeObservedInvariants, type ObservedRuleJudgement } from '../checker/invariants/observed-invariants.js';
import { checkLinearizability, describeLinearizability } from './checks/linearizability.js';
import { judgeQuorumAfterHeal, type QuorumJudgement } from './checks/quorum-after-heal.js';
import { QuorumRejoinTracker } from './checks/quorum-rejoin.js';
import { linearizabilityNotJudged, situationOf } from './checks/situations.js';
import type { SituationalRule } from '../checker/invariants/invariant-checker.js';
import type { PauseInterval } from '../checker/invariants/check-quorum.js';
import type { RunRecord } from './pipeline.js';
import { leadershipSettledAtMs, nodeTimeoutMs } from './recovery.js';
import { isReadOf, writeFunctions } from './workloads.js';
import { NEMESIS_PROCESS, type Operation } from '../history/operation.js';
import type { RunOptions } from './options.js';

export interface Judgement {
  verdict: RunVerdict;
  checks: RunCheck[];
  linearizability: LinearizabilityResults | null;
  /** Every voter back in the quorum after the heal, as the node events show it. */
  quorum: QuorumJudgement['rejoin'];
  checkerMs: number;
  /** Each Raft invariant judged from outside or not, and why (systems without a node event stream). */
  observedInvariants?: ObservedRuleJudgement[];
  /**
   * Rules left out of `checks` because the run gave them nothing to judge, each with why
   * (StableLeadership when the run ended before its window; CheckQuorum in Docker; the
   * acknowledged-write rules when no write came with a commit
   * offset, as in Docker; a rule whose situation the run never met, checks/situations.ts;
   * linearizability when no operation completed ok): never counted valid.
   */
  notJudged?: { rule: string; message: string }[];
}

/**
 * For a system chosen with --system, whether an invalid history is what the system promises or a
 * bug. Where its reads are not linearizable, the history is checked again without them: if the
 * writes alone are linearizable, the reads broke it, which the system does not promise to avoid
 * (expected); if not, the writes broke it, a bug. Where its reads are linearizable, any anomaly is
 * a bug. Null when there is nothing to say (valid or unknown, or no system chosen).
 */
export function promiseNote(
  history: readonly Operation[], options: Pick<RunOptions, 'workload' | 'checkTimeLimitMs'>, linearizability: LinearizabilityResults,
): string | null {
  const { workload } = options;
  const promise = workload.promise;
  if (linearizability.verdict !== 'invalid' || promise === undefined) return null;
  if (promise.linearizableReads) return `a bug by what ${promise.subject} promises (${promise.bugs})`;
  const writes = history.filter((op) => op.process === NEMESIS_PROCESS || !isReadOf(workload.kind, op.f)).map((op, index) => ({ ...op, index }));
  const alone = checkLinearizability(writes, workload.model, options.checkTimeLimitMs);
  if (alone.verdict === 'valid') return `expected of ${promise.subject}, not a bug: ${promise.expected}; without the reads the ${alone.calls} calls are linearizable`;
  if (alone.verdict === 'invalid') {
    return `a bug by what ${promise.subject} promises (${promise.bugs}): without the reads the history is still ${describeLinearizability(alone)}`;
  }
  return `whether this is what ${promise.subject} promises is unknown: the history without its reads could not be checked (${alone.cause ?? 'no cause given'})`;
}

export function judgeRun(record: RunRecord): Judgement {
  const startedMs = performance.now();
  const checks: RunCheck[] = [runCompleted(record)];
  const notJudged: { rule: string; message: string }[] = [];
  let linearizability: LinearizabilityResults | null = null;
  try {
    linearizability = checkLinearizability(record.history, record.plan.options.workload.model, record.plan.options.checkTimeLimitMs);
    const note = promiseNote(record.history, record.plan.options, linearizability);
    const nothing = linearizability.verdict === 'valid' ? linearizabilityNotJudged(record.history) : null;
    if (nothing !== null) notJudged.push({ rule: 'linearizability', message: nothing });
    else checks.push({ name: 'linearizability', verdict: linearizability.verdict, message: describeLinearizability(linearizability) + (note === null ? '' : ` — ${note}`) });
  } catch (error) {
    checks.push({ name: 'linearizability', verdict: 'unknown', message: `the linearizability checker failed: ${describe(error)}` });
  }
  // The node events are read once, by the invariants and the quorum tracker together.
  // The rules that judge only once armed: unarmed, each is said not judged (and why), never valid.
  const window = stableLeadershipWindow(record);
  const checkQuorum = checkQuorumArming(record);
  const acknowledgedWrites = acknowledgedWritesArming(record);
  const arming: Record<string, Arming> = {
    [STABLE_LEADERSHIP]: window, [CHECK_QUORUM]: checkQuorum,
    [NO_ACKNOWLEDGED_WRITE_LOST]: acknowledgedWrites, [APPLIED_BEFORE_ACKNOWLEDGED]: acknowledgedWrites,
  };
  const nodeEvents = record.nodeEvents ? judgeNodeEvents(record, window, checkQuorum) : null;
  if (nodeEvents !== null) {
    for (const check of nodeEvents.invariants) {
      const armed = arming[check.name];
      if (armed !== undefined && 'notJudged' in armed) {
        notJudged.push({ rule: check.name, message: armed.notJudged });
        continue;
      }
      // A rule whose situation the run never met judged nothing; never hide a verdict that is not valid.
      const situation = check.verdict === 'valid' ? situationOf(check.name, nodeEvents.situations, record.plan.options.nemesis) : undefined;
      if (situation !== undefined && 'notJudged' in situation) {
        notJudged.push({ rule: check.name, message: situation.notJudged });
        continue;
      }
      const notes = check.verdict === 'valid' ? [armed?.judged ?? '', situation?.judged ?? ''].filter((note) => note !== '') : [];
      checks.push(notes.length === 0 ? check : { ...check, message: `${check.message}; ${notes.join('; ')}` });
    }
  }
  let observedInvariants: ObservedRuleJudgement[] | undefined;
  if (!record.nodeEvents && record.observed !== null) {
    try {
      observedInvariants = judgeObservedInvariants(record.observed.sources, record.plan.topology.controllers, record.observed.notJudged);
      checks.push(...observedInvariants.flatMap((judged) => observedCheck(judged)));
    } catch (error) {
      checks.push({ name: 'invariants', verdict: 'unknown', message: `the invariants judged from outside could not be: ${describe(error)}` });
    }
  }
  checks.push(availability(record));
  let quorum: QuorumJudgement['rejoin'] = null;
  // Judged on the node events, like the invariants: left out where the nodes give none.
  if (nodeEvents !== null) {
    checks.push(nodeEvents.quorum.check);
    quorum = nodeEvents.quorum.rejoin;
  }
  return {
    verdict: combinedVerdict(checks), checks, linearizability, quorum, checkerMs: performance.now() - startedMs,
    ...(observedInvariants === undefined ? {} : { observedInvariants }),
    ...(notJudged.length === 0 ? {} : { notJudged }),
  };
}

/**
 * The invariants and the quorum check, in one pass over every node's events (mergeStreams order).
 * Where the world judged the invariants as the events happened (the simulator), its verdicts are
 * taken and only the rules armed after the run are judged here.
 */
function judgeNodeEvents(
  record: RunRecord, window: StableLeadershipWindow, checkQuorum: CheckQuorumArming,
): { invariants: RunCheck[]; situations: Partial<Record<SituationalRule, number>>; quorum: QuorumJudgement } {
  const okWrites = acknowledgedOkWrites(record);
  const invariants = new InvariantsJudge(record.nodeLogs, record.plan.topology.controllers, {
    stableLeadershipFromNs: 'fromNs' in window ? window.fromNs : undefined, checkQuorumBoundNs: 'boundNs' in checkQuorum ? checkQuorum.boundNs : undefined,
    checkQuorumPauses: pauseIntervals(record), live: record.liveInvariants,
  });
  let tracker = record.recovery === null ? null : new QuorumRejoinTracker(record.recovery.healedAtMs);
  let trackerFailure: unknown = null;
  mergeStreams(record.nodeLogs.map((log) => log.events), (event) => {
    invariants.observe(event);
    if (tracker === null) return;
    try {
      tracker.observe(event);
    } catch (error) {
      trackerFailure = error;
      tracker = null;
    }
  });
  let quorum: QuorumJudgement;
  try {
    if (trackerFailure !== null) throw trackerFailure;
    quorum = judgeQuorumAfterHeal(record.recovery, record.nodeLogs, tracker);
  } catch (error) {
    quorum = { check: { name: 'quorum-after-heal', verdict: 'unknown', message: `the quorum check failed: ${describe(error)}` }, rejoin: null };
  }
  const checks = invariants.checks(record.acknowledged, okWrites);
  return { invariants: checks, situations: invariants.situations(), quorum };
}

const STABLE_LEADERSHIP = 'StableLeadership';
const CHECK_QUORUM = 'CheckQuorum';

const NO_ACKNOWLEDGED_WRITE_LOST = 'NoAcknowledgedWriteLost';
const APPLIED_BEFORE_ACKNOWLEDGED = 'AppliedBeforeAcknowledged';

/** How an armed rule was armed (`judged`: what it covered, added to a valid check's message), or why not. */
type Arming = { judged: string } | { notJudged: string };

/** The writes the clients saw acknowledged (ok), with or without a commit offset. */
function acknowledgedOkWrites(record: RunRecord): number {
  const writes = writeFunctions(record.plan.options.workload.kind);
  return record.history.filter((op) => op.type === 'ok' && writes.has(op.f)).length;
}

/**
 * NoAcknowledgedWriteLost and AppliedBeforeAcknowledged look for each write acknowledged at a
 * commit offset in the node logs: with none (a Kafka client is not told where its write was
 * committed, so in Docker never), they have nothing to judge, and say so.
 */
function acknowledgedWritesArming(record: RunRecord): Arming {
  if (record.acknowledged.length > 0) return { judged: '' };
  const okWrites = acknowledgedOkWrites(record);
  if (okWrites === 0) return { notJudged: 'not judged: no write was acknowledged, so there is none to look for in the node logs' };
  return {
    notJudged: `not judged: none of the ${okWrites} acknowledged writes came with the commit offset it was acknowledged at` +
      (record.plan.options.env === 'docker' ? ' (a Kafka client is not told where its write was committed)' : '') +
      ', so there is none to look for in the node logs',
  };
}

/**
 * StableLeadership's window: from when leadership must have settled after the heal, once restarted
 * nodes are back and followers had time to notice it (leadershipSettledAtMs), until the run stopped
 * watching (recovery.quorum.watchedUntilMs). Both worlds' node events are on the world's clock.
 * Without a window the rule is not judged, and says why: a rule that watched nothing is not valid.
 * Not in Docker after clock faults: the heal moves every skewed node's clock back at once, which
 * the window is not derived for.
 */
type StableLeadershipWindow = { fromNs: number; judged: string } | { notJudged: string };

function stableLeadershipWindow(record: RunRecord): StableLeadershipWindow {
  const options = record.plan.options;
  const recovery = record.recovery;
  if (recovery === null) return { notJudged: 'not judged: the run stopped before its recovery phase' };
  if (options.env === 'docker' && options.nemesis.includes('clock')) {
    return { notJudged: 'not judged after clock faults in Docker: the heal moves every skewed clock back at once, which its window is not derived for' };
  }
  const settledAtMs = leadershipSettledAtMs(options.nodeConfig, recovery.healedAtMs, recovery.restartAllowanceMs);
  const fromS = seconds(settledAtMs - recovery.healedAtMs);
  const watchedS = seconds(recovery.quorum.watchedUntilMs - recovery.healedAtMs);
  if (recovery.quorum.watchedUntilMs <= settledAtMs) {
    return {
      notJudged: `not judged: the run watched the healed cluster for ${watchedS} s, and leadership is judged only from ${fromS} s ` +
        `after the heal, when it must have settled (--watch-after-heal ${Math.ceil(Number(fromS)) + STABLE_LEADERSHIP_SUGGESTED_S} judges ${STABLE_LEADERSHIP_SUGGESTED_S} s of it)`,
    };
  }
  return { fromNs: Math.round(settledAtMs * 1e6), judged: `judged from ${fromS} s after the heal, when leadership must have settled, until ${watchedS} s` };
}

/** The window --watch-after-heal is suggested to give StableLeadership when a run watched too little (seconds). */
const STABLE_LEADERSHIP_SUGGESTED_S = 10;

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** A leader resigns this many fetch timeouts after it last heard from a majority (core's CHECK_QUORUM_FETCH_TIMEOUTS). */
const CHECK_QUORUM_FETCH_TIMEOUTS = 1.5;

/**
 * No fault disarms CheckQuorum in the simulator. Membership faults: a voter set changes one voter
 * at a time, so a majority of the set the new leader was elected by and one of the old leader's set
 * share a voter, who stops fetching from the old leader once it votes, and the old leader loses its
 * majority as with a fixed set (1,200 seeds with membership faults armed stayed valid;
 * check-quorum-off is caught there: check-quorum-arming.test.ts). Pauses: judged from the resume
 * (pauseIntervals). Clock faults: the bound is the leader's own check-quorum deadline, counted on
 * its own clock, and a simulated node's clock is monotonic and only ever steps forward
 * (sim/sim-node.ts: a bump or skew forward jumps it ahead, a step back is ignored, a strobe leaps
 * ahead every other period). So between any two events a node's own clock advances at least as
 * much as the events' clock: its rate against the events' clock is never below 1, and a deadline
 * D of its own time falls at most D after it was set on the events' clock. The bound derived in the
 * leader's time therefore holds on the events' clock with nothing added; a forward step only makes
 * the leader resign sooner (and its followers stand sooner, which the bound, counted from the
 * later leader's election, does not depend on). A clock that could run slow would need the bound
 * divided by its slowest rate; Docker's clocks are not judged at all (checkQuorumArming).
 */
const CLOCK_FAULTS_NOTE = 'with clock faults too: a simulated node\'s clock only steps forward, so its check-quorum deadline ' +
  'falls no later on the events\' clock';

type CheckQuorumArming = { boundNs: number; judged: string } | { notJudged: string };

/**
 * Every pause fault's nodes and times, on the events' clock: a paused leader cannot resign while
 * it is stopped, so CheckQuorum judges it from when it resumed (a pause not ended: never).
 */
function pauseIntervals(record: RunRecord): PauseInterval[] {
  return record.resolved.flatMap((fault) => {
    // A kill behind a paused leader pauses the leader, not its targets.
    const paused = fault.action.kind === 'pause' ? fault.nodes : fault.pausedLeader === undefined ? [] : [fault.pausedLeader];
    return paused.map((node) => ({
      node, fromNs: Math.round(fault.startedAtMs * 1e6), toNs: fault.endedAtMs === null ? Infinity : Math.round(fault.endedAtMs * 1e6),
    }));
  });
}

/**
 * The CheckQuorum bound: check-quorum's fetch timeouts, plus one more for followers to leave the
 * old leader. Only in the simulator (one clock for the events, node clocks that never run slow:
 * see above); in Docker the rule is not judged, and says why.
 */
function checkQuorumArming(record: RunRecord): CheckQuorumArming {
  const options = record.plan.options;
  if (options.env !== 'sim') {
    return {
      notJudged: 'not judged in Docker: it compares one node\'s event times with another\'s against the check-quorum bound, ' +
        'which needs the simulator\'s single clock, where no process stands still',
    };
  }
  const fetchTimeoutMs = nodeTimeoutMs(options.nodeConfig, 'controller.quorum.fetch.timeout.ms');
  const boundMs = (CHECK_QUORUM_FETCH_TIMEOUTS + 1) * fetchTimeoutMs;
  return {
    boundNs: Math.round(boundMs * 1e6),
    judged: `judged over the whole run: every leader superseded by a later epoch's stopped leading within ${seconds(boundMs)} s ` +
      `(check-quorum's ${CHECK_QUORUM_FETCH_TIMEOUTS} fetch timeouts of ${seconds(fetchTimeoutMs)} s, plus one for its followers to leave` +
      `${options.nemesis.includes('clock') ? `; ${CLOCK_FAULTS_NOTE}` : ''})`,
  };
}

/** A rule judged from outside as a check; one not judged is no check (results.json's observedInvariants says why). */
function observedCheck(judged: ObservedRuleJudgement): RunCheck[] {
  if (!judged.judged || judged.verdict === null) return [];
  const check: RunCheck = { name: judged.rule, verdict: judged.verdict, message: `judged from outside: ${judged.message}` };
  const event = judged.violation?.events.at(-1);
  if (judged.violation !== undefined) {
    check.firstViolation = { node: event?.node ?? null, timeNs: event?.timeNs ?? null, kind: event?.kind ?? judged.rule, detail: judged.violation.message };
  }
  return [check];
}

function runCompleted(record: RunRecord): RunCheck {
  if (record.halted === null) {
    return { name: 'run', verdict: 'valid', message: `setup, ${record.plan.options.timeLimitMs / 1000} s of faults and recovery ran to the end` };
  }
  // A driver stuck on a wait no event ends is a bug of the pipeline, not a verdict on the system.
  const verdict: RunVerdict = record.halted.startsWith(SIM_DRIVER_STUCK) ? 'unknown' : 'invalid';
  return { name: 'run', verdict, message: `the run stopped early: ${record.halted}` };
}

function availability(record: RunRecord): RunCheck {
  const recovery = record.recovery;
  if (recovery === null) {
    return { name: 'availability-after-heal', verdict: 'unknown', message: 'the run stopped before its recovery phase' };
  }
  if (!recovery.ok) {
    return {
      name: 'availability-after-heal', verdict: 'invalid', message: recovery.message,
      firstViolation: { node: null, timeNs: Math.round((recovery.healedAtMs + recovery.boundMs) * 1e6), kind: 'no write acknowledged', detail: recovery.message },
    };
  }
  return { name: 'availability-after-heal', verdict: 'valid', message: recovery.message };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
