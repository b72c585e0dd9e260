/**
 * The KRaft-style consensus of one node: elections with pre-vote (KIP-595, KIP-996), pull-based
 * replication with divergence truncation, the high watermark, check-quorum, snapshots (KIP-630)
 * and read-index reads. Pure: time comes in as `nowMs` on every call, randomness through a
 * RandomSource, messages go out through an Outbox, and the host persists what the outbox says
 * before it sends anything (host-interface.ts lists the host's duties).
 *
 * One `step` deals with the epoch first and then hands each message to the handler for the node's
 * role, as etcd's raft does. The states are KRaft's: Unattached (with or without a vote),
 * Prospective (pre-vote), Candidate, Leader, Follower, Resigned. Observers (nodes outside the voter
 * set, i.e. brokers) fetch like followers but never vote or stand.
 *
 * Why each rule:
 * - A node persists its epoch and vote before it sends a vote or a request that depends on them
 *   (the outbox marks them `mustSync`), so a crash can never make it vote twice in one epoch.
 * - Pre-vote asks for votes without raising the epoch; a voter that still fetches from a live
 *   leader refuses, so a node cut off from the leader cannot disrupt a healthy quorum.
 * - The leader answers a fetch whose last fetched epoch disagrees with its own log with a
 *   DivergingEpoch, and the follower truncates its uncommitted tail to where the logs agree.
 * - A leader that has not heard a fetch from a majority within 1.5 × fetch timeout resigns
 *   (check-quorum), so a partitioned leader stops answering reads and writes.
 */
import type { LogEntry, RandomSource, SnapshotData } from '../host-interface.js';
import type { RaftStateName } from '../../history/node-event.js';
import { assert } from '../assert.js';
import { LeaderState } from './leader-state.js';
import type {
  BeginQuorumEpochRequest, EndQuorumEpochRequest, FetchRequest, FetchResponse, FetchSnapshotRequest,
  FetchSnapshotResponse, RaftErrorName, RaftMessage, ReadIndexRequest, ReadIndexResponse,
  VoteRequest, VoteResponse,
} from './messages.js';
import type { Outbox } from './outbox.js';
import { majorityOf, type RaftConfig } from './raft-config.js';
import { RaftLog } from './raft-log.js';

/** What consensus needs from the replicated state machine above it. */
export interface RaftStateMachine<R> {
  /** Each committed entry, once, in offset order. */
  applyCommitted(entry: LogEntry<R>): void;
  /** Replace the whole state with a snapshot (fetched from the leader). */
  restoreSnapshot(snapshot: SnapshotData<R>): void;
  /** The record a new leader appends first; committing it commits the epoch. */
  epochStartRecord(epoch: number, leaderId: number): R;
  /** A digest of a record, compared across nodes by ConsistentCommittedData. */
  digest(record: R): string;
  /** This node became leader (true) or stopped being leader (false) in `epoch`. */
  onLeadershipChange(isLeader: boolean, epoch: number): void;
  /** The answer to `requestReadIndex`. */
  onReadIndex(readId: number, result: { readIndex: number } | { error: RaftErrorName }): void;
}

export interface RaftRecoveredState<R> {
  epoch: number;
  votedFor: number | null;
  leaderId: number | null;
  log: RaftLog<R>;
  snapshot: SnapshotData<R> | null;
}

interface RemoteRead {
  readId: number;
  deadlineMs: number;
}

const BEGIN_EPOCH_RETRY_MS_MAX = 200;

export class RaftNode<R> {
  readonly log: RaftLog<R>;
  private role: RaftStateName = 'unattached';
  private epochValue: number;
  private votedForValue: number | null;
  private leaderIdValue: number | null;
  private highWatermarkValue: number;
  private appliedOffset: number;
  private latestSnapshot: SnapshotData<R> | null;

  /** Unattached, Prospective, Candidate, Resigned: when to start (or retry) an election. */
  private electionDeadlineMs = Infinity;
  /** Follower: when the leader counts as lost; observers look for another voter then. */
  private fetchDeadlineMs = Infinity;
  private lastFetchSuccessMs = -Infinity;
  /** The host reported the leader unreachable, or the leader resigned: grant pre-votes again. */
  private leaderLost = false;
  private votesGranted = new Set<number>();
  private votesRejected = new Set<number>();
  /** The current round's vote request, sent again to voters that have not answered. */
  private voteRequest: VoteRequest | null = null;
  private voteRetryAtMs = Infinity;

  private nextFetchId = 1;
  private inflightFetch: { fetchId: number; sentMs: number; to: number } | null = null;
  private inflightSnapshotFetch: { sentMs: number; to: number } | null = null;
  private nextFetchAttemptMs = Infinity;
  private readRoundSeen = 0;
  private readonly remoteReads = new Map<number, RemoteRead>();

  private leader: LeaderState | null = null;
  private pendingProposals: R[] = [];
  private lingerDeadlineMs = Infinity;

  private nowMs: number;

  constructor(
    private readonly config: RaftConfig,
    recovered: RaftRecoveredState<R>,
    private readonly random: RandomSource,
    private readonly outbox: Outbox<R>,
    private readonly stateMachine: RaftStateMachine<R>,
    nowMs: number,
    restarted: boolean,
  ) {
    this.nowMs = nowMs;
    this.log = recovered.log;
    this.epochValue = recovered.epoch;
    this.votedForValue = recovered.votedFor;
    this.leaderIdValue = recovered.leaderId;
    this.latestSnapshot = recovered.snapshot;
    // The high watermark is volatile: after a restart it is only known to cover the snapshot.
    this.highWatermarkValue = recovered.snapshot?.endOffset ?? 0;
    this.appliedOffset = this.highWatermarkValue;
    if (recovered.snapshot !== null) this.stateMachine.restoreSnapshot(recovered.snapshot);
    if (restarted) this.outbox.event({ kind: 'restarted', epoch: this.epochValue, highWatermark: this.highWatermarkValue });
    this.outbox.event({ kind: 'log-flushed', epoch: this.epochValue, offset: this.log.endOffset, recordEpoch: this.log.lastEpoch });
    this.enterRecoveredState();
  }

