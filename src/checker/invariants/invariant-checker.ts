/**
 * The one judge of node event streams, simulated or real. Feed it events in the order they
 * happened with `observe` (the simulator does so after every event); at the end, `finish` with the
 * writes clients saw acknowledged. Each rule keeps small maps, so an event costs O(1)-ish.
 */
import { NODE_EVENT_KINDS, type NodeEvent, type NodeEventKind } from '../../history/node-event.js';
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
  private readonly voterSets: VoterSetTracker;
  /** Nodes with any event (AppliedBeforeAcknowledged judges only nodes that were watched). */
  private readonly nodesSeen = new Set<number>();
  /** The same nodes by id, read before the set is written: an array read costs an event less than a Set.add. */
  private readonly nodeSeenById: boolean[] = [];
  // The rules, in the order `observe` asks them (and so the order of the violations one event causes).
  private readonly singleLeader = new SingleLeaderRule();
  private readonly singleVote = new SingleVoteRule();
  private readonly monotonicEpoch = new MonotonicEpochRule();
  private readonly monotonicHighWatermark = new MonotonicHighWatermarkRule();
  private readonly majorityReachedHighWatermark: MajorityReachedHighWatermarkRule;
  private readonly uncommittedVoterSet: AtMostOneUncommittedVoterSetRule;
  private readonly snapshotAtLogStart = new SnapshotAtLogStartRule();
  private readonly leaderNeverLoadSnapshot = new LeaderNeverLoadSnapshotRule();
  private readonly leaderCommitsOwnEpoch = new LeaderCommitsOwnEpochRule();
  private readonly checkQuorum = new CheckQuorumRule();
  private readonly stableLeadership: StableLeadershipRule;
  private readonly committed = new ConsistentCommittedDataRule();
  private readonly appliedBeforeAcknowledged = new AppliedBeforeAcknowledgedRule(this.nodesSeen);
  /** The judged rules, in that order. */
  private readonly rules: EventRule[];
  /** Each rule's kinds as a mask of kindBit (0: not judged), by rule name. */
  private readonly kindMasks: Record<InvariantRule, number>;
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
    this.majorityReachedHighWatermark = new MajorityReachedHighWatermarkRule(options.voters, this.voterSets);
    this.uncommittedVoterSet = new AtMostOneUncommittedVoterSetRule(this.voterSets);
    const rules: EventRule[] = [
      this.singleLeader, this.singleVote, this.monotonicEpoch, this.monotonicHighWatermark, this.majorityReachedHighWatermark,
      this.uncommittedVoterSet, this.snapshotAtLogStart, this.leaderNeverLoadSnapshot, this.leaderCommitsOwnEpoch,
      this.checkQuorum, this.stableLeadership, this.committed, this.appliedBeforeAcknowledged,
    ];
    this.rules = rules.filter((rule) => this.judged.has(rule.rule));
    const kindMasks = Object.fromEntries(INVARIANT_RULES.map((rule) => [rule, 0])) as Record<InvariantRule, number>;
    for (const rule of this.rules) kindMasks[rule.rule] = kindMaskOf(rule.kinds);
    this.kindMasks = kindMasks;
    this.violationsMax = options.violationsMax ?? 100;
  }

  /**
   * Judge one event; returns the violations it caused (usually none). A rule is asked only about
   * the kinds it reads, and each rule has a call of its own: a loop over the rules made one call
   * site of thirteen classes, which V8 can neither inline nor predict, run for every event.
   */
  observe(event: NodeEvent): Violation[] {
    this.eventCount += 1;
    if (this.nodeSeenById[event.node] !== true) this.noteNode(event.node);
    if (event.kind === 'replica-started' && event.directoryId !== undefined) this.noteDirectory(event.node, event.directoryId);
    if (this.tracksVoterSets) this.voterSets.observe(event);
    const bit = kindBit(event.kind);
    const masks = this.kindMasks;
    let caused: Violation[] | null = null;
    if ((masks.SingleLeader & bit) !== 0) caused = noted(caused, this.singleLeader.observe(event));
    if ((masks.SingleVote & bit) !== 0) caused = noted(caused, this.singleVote.observe(event));
    if ((masks.MonotonicEpoch & bit) !== 0) caused = noted(caused, this.monotonicEpoch.observe(event));
    if ((masks.MonotonicHighWatermark & bit) !== 0) caused = noted(caused, this.monotonicHighWatermark.observe(event));
    if ((masks.MajorityReachedHighWatermark & bit) !== 0) caused = noted(caused, this.majorityReachedHighWatermark.observe(event));
    if ((masks.AtMostOneUncommittedVoterSet & bit) !== 0) caused = noted(caused, this.uncommittedVoterSet.observe(event));
    if ((masks.SnapshotAtLogStart & bit) !== 0) caused = noted(caused, this.snapshotAtLogStart.observe(event));
    if ((masks.LeaderNeverLoadSnapshot & bit) !== 0) caused = noted(caused, this.leaderNeverLoadSnapshot.observe(event));
    if ((masks.LeaderCommitsOwnEpoch & bit) !== 0) caused = noted(caused, this.leaderCommitsOwnEpoch.observe(event));
    if ((masks.CheckQuorum & bit) !== 0) caused = noted(caused, this.checkQuorum.observe(event));
    if ((masks.StableLeadership & bit) !== 0) caused = noted(caused, this.stableLeadership.observe(event));
    if ((masks.ConsistentCommittedData & bit) !== 0) caused = noted(caused, this.committed.observe(event));
    if ((masks.AppliedBeforeAcknowledged & bit) !== 0) caused = noted(caused, this.appliedBeforeAcknowledged.observe(event));
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
    if (this.judged.has('NoAcknowledgedWriteLost')) this.record(checkAcknowledgedWrites(acknowledgedWrites, (offset) => this.committed.firstCommitted(offset)));
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

  private noteNode(node: number): void {
    this.nodeSeenById[node] = true;
    this.nodesSeen.add(node);
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

/** Each event kind's bit in a rule's mask of kinds; a kind not in the list has a bit of its own, OTHER_KIND_BIT. */
const KIND_BITS = new Map<string, number>(NODE_EVENT_KINDS.map((kind, index) => [kind, 1 << index]));
const OTHER_KIND_BIT = 1 << NODE_EVENT_KINDS.length;
/** The mask of a rule that reads every kind (no `kinds`): every bit. */
const EVERY_KIND = -1;

/**
 * KIND_BITS.get(kind), with the kinds of most events (committed, log-flushed, high-watermark,
 * snapshot: 98% of a simulated run's) answered by a switch first: asked for every event, the Map
 * lookup of a string was a fifth of the checker's own time. Any other kind is looked up.
 */
function kindBit(kind: string): number {
  switch (kind) {
    case 'committed': return COMMITTED_BIT;
    case 'log-flushed': return LOG_FLUSHED_BIT;
    case 'high-watermark': return HIGH_WATERMARK_BIT;
    case 'snapshot': return SNAPSHOT_BIT;
    default: return KIND_BITS.get(kind) ?? OTHER_KIND_BIT;
  }
}

const COMMITTED_BIT = KIND_BITS.get('committed')!;
const LOG_FLUSHED_BIT = KIND_BITS.get('log-flushed')!;
const HIGH_WATERMARK_BIT = KIND_BITS.get('high-watermark')!;
const SNAPSHOT_BIT = KIND_BITS.get('snapshot')!;

/** The mask of the kinds a rule reads (EventRule.kinds; absent: every kind), as `observe` tests it. */
export function kindMaskOf(kinds: readonly NodeEventKind[] | undefined): number {
  return kinds === undefined ? EVERY_KIND : kinds.reduce((mask, kind) => mask | kindBit(kind), 0);
}

/** `caused` with `violation` added, if there is one. */
function noted(caused: Violation[] | null, violation: Violation | null): Violation[] | null {
  if (violation === null) return caused;
  if (caused === null) return [violation];
  caused.push(violation);
  return caused;
}
