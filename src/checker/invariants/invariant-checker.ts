/**
 * The one judge of node event streams, simulated or real. Feed it events in the order they
 * happened with `observe` (the simulator does so after every event); at the end, `finish` with the
 * writes clients saw acknowledged. Each rule keeps small maps, so an event costs O(1)-ish.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import { checkAcknowledgedWrites, type AcknowledgedWrite } from './acknowledged-writes.js';
import { AppliedBeforeAcknowledgedRule } from './applied-before-acknowledged.js';
import { CheckQuorumRule, type PauseInterval } from './check-quorum.js';
import { LeaderCommitsOwnEpochRule } from './leader-commits-own-epoch.js';
import { ConsistentCommittedDataRule } from './consistent-committed-data.js';
import { AtMostOneUncommittedVoterSetRule } from './at-most-one-uncommitted-voter-set.js';
import { LeaderNeverLoadSnapshotRule } from './leader-never-load-snapshot.js';
import { MajorityReachedHighWatermarkRule } from './majority-reached-high-watermark.js';
import { MonotonicEpochRule } from './monotonic-epoch.js';
import { MonotonicHighWatermarkRule } from './monotonic-high-watermark.js';
import { SingleLeaderRule } from './single-leader.js';
import { SingleVoteRule } from './single-vote.js';
import { SnapshotAtLogStartRule } from './snapshot-at-log-start.js';
import { StableLeadershipRule } from './stable-leadership.js';
import { INVARIANT_RULES, type EventRule, type InvariantRule, type Violation } from './violation.js';
import { VoterSetTracker } from './voter-set-tracker.js';

export interface InvariantCheckerOptions {
  /** The initial voter ids: majorities are counted over these until a node writes a voter set (KIP-853). */
  voters: readonly number[];
  /** Stop recording after this many violations; one broken rule tends to break others after it. */
  violationsMax?: number;
  /**
   * Judge only these rules (default every one). A judge that already has the other rules' verdicts
   * over the same events (the simulator's checker, which saw every event as it happened) runs only
   * the rules it arms itself (ARMED_RULES).
   */
  rules?: readonly InvariantRule[];
}

/**
 * The rules that judge nothing until armed (expectStableLeadership, expectCheckQuorum): the run's
 * judge arms them once the run is over, so a checker that watched the run unarmed (the
 * simulator's) has every verdict but theirs.
 */
export const ARMED_RULES: readonly InvariantRule[] = ['CheckQuorum', 'StableLeadership'];

/** The rules that judge only a situation a run may never meet (InvariantChecker.situationsJudged). */
export const SITUATIONAL_RULES = ['CheckQuorum', 'StableLeadership', 'AtMostOneUncommittedVoterSet', 'SnapshotAtLogStart', 'LeaderNeverLoadSnapshot'] as const;
export type SituationalRule = (typeof SITUATIONAL_RULES)[number];

/** The rules that read the voter sets the checker tracks. */
const VOTER_SET_RULES: readonly InvariantRule[] = ['MajorityReachedHighWatermark', 'AtMostOneUncommittedVoterSet'];

export class InvariantChecker {
  private readonly committed = new ConsistentCommittedDataRule();
  private readonly voterSets: VoterSetTracker;
  private readonly stableLeadership: StableLeadershipRule;
  /** Nodes with any event (AppliedBeforeAcknowledged judges only nodes that were watched). */
  private readonly nodesSeen = new Set<number>();
  private readonly appliedBeforeAcknowledged = new AppliedBeforeAcknowledgedRule(this.nodesSeen);
  private readonly checkQuorum = new CheckQuorumRule();
  private readonly uncommittedVoterSet: AtMostOneUncommittedVoterSetRule;
  private readonly snapshotAtLogStart = new SnapshotAtLogStartRule();
  private readonly leaderNeverLoadSnapshot = new LeaderNeverLoadSnapshotRule();
  private readonly rules: EventRule[];
  /** The rules that read each event kind, in `rules` order (so violations come in the same order). */
  private readonly rulesByKind = new Map<NodeEventKind, EventRule[]>();
  private readonly found: Violation[] = [];
  /** Each node's directory id, once it said (kraft.version 1): another one means a replaced disk. */
  private readonly directoryByNode = new Map<number, string>();
  private readonly violationsMax: number;
  private readonly judged: ReadonlySet<InvariantRule>;
  /** Whether a judged rule reads the voter sets (else they are not tracked). */
  private readonly tracksVoterSets: boolean;
  private eventCount = 0;