  // ---------------------------------------------------------------- public surface

  get epoch(): number { return this.epochValue; }
  get leaderId(): number | null { return this.leaderIdValue; }
  get state(): RaftStateName { return this.role; }
  get highWatermark(): number { return this.highWatermarkValue; }
  get isVoter(): boolean { return this.config.voters.includes(this.config.nodeId); }
  get isLeader(): boolean { return this.role === 'leader'; }
  get snapshot(): SnapshotData<R> | null { return this.latestSnapshot; }
  get leaderState(): LeaderState | null { return this.leader; }
  /** Where the next proposal will land (proposals wait out the append linger before the log has them). */
  get nextProposalOffset(): number { return this.log.endOffset + this.pendingProposals.length; }

  /** Whether the leader has committed a record of its own epoch (it may answer reads then). */
  get leaderEpochCommitted(): boolean {
    return this.leader !== null && this.highWatermarkValue > this.leader.epochStartOffset;
  }

  tick(nowMs: number): void {
    this.advanceClock(nowMs);
    this.expireRemoteReads();
    switch (this.role) {
      case 'leader': return this.tickLeader();
      case 'follower': return this.tickFollower();
      default: return this.tickElection();
    }
  }

  step(from: number, message: RaftMessage, nowMs: number): void {
    this.advanceClock(nowMs);
    switch (message.type) {
      case 'vote-request': return this.onVoteRequest(from, message);
      case 'vote-response': return this.onVoteResponse(from, message);
      case 'begin-quorum-epoch': return this.onBeginQuorumEpoch(from, message);
      case 'end-quorum-epoch': return this.onEndQuorumEpoch(from, message);
      case 'fetch': return this.onFetch(from, message);
      case 'fetch-response': return this.onFetchResponse(from, message);
      case 'fetch-snapshot': return this.onFetchSnapshot(from, message);
      case 'fetch-snapshot-response': return this.onFetchSnapshotResponse(from, message);
      case 'read-index': return this.onReadIndexRequest(from, message);
      case 'read-index-response': return this.onReadIndexResponse(message);
      case 'begin-quorum-epoch-response':
      case 'end-quorum-epoch-response':
        this.observeEpoch(message.epoch, message.leaderId);
        if (message.error === undefined && this.leader !== null && message.epoch === this.epochValue) {
          const progress = this.leader.voterProgress.get(from);
          if (progress !== undefined) progress.knowsEpoch = true;
        }
        return;
    }
  }

  /**
   * Appends `record` on the leader (after the append linger). Returns where it will land, or
   * undefined when this node is not the leader.
   */
  propose(record: R, nowMs: number): { offset: number; epoch: number } | undefined {
    this.advanceClock(nowMs);
    if (this.role !== 'leader') return undefined;
    const offset = this.log.endOffset + this.pendingProposals.length;
    this.pendingProposals.push(record);
    if (this.config.appendLingerMs === 0) {
      this.flushProposals();
    } else if (this.lingerDeadlineMs === Infinity) {
      this.lingerDeadlineMs = this.nowMs + this.config.appendLingerMs;
    }
    return { offset, epoch: this.epochValue };
  }

  /**
   * Asks for a read index: the offset a linearizable read must have applied before answering.
   * The answer comes through `RaftStateMachine.onReadIndex`.
   */
  requestReadIndex(readId: number, nowMs: number): void {
    this.advanceClock(nowMs);
    if (this.role === 'leader') {
      this.startLeaderRead(readId, this.config.nodeId);
    } else if (this.role === 'follower' && this.leaderIdValue !== null && this.isVoterId(this.leaderIdValue)) {
      this.remoteReads.set(readId, { readId, deadlineMs: this.nowMs + this.config.requestTimeoutMs });
      this.outbox.send(this.leaderIdValue, {
        type: 'read-index', clusterId: this.config.clusterId, epoch: this.epochValue, readId,
      } satisfies ReadIndexRequest);
    } else {
      this.stateMachine.onReadIndex(readId, { error: 'NOT_LEADER_OR_FOLLOWER' });
    }
  }

  /** The host could not reach `peerId` (connection refused or reset). */
  peerUnreachable(peerId: number, nowMs: number): void {
    this.advanceClock(nowMs);
    if (this.role === 'follower' && peerId === this.leaderIdValue && this.isVoter && !this.leaderLost) {
      // The leader is most likely gone: stand after one randomized share of the election timeout
      // instead of the whole fetch timeout, and grant other voters' pre-votes meanwhile. The delay
      // is drawn once per lost leader (hosts report every failed redial), so survivors stay apart.
      this.leaderLost = true;
      this.fetchDeadlineMs = Math.min(this.fetchDeadlineMs, this.nowMs + this.randomElectionTimeoutMs() - this.config.electionTimeoutMs);
    }
  }

  /**
   * Records a snapshot of the state machine at `snapshot.endOffset` (which must be committed) and
   * lets the host drop the log before it.
   */
  takeSnapshot(snapshot: SnapshotData<R>): void {
    assert(snapshot.endOffset <= this.appliedOffset, `snapshot at ${snapshot.endOffset} beyond applied ${this.appliedOffset}`);
    assert(this.log.epochBefore(snapshot.endOffset) === snapshot.lastEpoch, 'snapshot epoch disagrees with the log');
    this.latestSnapshot = snapshot;
    this.log.resetToSnapshot(snapshot);
    this.outbox.addSnapshot(snapshot);
    this.outbox.event({ kind: 'snapshot', epoch: this.epochValue, offset: snapshot.endOffset, recordEpoch: snapshot.lastEpoch, logStartOffset: this.log.startOffset });
  }

  /** Called by the host (through the node) after it persisted the last ready. */
  onPersisted(appendedUpTo: number | undefined): void {
    if (appendedUpTo === undefined) return;
    if (appendedUpTo > this.log.flushedEndOffset && appendedUpTo <= this.log.endOffset) {
      this.log.flushedEndOffset = appendedUpTo;
      this.outbox.event({ kind: 'log-flushed', epoch: this.epochValue, offset: appendedUpTo, recordEpoch: this.log.epochBefore(appendedUpTo) ?? 0 });
      if (this.role === 'leader') this.maybeAdvanceLeaderHighWatermark();
    }
  }

  /** The earliest moment at which `tick` has something to do. */
  nextWakeMs(): number {
    return Math.min(this.roleWakeMs(), this.remoteReadDeadlineMs());
  }

  private roleWakeMs(): number {
    switch (this.role) {
      case 'leader': {
        let wake = Math.min(this.lingerDeadlineMs, this.leader!.nextBeginEpochRetryMs, this.checkQuorumDeadlineMs());
        for (const parked of this.leader!.parkedFetches.values()) wake = Math.min(wake, parked.deadlineMs);
        return wake;
      }
      case 'follower':
        return Math.min(this.fetchDeadlineMs, this.nextFetchAttemptDueMs(), this.fetchRetryDeadlineMs());
      default:
        return Math.min(this.electionDeadlineMs, this.nextFetchAttemptDueMs(), this.fetchRetryDeadlineMs(),
          this.inVoteRound() ? this.voteRetryAtMs : Infinity);
    }
  }

  /** Graceful shutdown: a leader resigns and tells the voters, so they elect without waiting. */
  resign(nowMs: number): void {
    this.advanceClock(nowMs);
    if (this.role === 'leader') this.becomeResigned();
  }

  // ---------------------------------------------------------------- transitions

  private enterRecoveredState(): void {
    if (!this.isVoter) {
      this.role = 'unattached';
      this.nextFetchAttemptMs = this.nowMs;
    } else if (this.leaderIdValue === this.config.nodeId) {
      // A leader that restarts cannot resume its epoch: its in-memory state is gone.
      this.role = 'resigned';
      this.electionDeadlineMs = this.nowMs + this.randomElectionTimeoutMs();
    } else if (this.leaderIdValue !== null) {
      this.role = 'follower';
      this.fetchDeadlineMs = this.nowMs + this.config.fetchTimeoutMs;
      this.nextFetchAttemptMs = this.nowMs;
    } else {
      this.role = 'unattached';
      this.electionDeadlineMs = this.nowMs + this.randomElectionTimeoutMs();
    }
    this.emitStateChange();
  }

  private becomeUnattached(epoch: number, votedFor: number | null): void {
    this.leaveLeadership();
    this.setQuorumState(epoch, votedFor, null);
    this.role = 'unattached';
    this.inflightFetch = null;
    this.electionDeadlineMs = this.isVoter ? this.nowMs + this.randomElectionTimeoutMs() : Infinity;
    this.nextFetchAttemptMs = this.isVoter ? Infinity : this.nowMs;
    this.emitStateChange();
  }

  private becomeFollower(epoch: number, leaderId: number): void {
    assert(leaderId !== this.config.nodeId, 'cannot follow itself');
    this.leaveLeadership();
    const votedFor = epoch === this.epochValue ? this.votedForValue : null;
    this.setQuorumState(epoch, votedFor, leaderId);
    this.role = 'follower';
    this.leaderLost = false;
    // Read rounds count per leader and epoch: echoing an older leader's round to this one would
    // confirm reads this node never saw (the simulator caught an isolated leader answering so).
    this.readRoundSeen = 0;
    this.inflightFetch = null;
    this.electionDeadlineMs = Infinity;
    this.fetchDeadlineMs = this.nowMs + this.config.fetchTimeoutMs;
    this.nextFetchAttemptMs = this.nowMs;
    this.emitStateChange();
    this.sendFetch();
  }

  private becomeProspective(): void {
    if (!this.isVoter) return;
    this.leaveLeadership();
    this.role = 'prospective';
    this.inflightFetch = null;
    this.startVoteRound(true);
    this.emitStateChange();
    this.checkVoteTally();
  }

  private becomeCandidate(): void {
    this.setQuorumState(this.epochValue + 1, this.config.nodeId, null);
    this.role = 'candidate';
    this.startVoteRound(false);
    this.emitStateChange();
    this.checkVoteTally();
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.setQuorumState(this.epochValue, this.votedForValue, this.config.nodeId);
    this.electionDeadlineMs = Infinity;
    this.fetchDeadlineMs = Infinity;
    this.nextFetchAttemptMs = Infinity;
    this.inflightFetch = null;
    const epochStartOffset = this.log.endOffset;
    this.leader = new LeaderState(this.config.nodeId, this.config.voters, epochStartOffset, this.nowMs);
    this.emitStateChange();
    this.outbox.event({ kind: 'became-leader', epoch: this.epochValue, leaderId: this.config.nodeId });
    // Committing a record of its own epoch is what lets the leader advance the high watermark.
    this.pendingProposals.unshift(this.stateMachine.epochStartRecord(this.epochValue, this.config.nodeId));
    this.flushProposals();
    this.sendBeginQuorumEpoch();
    this.stateMachine.onLeadershipChange(true, this.epochValue);
    this.maybeAdvanceLeaderHighWatermark();
  }

  private becomeResigned(): void {
    const successors = this.leader?.preferredSuccessors() ?? [];
    this.leaveLeadership();
    this.role = 'resigned';
    this.electionDeadlineMs = this.nowMs + this.randomElectionTimeoutMs();
    this.emitStateChange();
    for (const voter of this.otherVoters()) {
      this.outbox.send(voter, {
        type: 'end-quorum-epoch', clusterId: this.config.clusterId, epoch: this.epochValue,
        leaderId: this.config.nodeId, preferredSuccessors: successors,
      } satisfies EndQuorumEpochRequest);
    }
  }

  private leaveLeadership(): void {
    if (this.leader === null) return;
    for (const read of this.leader.pendingReads) this.answerRead(read.origin, read.readId, { error: 'NOT_LEADER_OR_FOLLOWER' });
    this.leader = null;
    this.pendingProposals = [];
    this.lingerDeadlineMs = Infinity;
    this.stateMachine.onLeadershipChange(false, this.epochValue);
  }