  constructor(options: InvariantCheckerOptions) {
    this.voterSets = new VoterSetTracker(options.voters);
    this.stableLeadership = new StableLeadershipRule(options.voters);
    this.judged = new Set(options.rules ?? INVARIANT_RULES);
    for (const rule of this.judged) if (!INVARIANT_RULES.includes(rule)) throw new RangeError(`unknown invariant rule '${String(rule)}'`);
    // The acknowledged writes are looked for in what ConsistentCommittedData saw committed.
    if (this.judged.has('NoAcknowledgedWriteLost') && !this.judged.has('ConsistentCommittedData')) {
      throw new RangeError('NoAcknowledgedWriteLost is judged on what ConsistentCommittedData saw committed: judge both or neither');
    }
    this.tracksVoterSets = VOTER_SET_RULES.some((rule) => this.judged.has(rule));
    this.uncommittedVoterSet = new AtMostOneUncommittedVoterSetRule(this.voterSets);
    const rules: EventRule[] = [
      new SingleLeaderRule(),
      new SingleVoteRule(),
      new MonotonicEpochRule(),
      new MonotonicHighWatermarkRule(),
      new MajorityReachedHighWatermarkRule(options.voters, this.voterSets),
      this.uncommittedVoterSet,
      this.snapshotAtLogStart,
      this.leaderNeverLoadSnapshot,
      new LeaderCommitsOwnEpochRule(),
      this.checkQuorum,
      this.stableLeadership,
      this.committed,
      this.appliedBeforeAcknowledged,
    ];
    this.rules = rules.filter((rule) => this.judged.has(rule.rule));
    this.violationsMax = options.violationsMax ?? 100;
  }

  /** Judge one event; returns the violations it caused (usually none). */
  observe(event: NodeEvent): Violation[] {
    this.eventCount += 1;
    this.nodesSeen.add(event.node);
    if (event.kind === 'replica-started' && event.directoryId !== undefined) this.noteDirectory(event.node, event.directoryId);
    if (this.tracksVoterSets) this.voterSets.observe(event);
    let caused: Violation[] | null = null;
    const rules = this.rulesByKind.get(event.kind) ?? this.rulesFor(event.kind);
    for (const rule of rules) {
      const violation = rule.observe(event);
      if (violation !== null) (caused ??= []).push(violation);
    }
    if (caused === null) return NONE;
    this.record(caused);
    return caused;
  }

  /**
   * From `timeNs` on the network will not change (every fault healed, or a partition held fixed
   * that leaves a leader a majority): once a majority follows one leader, it must keep leading
   * (StableLeadership).
   */
  expectStableLeadership(timeNs: number): void {
    this.stableLeadership.expectFrom(timeNs);
  }

  /**
   * Every node is on one clock (no clock steps): a leader superseded by a later epoch's leader
   * must stop leading within `boundNs` (CheckQuorum), or within it of resuming if it was paused.
   */
  expectCheckQuorum(boundNs: number, pauses: readonly PauseInterval[] = []): void {
    this.checkQuorum.expectWithin(boundNs, pauses);
  }

  /** End of the stream: judge the acknowledged writes; returns every violation found in the run. */
  finish(acknowledgedWrites: readonly AcknowledgedWrite[]): Violation[] {
    if (this.judged.has('NoAcknowledgedWriteLost')) this.record(checkAcknowledgedWrites(acknowledgedWrites, this.committed.firstCommitted));
    if (this.judged.has('AppliedBeforeAcknowledged')) this.record(this.appliedBeforeAcknowledged.judge(acknowledgedWrites));
    return [...this.found];
  }

  /**
   * For each rule it judges that a run can leave with nothing to judge (SITUATIONAL_RULES), how
   * many of its situations it met: leaderships superseded while held (CheckQuorum), leaderships
   * settled in the armed window (StableLeadership), voter changes
   * uncommitted in a leader's log (AtMostOneUncommittedVoterSet), snapshots held
   * (SnapshotAtLogStart), snapshots loaded (LeaderNeverLoadSnapshot). A rule that met none judged
   * nothing and must not be called valid.
   */
  situationsJudged(): Partial<Record<SituationalRule, number>> {
    const counts: Record<SituationalRule, number> = {
      CheckQuorum: this.checkQuorum.judged,
      StableLeadership: this.stableLeadership.judged,
      AtMostOneUncommittedVoterSet: this.uncommittedVoterSet.judged,
      SnapshotAtLogStart: this.snapshotAtLogStart.judged,
      LeaderNeverLoadSnapshot: this.leaderNeverLoadSnapshot.judged,
    };
    return Object.fromEntries(SITUATIONAL_RULES.filter((rule) => this.judged.has(rule)).map((rule) => [rule, counts[rule]]));
  }

  get violations(): readonly Violation[] {
    return this.found;
  }

  get eventsObserved(): number {
    return this.eventCount;
  }

  private rulesFor(kind: NodeEventKind): EventRule[] {
    const rules = this.rules.filter((rule) => rule.kinds === undefined || rule.kinds.includes(kind));
    this.rulesByKind.set(kind, rules);
    return rules;
  }

  private noteDirectory(node: number, directoryId: string): void {
    const known = this.directoryByNode.get(node);
    this.directoryByNode.set(node, directoryId);
    if (known === undefined || known === directoryId) return;
    if (this.tracksVoterSets) this.voterSets.forgetReplica(node);
    for (const rule of this.rules) rule.forgetReplica?.(node);
  }

  private record(violations: Violation[]): void {
    for (const violation of violations) {
      if (this.found.length < this.violationsMax) this.found.push(violation);
    }
  }
}

const NONE: Violation[] = [];