  private startVoteRound(preVote: boolean): void {
    this.votesGranted = new Set([this.config.nodeId]);
    this.votesRejected = new Set();
    this.electionDeadlineMs = this.nowMs + this.randomElectionTimeoutMs();
    const request: VoteRequest = {
      type: 'vote-request', clusterId: this.config.clusterId,
      candidateEpoch: preVote ? this.epochValue + 1 : this.epochValue, candidateId: this.config.nodeId,
      lastEpoch: this.log.lastEpoch, lastEpochEndOffset: this.log.endOffset, preVote,
    };
    for (const voter of this.otherVoters()) this.outbox.send(voter, request);
    this.voteRequest = request;
    this.voteRetryAtMs = this.nowMs + this.retryIntervalMs();
  }

  /**
   * Sends the round's vote request again to voters that have not answered: a voter that was down
   * when the round began (restarting after a crash) would otherwise hear of it only at the next
   * election timeout, one to two seconds later. Voters answer a repeated request the same way.
   */
  private resendVoteRequest(): void {
    const request = this.voteRequest;
    if (request === null) return;
    for (const voter of this.otherVoters()) {
      if (!this.votesGranted.has(voter) && !this.votesRejected.has(voter)) this.outbox.send(voter, request);
    }
    this.voteRetryAtMs = this.nowMs + this.retryIntervalMs();
  }

  private retryIntervalMs(): number {
    return Math.min(BEGIN_EPOCH_RETRY_MS_MAX, this.config.requestTimeoutMs);
  }

  private checkVoteTally(): void {
    const majority = majorityOf(this.config.voters.length);
    if (this.votesGranted.size >= majority) {
      if (this.role === 'prospective') this.becomeCandidate();
      else if (this.role === 'candidate') this.becomeLeader();
    } else if (this.votesRejected.size >= majority) {
      // Lost this round: back off a random while before trying again, so rivals desynchronize.
      this.electionDeadlineMs = this.nowMs + this.random.nextFloat() * this.config.electionBackoffMaxMs;
    }
  }

  // ---------------------------------------------------------------- timers

  private tickElection(): void {
    if (this.nowMs >= this.electionDeadlineMs) {
      if (this.isVoter) this.becomeProspective();
      else this.electionDeadlineMs = Infinity;
    } else if (this.inVoteRound() && this.nowMs >= this.voteRetryAtMs) {
      this.resendVoteRequest();
    }
    if (!this.isVoter) this.tickObserverSearch();
  }

  private tickFollower(): void {
    if (this.nowMs >= this.fetchDeadlineMs) {
      if (this.isVoter) return this.becomeProspective();
      // An observer lost its leader: look for the current one among the voters.
      this.setQuorumState(this.epochValue, this.votedForValue, null);
      this.role = 'unattached';
      this.fetchDeadlineMs = Infinity;
      this.inflightFetch = null;
      this.nextFetchAttemptMs = this.nowMs;
      this.emitStateChange();
      return this.tickObserverSearch();
    }
    if (this.inflightFetch !== null && this.nowMs >= this.inflightFetch.sentMs + this.config.requestTimeoutMs) {
      this.inflightFetch = null;
      this.nextFetchAttemptMs = this.nowMs;
    }
    if (this.inflightSnapshotFetch !== null && this.nowMs >= this.inflightSnapshotFetch.sentMs + this.config.requestTimeoutMs) {
      this.inflightSnapshotFetch = null;
      this.nextFetchAttemptMs = this.nowMs;
    }
    if (this.inflightFetch === null && this.inflightSnapshotFetch === null && this.nowMs >= this.nextFetchAttemptMs) {
      this.sendFetch();
    }
  }

  /** Read indexes asked of a leader that did not answer in time (in any role: the node may have moved on). */
  private expireRemoteReads(): void {
    for (const read of this.remoteReads.values()) {
      if (this.nowMs >= read.deadlineMs) {
        this.remoteReads.delete(read.readId);
        this.stateMachine.onReadIndex(read.readId, { error: 'NOT_LEADER_OR_FOLLOWER' });
      }
    }
  }

  /** Observers without a leader ask voters in turn until one names the leader. */
  private tickObserverSearch(): void {
    if (this.inflightFetch !== null && this.nowMs >= this.inflightFetch.sentMs + this.config.requestTimeoutMs) {
      this.inflightFetch = null;
      this.nextFetchAttemptMs = this.nowMs;
    }
    if (this.inflightFetch === null && this.nowMs >= this.nextFetchAttemptMs) this.sendFetch();
  }

  private tickLeader(): void {
    const leader = this.leader!;
    if (this.nowMs >= this.lingerDeadlineMs) this.flushProposals();
    if (this.nowMs >= this.checkQuorumDeadlineMs()) return this.becomeResigned();
    if (this.nowMs >= leader.nextBeginEpochRetryMs) this.sendBeginQuorumEpoch();
    for (const parked of [...leader.parkedFetches.values()]) {
      if (this.nowMs >= parked.deadlineMs) this.answerParkedFetch(parked.from);
    }
  }

  private checkQuorumDeadlineMs(): number {
    if (this.leader === null || this.config.voters.length === 1) return Infinity;
    return this.leader.quorumContactMs(this.nowMs) + 1.5 * this.config.fetchTimeoutMs;
  }

  private inVoteRound(): boolean {
    return this.role === 'prospective' || this.role === 'candidate';
  }

  /** A new fetch is due only while none is in flight, and only for nodes that fetch now (followers, observers). */
  private nextFetchAttemptDueMs(): number {
    const fetches = this.role === 'follower' || !this.isVoter;
    return fetches && this.inflightFetch === null && this.inflightSnapshotFetch === null ? this.nextFetchAttemptMs : Infinity;
  }

  private fetchRetryDeadlineMs(): number {
    let deadline = Infinity;
    if (this.inflightFetch !== null) deadline = this.inflightFetch.sentMs + this.config.requestTimeoutMs;
    if (this.inflightSnapshotFetch !== null) deadline = Math.min(deadline, this.inflightSnapshotFetch.sentMs + this.config.requestTimeoutMs);
    return deadline;
  }

  private remoteReadDeadlineMs(): number {
    let deadline = Infinity;
    for (const read of this.remoteReads.values()) deadline = Math.min(deadline, read.deadlineMs);
    return deadline;
  }

  // ---------------------------------------------------------------- epoch handling

  /**
   * Every message's epoch is dealt with first. A newer epoch moves this node into it (as a
   * follower when the leader is named, else unattached); a leader named for the current epoch is
   * followed by a node that had none.
   */
  private observeEpoch(epoch: number, leaderId: number | null): void {
    if (epoch > this.epochValue) {
      if (leaderId !== null && leaderId !== this.config.nodeId) this.becomeFollower(epoch, leaderId);
      else this.becomeUnattached(epoch, null);
    } else if (epoch === this.epochValue && leaderId !== null && leaderId !== this.config.nodeId &&
      this.role !== 'leader' && this.role !== 'follower') {
      // Unattached, Prospective (KIP-996) and Candidate nodes follow a leader named for their epoch.
      this.becomeFollower(epoch, leaderId);
    }
  }

  // ---------------------------------------------------------------- votes

  private onVoteRequest(from: number, request: VoteRequest): void {
    if (request.clusterId !== this.config.clusterId) {
      return this.replyVote(from, request, false, 'INCONSISTENT_CLUSTER_ID');
    }
    if (!this.isVoter || !this.isVoterId(request.candidateId)) {
      return this.replyVote(from, request, false, 'INCONSISTENT_VOTER_SET');
    }
    if (request.preVote) return this.replyVote(from, request, this.wouldGrantPreVote(request));
    if (request.candidateEpoch > this.epochValue) this.becomeUnattached(request.candidateEpoch, null);
    const grant = request.candidateEpoch === this.epochValue && this.role === 'unattached' &&
      (this.votedForValue === null || this.votedForValue === request.candidateId) &&
      this.candidateLogIsUpToDate(request);
    if (grant && this.votedForValue === null) {
      this.setQuorumState(this.epochValue, request.candidateId, null);
      this.electionDeadlineMs = this.nowMs + this.randomElectionTimeoutMs();
      this.outbox.event({ kind: 'vote-granted', epoch: this.epochValue, votedFor: request.candidateId });
      this.emitStateChange();
    }
    this.replyVote(from, request, grant);
  }

  /**
   * KIP-996: a pre-vote is granted to a candidate whose log is at least as up to date, unless this
   * voter still follows a live leader (it fetched within the fetch timeout) or is the leader.
   */
  private wouldGrantPreVote(request: VoteRequest): boolean {
    if (request.candidateEpoch <= this.epochValue) return false;
    if (this.role === 'leader') return false;
    const followsLiveLeader = this.role === 'follower' && !this.leaderLost &&
      this.nowMs - this.lastFetchSuccessMs < this.config.fetchTimeoutMs;
    return !followsLiveLeader && this.candidateLogIsUpToDate(request);
  }

  private candidateLogIsUpToDate(request: VoteRequest): boolean {
    return request.lastEpoch > this.log.lastEpoch ||
      (request.lastEpoch === this.log.lastEpoch && request.lastEpochEndOffset >= this.log.endOffset);
  }

  private replyVote(to: number, request: VoteRequest, granted: boolean, error?: RaftErrorName): void {
    const response: VoteResponse = {
      type: 'vote-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId(),
      voteGranted: granted, preVote: request.preVote, candidateEpoch: request.candidateEpoch,
    };
    if (error !== undefined) response.error = error;
    this.outbox.send(to, response);
  }

  private onVoteResponse(from: number, response: VoteResponse): void {
    // A voter that grants a pre-vote sees no live leader either, whatever leader it still names:
    // following that leader again would undo the pre-vote and livelock the election.
    const grantedPreVote = this.role === 'prospective' && response.preVote && response.voteGranted && response.epoch === this.epochValue;
    if (!grantedPreVote) this.observeEpoch(response.epoch, response.leaderId);
    if (response.error !== undefined) return;
    const expected = this.role === 'prospective' ? { preVote: true, epoch: this.epochValue + 1 }
      : this.role === 'candidate' ? { preVote: false, epoch: this.epochValue } : undefined;
    if (expected === undefined || response.preVote !== expected.preVote || response.candidateEpoch !== expected.epoch) return;
    if (response.voteGranted) this.votesGranted.add(from);
    else this.votesRejected.add(from);
    this.checkVoteTally();
  }

  // ---------------------------------------------------------------- begin / end epoch

  private sendBeginQuorumEpoch(): void {
    const leader = this.leader!;
    for (const [voter, progress] of leader.voterProgress) {
      if (progress.knowsEpoch) continue;
      this.outbox.send(voter, {
        type: 'begin-quorum-epoch', clusterId: this.config.clusterId, epoch: this.epochValue, leaderId: this.config.nodeId,
      } satisfies BeginQuorumEpochRequest);
    }
    leader.nextBeginEpochRetryMs = this.nowMs + Math.min(BEGIN_EPOCH_RETRY_MS_MAX, this.config.requestTimeoutMs);
    if ([...leader.voterProgress.values()].every((p) => p.knowsEpoch)) leader.nextBeginEpochRetryMs = Infinity;
  }

  private onBeginQuorumEpoch(from: number, request: BeginQuorumEpochRequest): void {
    if (request.clusterId !== this.config.clusterId) {
      return this.outbox.send(from, { type: 'begin-quorum-epoch-response', error: 'INCONSISTENT_CLUSTER_ID', epoch: this.epochValue, leaderId: this.advertisedLeaderId() });
    }
    if (request.epoch < this.epochValue) {
      return this.outbox.send(from, { type: 'begin-quorum-epoch-response', error: 'FENCED_LEADER_EPOCH', epoch: this.epochValue, leaderId: this.advertisedLeaderId() });
    }
    if (request.epoch > this.epochValue || this.leaderIdValue !== request.leaderId || this.role !== 'follower') {
      assert(!(request.epoch === this.epochValue && this.role === 'leader'), `two leaders claim epoch ${request.epoch}`);
      this.becomeFollower(request.epoch, request.leaderId);
    }
    this.outbox.send(from, { type: 'begin-quorum-epoch-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId() });
  }

  private onEndQuorumEpoch(from: number, request: EndQuorumEpochRequest): void {
    this.observeEpoch(request.epoch, null);
    if (request.epoch === this.epochValue && this.role === 'follower' && this.leaderIdValue === request.leaderId) {
      // The leader resigned: the most caught-up successor stands at once, the others a little later.
      this.leaderLost = true;
      const position = request.preferredSuccessors.indexOf(this.config.nodeId);
      const delayMs = position === 0 ? 0
        : this.random.nextFloat() * this.config.electionBackoffMaxMs * (position < 0 ? 1 : position / request.preferredSuccessors.length);
      this.fetchDeadlineMs = Math.min(this.fetchDeadlineMs, this.nowMs + delayMs);
    }
    this.outbox.send(from, { type: 'end-quorum-epoch-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId() });
  }

  // ---------------------------------------------------------------- replication: leader side

  private flushProposals(): void {
    this.lingerDeadlineMs = Infinity;
    if (this.pendingProposals.length === 0) return;
    const entries: LogEntry<R>[] = [];
    for (const record of this.pendingProposals) {
      const entry: LogEntry<R> = { offset: this.log.endOffset, epoch: this.epochValue, record };
      this.log.append(entry);
      entries.push(entry);
    }
    this.pendingProposals = [];
    this.outbox.appendEntries(entries);
    for (const from of [...this.leader!.parkedFetches.keys()]) this.answerParkedFetch(from);
  }

  private onFetch(from: number, request: FetchRequest): void {
    const error = this.fetchError(request);
    if (error !== undefined) return this.outbox.send(from, this.emptyFetchResponse(request, error));
    const leader = this.leader!;
    const progress = leader.progressOf(request.replicaId, this.nowMs);
    progress.lastFetchMs = this.nowMs;
    progress.knowsEpoch = true;
    progress.echoedReadRound = Math.max(progress.echoedReadRound, request.readRound);
    leader.parkedFetches.delete(from);

    const divergence = this.checkFetchPosition(request);
    if (divergence !== undefined) return this.outbox.send(from, divergence);

    progress.matchOffset = request.fetchOffset;
    if (request.fetchOffset >= this.log.endOffset) progress.lastCaughtUpMs = this.nowMs;
    this.maybeAdvanceLeaderHighWatermark();
    this.completeConfirmedReads();
    const hasNews = request.fetchOffset < this.log.endOffset || progress.sentHighWatermark !== this.highWatermarkValue ||
      request.readRound < leader.readRound;
    if (hasNews || this.config.fetchMaxWaitMs === 0) return this.respondFetch(from, request);
    leader.parkedFetches.set(from, { from, request, deadlineMs: this.nowMs + this.config.fetchMaxWaitMs });
  }

  private fetchError(request: FetchRequest): RaftErrorName | undefined {
    if (request.clusterId !== this.config.clusterId) return 'INCONSISTENT_CLUSTER_ID';
    if (request.epoch < this.epochValue) return 'FENCED_LEADER_EPOCH';
    if (request.epoch > this.epochValue) return 'UNKNOWN_LEADER_EPOCH';
    if (this.role !== 'leader') return 'NOT_LEADER_OR_FOLLOWER';
    return undefined;
  }

  /** A divergence or snapshot answer when the fetcher's position does not extend the leader's log. */
  private checkFetchPosition(request: FetchRequest): FetchResponse | undefined {
    if (request.fetchOffset > this.log.endOffset && request.lastFetchedEpoch === this.epochValue) {
      assert(false, `replica ${request.replicaId} fetches at ${request.fetchOffset} beyond leader log end ${this.log.endOffset} in the leader's epoch`);
    }
    if (request.fetchOffset < this.log.startOffset) return this.snapshotPointer(request);
    if (request.fetchOffset === 0) return undefined;
    const known = this.log.endOffsetForEpoch(request.lastFetchedEpoch);
    if (known === undefined) return this.snapshotPointer(request);
    if (known.epoch !== request.lastFetchedEpoch || known.endOffset < request.fetchOffset) {
      const response = this.emptyFetchResponse(request);
      response.divergingEpoch = known;
      return response;
    }
    return undefined;
  }

  private snapshotPointer(request: FetchRequest): FetchResponse {
    assert(this.latestSnapshot !== null, `fetch below log start ${this.log.startOffset} without a snapshot`);
    const response = this.emptyFetchResponse(request);
    response.snapshotId = { endOffset: this.latestSnapshot.endOffset, epoch: this.latestSnapshot.lastEpoch };
    return response;
  }

  private respondFetch(to: number, request: FetchRequest): void {
    const leader = this.leader!;
    const progress = leader.progressOf(request.replicaId, this.nowMs);
    const response = this.emptyFetchResponse(request);
    response.entries = this.log.slice(request.fetchOffset, this.config.fetchMaxEntries);
    progress.sentHighWatermark = this.highWatermarkValue;
    this.outbox.send(to, response);
  }

  private answerParkedFetch(from: number): void {
    const parked = this.leader?.parkedFetches.get(from);
    if (parked === undefined) return;
    this.leader!.parkedFetches.delete(from);
    this.respondFetch(from, parked.request);
  }

  private emptyFetchResponse(request: FetchRequest, error?: RaftErrorName): FetchResponse {
    const response: FetchResponse = {
      type: 'fetch-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId(), fetchId: request.fetchId,
      highWatermark: this.highWatermarkValue, logStartOffset: this.log.startOffset, entries: [],
      readRound: this.leader?.readRound ?? 0,
    };
    if (error !== undefined) response.error = error;
    return response;
  }

  private maybeAdvanceLeaderHighWatermark(): void {
    const candidate = this.leader!.majorityMatchOffset(this.log.flushedEndOffset);
    if (candidate === undefined || candidate <= this.highWatermarkValue) return;
    this.setHighWatermark(candidate);
    for (const from of [...this.leader!.parkedFetches.keys()]) this.answerParkedFetch(from);
    this.completeConfirmedReads();
  }

  private onFetchSnapshot(from: number, request: FetchSnapshotRequest): void {
    const reply = (response: Omit<FetchSnapshotResponse, 'type' | 'epoch' | 'leaderId'>): void =>
      this.outbox.send(from, { type: 'fetch-snapshot-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId(), ...response });
    if (request.clusterId !== this.config.clusterId) return reply({ error: 'INCONSISTENT_CLUSTER_ID' });
    if (request.epoch !== this.epochValue || this.role !== 'leader') {
      return reply({ error: request.epoch < this.epochValue ? 'FENCED_LEADER_EPOCH' : 'NOT_LEADER_OR_FOLLOWER' });
    }
    const snapshot = this.latestSnapshot;
    if (snapshot === null || snapshot.endOffset !== request.snapshotId.endOffset || snapshot.lastEpoch !== request.snapshotId.epoch) {
      return reply({ error: 'SNAPSHOT_NOT_FOUND' });
    }
    reply({ snapshot });
  }

  // ---------------------------------------------------------------- replication: follower side

  private sendFetch(): void {
    const target = this.fetchTarget();
    if (target === undefined) return;
    const fetchId = this.nextFetchId++;
    this.inflightFetch = { fetchId, sentMs: this.nowMs, to: target };
    this.nextFetchAttemptMs = Infinity;
    this.outbox.send(target, {
      type: 'fetch', clusterId: this.config.clusterId, epoch: this.epochValue, replicaId: this.config.nodeId,
      fetchOffset: this.log.endOffset, lastFetchedEpoch: this.log.lastEpoch, fetchId, readRound: this.readRoundSeen,
    } satisfies FetchRequest);
  }

  /** Followers fetch from their leader; an observer without one asks a random voter. */
  private fetchTarget(): number | undefined {
    if (this.role === 'follower' && this.leaderIdValue !== null) return this.leaderIdValue;
    if (this.isVoter) return undefined;
    const voters = this.config.voters;
    return voters[Math.floor(this.random.nextFloat() * voters.length)];
  }

  private onFetchResponse(from: number, response: FetchResponse): void {
    if (this.inflightFetch === null || this.inflightFetch.fetchId !== response.fetchId) return;
    this.inflightFetch = null;
    this.observeEpoch(response.epoch, response.leaderId);
    if (response.error !== undefined || this.role !== 'follower' || from !== this.leaderIdValue || response.epoch !== this.epochValue) {
      // Not an answer from our leader: retry after a short random pause (observers keep searching),
      // unless learning the epoch already sent a fetch to the new leader.
      if (this.inflightFetch === null) {
        this.nextFetchAttemptMs = this.nowMs + this.random.nextFloat() * Math.min(this.config.electionBackoffMaxMs, 100);
      }
      return;
    }
    this.lastFetchSuccessMs = this.nowMs;
    this.fetchDeadlineMs = this.nowMs + this.config.fetchTimeoutMs;
    this.leaderLost = false;
    this.readRoundSeen = Math.max(this.readRoundSeen, response.readRound);

    if (response.divergingEpoch !== undefined) {
      this.truncateDivergentTail(response.divergingEpoch);
    } else if (response.snapshotId !== undefined) {
      this.inflightSnapshotFetch = { sentMs: this.nowMs, to: from };
      this.outbox.send(from, {
        type: 'fetch-snapshot', clusterId: this.config.clusterId, epoch: this.epochValue,
        replicaId: this.config.nodeId, snapshotId: response.snapshotId,
      } satisfies FetchSnapshotRequest);
      return;
    } else {
      this.appendFetched(response.entries as LogEntry<R>[]);
      this.setHighWatermark(Math.min(response.highWatermark, this.log.endOffset));
    }
    this.sendFetch();
  }

  private sendFetchIfDue(): void {
    if (this.nowMs >= this.nextFetchAttemptMs) this.sendFetch();
  }

  private truncateDivergentTail(diverging: { epoch: number; endOffset: number }): void {
    const own = this.log.endOffsetForEpoch(diverging.epoch);
    const truncateTo = Math.min(diverging.endOffset, own?.endOffset ?? this.log.startOffset, this.log.endOffset);
    assert(truncateTo >= this.highWatermarkValue, `truncation to ${truncateTo} below the high watermark ${this.highWatermarkValue}`);
    if (truncateTo >= this.log.endOffset) return;
    this.log.truncateTo(truncateTo);
    this.outbox.truncate(truncateTo);
    this.outbox.event({ kind: 'log-truncated', epoch: this.epochValue, offset: truncateTo });
  }

  private appendFetched(entries: LogEntry<R>[]): void {
    const appended: LogEntry<R>[] = [];
    for (const entry of entries) {
      if (entry.offset < this.log.endOffset) continue;
      if (entry.offset > this.log.endOffset) break;
      this.log.append(entry);
      appended.push(entry);
    }
    if (appended.length > 0) this.outbox.appendEntries(appended);
  }

  private onFetchSnapshotResponse(from: number, response: FetchSnapshotResponse): void {
    if (this.inflightSnapshotFetch === null || this.inflightSnapshotFetch.to !== from) return;
    this.inflightSnapshotFetch = null;
    this.observeEpoch(response.epoch, response.leaderId);
    if (response.error !== undefined || response.snapshot === undefined || this.role !== 'follower') {
      this.nextFetchAttemptMs = this.nowMs;
      return this.sendFetchIfDue();
    }
    const snapshot = response.snapshot as SnapshotData<R>;
    if (snapshot.endOffset > this.log.startOffset) {
      this.latestSnapshot = snapshot;
      this.log.resetToSnapshot(snapshot);
      this.outbox.replaceWithSnapshot(snapshot);
      this.outbox.event({ kind: 'snapshot', epoch: this.epochValue, offset: snapshot.endOffset, recordEpoch: snapshot.lastEpoch, logStartOffset: this.log.startOffset });
      if (snapshot.endOffset > this.appliedOffset) {
        this.stateMachine.restoreSnapshot(snapshot);
        this.appliedOffset = snapshot.endOffset;
      }
      this.setHighWatermark(snapshot.endOffset);
    }
    this.sendFetch();
  }

  // ---------------------------------------------------------------- high watermark and apply

  private setHighWatermark(offset: number): void {
    if (offset <= this.highWatermarkValue) return;
    this.highWatermarkValue = offset;
    this.outbox.event({ kind: 'high-watermark', epoch: this.epochValue, highWatermark: offset });
    while (this.appliedOffset < offset) {
      const entry = this.log.entryAt(this.appliedOffset);
      if (entry === undefined) assert(false, `committed offset ${this.appliedOffset} missing from the log`);
      this.outbox.event({ kind: 'committed', epoch: this.epochValue, offset: entry.offset, recordEpoch: entry.epoch, digest: this.stateMachine.digest(entry.record) });
      this.appliedOffset++;
      this.stateMachine.applyCommitted(entry);
    }
  }

  // ---------------------------------------------------------------- read index

  private startLeaderRead(readId: number, origin: number): void {
    const leader = this.leader!;
    leader.readRound++;
    leader.pendingReads.push({ readId, origin, round: leader.readRound });
    // Answer held fetches now, so followers come back at once echoing the new round.
    for (const from of [...leader.parkedFetches.keys()]) this.answerParkedFetch(from);
    this.completeConfirmedReads();
  }

  private completeConfirmedReads(): void {
    const leader = this.leader;
    if (leader === null || !this.leaderEpochCommitted) return;
    while (leader.pendingReads.length > 0 && leader.readRoundConfirmed(leader.pendingReads[0]!.round)) {
      const read = leader.pendingReads.shift()!;
      this.answerRead(read.origin, read.readId, { readIndex: this.highWatermarkValue });
    }
  }

  private answerRead(origin: number, readId: number, result: { readIndex: number } | { error: RaftErrorName }): void {
    if (origin === this.config.nodeId) return this.stateMachine.onReadIndex(readId, result);
    const response: ReadIndexResponse = {
      type: 'read-index-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId(), readId,
      readIndex: 'readIndex' in result ? result.readIndex : -1,
    };
    if ('error' in result) response.error = result.error;
    this.outbox.send(origin, response);
  }

  private onReadIndexRequest(from: number, request: ReadIndexRequest): void {
    const error: RaftErrorName | undefined = request.clusterId !== this.config.clusterId ? 'INCONSISTENT_CLUSTER_ID'
      : request.epoch < this.epochValue ? 'FENCED_LEADER_EPOCH'
        : this.role !== 'leader' || request.epoch !== this.epochValue ? 'NOT_LEADER_OR_FOLLOWER' : undefined;
    if (error !== undefined) return this.answerRead(from, request.readId, { error });
    this.startLeaderRead(request.readId, from);
  }

  private onReadIndexResponse(response: ReadIndexResponse): void {
    this.observeEpoch(response.epoch, response.leaderId);
    const read = this.remoteReads.get(response.readId);
    if (read === undefined) return;
    this.remoteReads.delete(response.readId);
    this.stateMachine.onReadIndex(response.readId,
      response.error !== undefined ? { error: response.error } : { readIndex: response.readIndex });
  }

  // ---------------------------------------------------------------- helpers

  private setQuorumState(epoch: number, votedFor: number | null, leaderId: number | null): void {
    assert(epoch >= this.epochValue, `epoch would go back from ${this.epochValue} to ${epoch}`);
    if (epoch === this.epochValue && votedFor === this.votedForValue && leaderId === this.leaderIdValue) return;
    if (epoch === this.epochValue && this.votedForValue !== null) {
      assert(votedFor === this.votedForValue, `vote in epoch ${epoch} would change from ${this.votedForValue} to ${votedFor}`);
    }
    if (epoch > this.epochValue) {
      // Remote reads asked in an older epoch will never be answered by that leader.
      for (const read of this.remoteReads.values()) this.stateMachine.onReadIndex(read.readId, { error: 'NOT_LEADER_OR_FOLLOWER' });
      this.remoteReads.clear();
    }
    this.epochValue = epoch;
    this.votedForValue = votedFor;
    this.leaderIdValue = leaderId;
    this.outbox.persistQuorumState({ epoch, votedFor, leaderId });
  }

  /**
   * The leader this node names in its answers: only one it follows (or itself as leader). A
   * Prospective or Candidate node still remembers the leader it gave up on, and naming that one
   * would pull its peers back to a leader they already found silent.
   */
  private advertisedLeaderId(): number | null {
    return this.role === 'leader' || this.role === 'follower' ? this.leaderIdValue : null;
  }

  private emitStateChange(): void {
    this.outbox.event({
      kind: 'epoch-changed', epoch: this.epochValue, state: this.role,
      leaderId: this.advertisedLeaderId(), votedFor: this.votedForValue,
    });
  }

  private advanceClock(nowMs: number): void {
    // Guarded so the message is built only on failure: this runs on every input.
    if (nowMs < this.nowMs) assert(false, `time went back from ${this.nowMs} to ${nowMs}`);
    this.nowMs = nowMs;
  }

  /** KRaft randomizes the election timeout between one and two times its base. */
  private randomElectionTimeoutMs(): number {
    return this.config.electionTimeoutMs * (1 + this.random.nextFloat());
  }

  private otherVoters(): number[] {
    return this.config.voters.filter((voter) => voter !== this.config.nodeId);
  }

  private isVoterId(id: number): boolean {
    return this.config.voters.includes(id);
  }
}
