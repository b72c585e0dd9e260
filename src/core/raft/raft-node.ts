/**
 * The KRaft-style consensus of one node: elections with pre-vote (KIP-595, KIP-996), pull-based
 * replication with divergence truncation, the high watermark, check-quorum, snapshots (KIP-630)
 * and read-index reads. Pure: time comes in as `nowMs` on every call, randomness through a
 * RandomSource, messages go out through an Outbox, and the host persists what the outbox says
 * before it sends anything (host-interface.ts lists the host's duties).
 *
 * It reads as etcd's raft does. `step` deals with what every message shares once, in this order:
 *  1. the cluster id: a request from another cluster is refused (INCONSISTENT_CLUSTER_ID);
 *  2. the epoch: a request from an older epoch is refused (FENCED_LEADER_EPOCH; a Vote is simply
 *     not granted), a newer epoch moves this node into it (see `admitRequest`), and every response
 *     teaches its responder's epoch and leader (`observeEpoch`);
 * then hands the message to the handler of the node's role: `stepLeader`, `stepCandidate`
 * (Prospective and Candidate), `stepFollower`, `stepUnattached`, `stepResigned`, each of which
 * passes what it does not treat specially to `stepAnyRole`. Roles are KRaft's states
 * (raft-role.ts), each holding only its own state; every role change goes through `transition`.
 *
 * Observers (nodes outside the voter set, i.e. brokers) fetch like followers but never vote or
 * stand. Where the rest lives: the leader's work in leader-role.ts, fetching in fetch-client.ts
 * (asking) and fetch-answers.ts (answering), reads in read-index.ts, the log, high watermark and
 * apply in local-replica.ts, vote rounds in vote-round.ts.
 *
 * Where each safety rule is decided, one function each:
 * - granting a vote, persisted before the reply goes out: `RaftNode.grantVote`;
 * - the candidate's log at least as up to date: `candidateLogIsUpToDate` (vote-round.ts);
 * - the high watermark (a majority's durable offset, in the leader's own epoch):
 *   `LeaderRole.maybeAdvanceHighWatermark` over `LeaderState.majorityMatchOffset`;
 * - a read round confirmed by a majority: `LeaderState.readRoundConfirmed`, used by
 *   `LeaderRole.completeConfirmedReads`;
 * - check-quorum: `LeaderRole.checkQuorumDeadlineMs`;
 * - answering a client only once its write is applied on this node: quorum-node.ts.
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
import type { LogEntry, QuorumStateRecord, RandomSource, SnapshotCodec, SnapshotData } from '../host-interface.js';
import type { RaftStateName } from '../../history/node-event.js';
import { assert, checkSafety } from '../assert.js';
import { FetchClient } from './fetch-client.js';
import { emptyFetchResponse, type FetchAnswerHeader } from './fetch-answers.js';
import { LeaderRole, type LeaderContext } from './leader-role.js';
import { LeaderState } from './leader-state.js';
import { LocalReplica } from './local-replica.js';
import {
  isRaftRequest, type EndQuorumEpochRequest, type FetchResponse, type FetchSnapshotResponse, type RaftErrorName,
  type RaftMessage, type RaftRequest, type RaftResponse, type ReadIndexRequest, type UpdateVoterRequest, type VoteRequest,
  type VoteResponse,
} from './messages.js';
import type { Outbox } from './outbox.js';
import { FETCH_ANSWER_MARGIN_MS, FETCH_RETRY_BACKOFF_MS_MAX, RaftConfigError, REQUEST_RETRY_MS_MAX, type RaftConfig } from './raft-config.js';
import type { RaftLog } from './raft-log.js';
import { InMemorySnapshotReceiver } from './snapshot-receiver.js';
import type { CandidateRole, ElectionRole, FollowerRole, ProspectiveRole, RaftRole, ResignedRole, UnattachedRole } from './raft-role.js';
import { readIndexResponse, RemoteReads, type ReadIndexResult } from './read-index.js';
import { candidateLogIsUpToDate, VoteRound } from './vote-round.js';
import { refusal, type VoterChange, type VoterChangeAsker, type VoterChangeResult } from './voter-changes.js';
import { staticControlState, type ControlState } from './voter-set-history.js';
import {
  KRAFT_VERSION_DYNAMIC, KRAFT_VERSION_STATIC, sameEndpoints, VoterSet, type ControlContent, type VoterEndpoint,
} from './voter-set.js';

/** What consensus needs from the replicated state machine above it. */
export interface RaftStateMachine<R> {
  /** Each committed entry, once, in offset order. */
  applyCommitted(entry: LogEntry<R>): void;
  /** Replace the whole state with a snapshot (fetched from the leader). */
  restoreSnapshot(snapshot: SnapshotData): void;
  /**
   * The state is about to be replaced by a fetched snapshot, whose bytes verified and are being
   * built into it now (in this same input, `restoreSnapshot` follows): drop what holds the old
   * state, so the old image and the new one are not held together.
   */
  releaseState(): void;
  /** The record a new leader appends first; committing it commits the epoch. */
  epochStartRecord(epoch: number, leaderId: number): R;
  /** A digest of a record, compared across nodes by ConsistentCommittedData. */
  digest(record: R): string;
  /**
   * How big a record is in the units of the log retention's size bound (metadata: records in the
   * batch; log-retention.ts).
   */
  sizeOf(record: R): number;
  /**
   * How many bytes a record takes on the wire (metadata: its record run): fetch answers carry
   * entries up to the fetcher's FetchRequest.maxBytes, so catching up never builds a message
   * larger than the fetcher accepts.
   */
  bytesOf(record: R): number;
  /** This node became leader (true) or stopped being leader (false) in `epoch`. */
  onLeadershipChange(isLeader: boolean, epoch: number): void;
  /** The answer to `requestReadIndex`. */
  onReadIndex(readId: number, result: ReadIndexResult): void;
  /** The control records `record` carries (KIP-853's kraft.version and voter set), if any. */
  controlOf(record: R): ControlContent | undefined;
  /** A record carrying `content`, for the leader to append. */
  controlRecord(content: ControlContent): R;
  /** The answer to `changeVoters`, when it did not come at once. */
  onVoterChange(changeId: number, result: VoterChangeResult): void;
  /** A snapshot as the bytes FetchSnapshot serves in pieces, and back (verified) once fetched whole. */
  snapshotCodec: SnapshotCodec;
}

/** Node id → where it is reached (its voter-set endpoints). */
export type PeerEndpoints = ReadonlyMap<number, readonly VoterEndpoint[]>;

export interface RaftRecoveredState<R> {
  epoch: number;
  votedFor: number | null;
  /** The directory id of the replica voted for (kraft.version 1). */
  votedDirectoryId?: string | null;
  leaderId: number | null;
  log: RaftLog<R>;
  snapshot: SnapshotData | null;
}

export class RaftNode<R> {
  readonly log: RaftLog<R>;
  private role: RaftRole<R>;
  private epochValue: number;
  private votedForValue: number | null;
  private votedDirectoryId: string | null;
  private leaderIdValue: number | null;
  private readonly replica: LocalReplica<R>;
  private readonly fetcher: FetchClient;
  private readonly remoteReads: RemoteReads;
  private readonly leaderContext: LeaderContext<R>;
  private nowMs: number;
  /** False once the node's controlled shutdown began: it never stands for election again (`stopStandingForElection`). */
  private standsForElection = true;
  /** A leader's endpoints a Fetch answer named, kept while it is not in this node's voter set. */
  private learnedLeader: { id: number; endpoints: readonly VoterEndpoint[] } | null = null;
  /** The latest voter set as onVotersChanged last saw it (null before the replica is built). */
  private votersSeen: VoterSet | null = null;
  /** peerEndpoints' last answer and what it was made from, so an unchanged answer is the same object. */
  private peerEndpointsCache: { voters: VoterSet; learned: RaftNode<R>['learnedLeader']; endpoints: PeerEndpoints } | null = null;

  constructor(
    private readonly config: RaftConfig,
    recovered: RaftRecoveredState<R>,
    private readonly random: RandomSource,
    private readonly outbox: Outbox<R>,
    private readonly stateMachine: RaftStateMachine<R>,
    nowMs: number,
    restarted: boolean,
    /** This process's incarnation: answers meant for an earlier one are dropped (messages.ts). */
    private readonly incarnationId: string,
  ) {
    this.nowMs = nowMs;
    this.log = recovered.log;
    this.epochValue = recovered.epoch;
    this.votedForValue = recovered.votedFor;
    this.votedDirectoryId = recovered.votedDirectoryId ?? null;
    this.leaderIdValue = recovered.leaderId;
    // Under kraft.version 1 a replica is its directory: say which, so a replaced disk is told apart.
    if (config.directoryId !== null) this.outbox.event({ kind: 'replica-started', epoch: this.epochValue, directoryId: config.directoryId });
    // Announced before the recovered snapshot is loaded: what the node did before is over.
    if (restarted) this.outbox.event({ kind: 'restarted', epoch: this.epochValue, highWatermark: recovered.snapshot?.endOffset ?? 0 });
    this.replica = new LocalReplica(recovered.log, recovered.snapshot, outbox, stateMachine, configuredControl(config),
      () => this.onVotersChanged(), this.epochValue, config.unsafeSwitches,
      { entries: config.logRetentionEntries, size: config.logRetentionSize });
    if (this.replica.voterHistory.kraftVersion > config.kraftVersion) {
      throw new RaftConfigError('kraft.version', `this node's log is at kraft.version ${this.replica.voterHistory.kraftVersion}, ` +
        `which is never downgraded, but its configuration is kraft.version ${config.kraftVersion} (a static voter list): ` +
        'configure controller.quorum.bootstrap.servers instead of controller.quorum.voters');
    }
    this.votersSeen = this.replica.voters;
    this.fetcher = new FetchClient(config.clusterId, config.nodeId, config.directoryId, incarnationId, config.requestTimeoutMs,
      Math.min(config.requestTimeoutMs, config.fetchMaxWaitMs + FETCH_ANSWER_MARGIN_MS), config.fetchSnapshotMaxBytes,
      stateMachine.snapshotCodec.receiver ?? new InMemorySnapshotReceiver(stateMachine.snapshotCodec), config.fetchMaxBytes,
      config.unsafeSwitches.has('incarnation-check-off'));
    this.remoteReads = new RemoteReads(incarnationId, (readId, result) => this.stateMachine.onReadIndex(readId, result),
      config.unsafeSwitches.has('incarnation-check-off'));
    this.leaderContext = { config, replica: this.replica, outbox, stateMachine };
    this.outbox.event({ kind: 'log-flushed', epoch: this.epochValue, offset: this.log.endOffset, recordEpoch: this.log.lastEpoch });
    this.role = this.recoveredRole();
    this.emitStateChange();
  }

  // ---------------------------------------------------------------- public surface

  get epoch(): number { return this.epochValue; }
  get leaderId(): number | null { return this.leaderIdValue; }
  get state(): RaftStateName { return this.role.name; }
  get highWatermark(): number { return this.replica.highWatermark; }
  /** Whether this replica (node id and directory) is in the latest voter set in its log. */
  get isVoter(): boolean { return this.voters.isVoter(this.config.nodeId, this.config.directoryId); }
  /** The latest voter set in the log, committed or not (KIP-853); the static one under kraft.version 0. */
  get voters(): VoterSet { return this.replica.voters; }
  get kraftVersion(): number { return this.replica.voterHistory.kraftVersion; }
  get isLeader(): boolean { return this.role.name === 'leader'; }
  get snapshot(): SnapshotData | null { return this.replica.snapshot; }
  get leaderState(): LeaderState | null { return this.role.name === 'leader' ? this.role.state : null; }
  /** Where the next proposal will land (proposals wait out the append linger before the log has them). */
  get nextProposalOffset(): number {
    return this.role.name === 'leader' ? this.role.nextProposalOffset : this.log.endOffset;
  }

  /**
   * Where every peer this node may have to reach is: the voters of its latest voter set, and a
   * leader that is not (yet, or any more) among them: one a Fetch answer named, or the one it
   * follows that removed itself (it leads until that change commits). The same object until it changes, so
   * a host can compare identities after each input. Empty under kraft.version 0, whose voters the
   * host knows from configuration.
   */
  peerEndpoints(): PeerEndpoints {
    const voters = this.voters;
    const cached = this.peerEndpointsCache;
    if (cached !== null && cached.voters === voters && cached.learned === this.learnedLeader) return cached.endpoints;
    const endpoints = new Map<number, readonly VoterEndpoint[]>();
    for (const voter of voters.voters) {
      if (voter.id !== this.config.nodeId && voter.endpoints.length > 0) endpoints.set(voter.id, voter.endpoints);
    }
    const learned = this.learnedLeader;
    if (learned !== null && learned.id !== this.config.nodeId && !endpoints.has(learned.id)) endpoints.set(learned.id, learned.endpoints);
    this.peerEndpointsCache = { voters, learned, endpoints };
    return endpoints;
  }

  /** Whether the leader has committed a record of its own epoch (it may answer reads then). */
  get leaderEpochCommitted(): boolean {
    return this.role.name === 'leader' && this.role.epochCommitted;
  }

  tick(nowMs: number): void {
    this.advanceClock(nowMs);
    this.remoteReads.expire(this.nowMs);
    const role = this.role;
    switch (role.name) {
      case 'leader': return this.tickLeader(role);
      case 'follower': return this.tickFollower(role);
      default: return this.tickElection(role);
    }
  }

  step(from: number, message: RaftMessage, nowMs: number): void {
    this.advanceClock(nowMs);
    if (isRaftRequest(message)) {
      if (message.clusterId !== this.config.clusterId) return this.refuse(from, message, 'INCONSISTENT_CLUSTER_ID');
      if (!this.admitRequest(from, message)) return;
    } else {
      if (!this.claimResponse(from, message)) return;
      if (message.type === 'fetch-response' && message.leaderEndpoints !== undefined) this.learnLeaderEndpoints(message);
      // A voter that grants a pre-vote sees no live leader either, whatever leader it still names:
      // following that leader again would undo the pre-vote and livelock the election.
      const grantedPreVote = message.type === 'vote-response' && message.preVote && message.voteGranted;
      this.observeEpoch(message.epoch, grantedPreVote ? null : message.leaderId);
    }
    const role = this.role;
    switch (role.name) {
      case 'leader': return this.stepLeader(role, from, message);
      case 'follower': return this.stepFollower(role, from, message);
      case 'prospective':
      case 'candidate': return this.stepCandidate(role, from, message);
      case 'unattached': return this.stepUnattached(role, from, message);
      case 'resigned': return this.stepResigned(role, from, message);
    }
  }

  /**
   * Appends `record` on the leader (after the append linger). Returns where it will land, or
   * undefined when this node is not the leader.
   */
  propose(record: R, nowMs: number): { offset: number; epoch: number } | undefined {
    this.advanceClock(nowMs);
    if (this.role.name !== 'leader') return undefined;
    return { offset: this.role.propose(record, this.nowMs), epoch: this.epochValue };
  }

  /**
   * Asks for a read index: the offset a linearizable read must have applied before answering.
   * The answer comes through `RaftStateMachine.onReadIndex`.
   */
  requestReadIndex(readId: number, nowMs: number): void {
    this.advanceClock(nowMs);
    const role = this.role;
    if (role.name === 'leader') return role.openRead({ readId, origin: this.config.nodeId, incarnationId: this.incarnationId }, this.nowMs);
    if (role.name === 'follower' && this.leaderIdValue !== null && this.voters.has(this.leaderIdValue)) {
      this.remoteReads.ask(readId, this.nowMs + this.config.requestTimeoutMs);
      this.outbox.send(this.leaderIdValue, {
        type: 'read-index', clusterId: this.config.clusterId, epoch: this.epochValue, readId, incarnationId: this.incarnationId,
      } satisfies ReadIndexRequest);
      return;
    }
    this.stateMachine.onReadIndex(readId, { error: 'NOT_LEADER_OR_FOLLOWER' });
  }

  /** The host could not reach `peerId` (connection refused or reset). */
  peerUnreachable(peerId: number, nowMs: number): void {
    this.advanceClock(nowMs);
    const role = this.role;
    if (role.name === 'follower' && peerId === this.leaderIdValue && this.isVoter && !role.leaderLost) {
      // The leader is most likely gone: stand after one randomized share of the election timeout
      // instead of the whole fetch timeout, and grant other voters' pre-votes meanwhile. The delay
      // is drawn once per lost leader (hosts report every failed redial), so survivors stay apart.
      role.leaderLost = true;
      role.fetchDeadlineMs = Math.min(role.fetchDeadlineMs, this.nowMs + this.randomElectionTimeoutMs() - this.config.electionTimeoutMs);
    }
  }

  /**
   * Records a snapshot of the state machine at `snapshot.endOffset` (which must be committed) and
   * lets the host drop the log before it.
   */
  takeSnapshot(snapshot: SnapshotData): void {
    this.replica.takeSnapshot(snapshot, this.epochValue);
  }

  /** Called by the host (through the node) after it persisted the last ready. */
  onPersisted(appendedUpTo: number | undefined): void {
    if (appendedUpTo === undefined) return;
    if (this.replica.markFlushed(appendedUpTo, this.epochValue) && this.role.name === 'leader') this.role.onFlushed(this.nowMs);
  }

  /** The earliest moment at which `tick` has something to do. */
  nextWakeMs(): number {
    return Math.min(this.roleWakeMs(), this.remoteReads.earliestDeadlineMs());
  }

  /**
   * Asks the leader to change the voter set (KIP-853: add, remove or update one voter). Returns
   * the answer at once when it is refused; otherwise the answer comes through
   * `RaftStateMachine.onVoterChange(changeId)` once the new set commits, times out or leadership
   * ends. Only the leader changes voters: others answer NOT_LEADER_OR_FOLLOWER (the node above
   * forwards the request to the leader).
   */
  changeVoters(changeId: number, change: VoterChange, nowMs: number): VoterChangeResult | undefined {
    this.advanceClock(nowMs);
    if (this.role.name !== 'leader') return refusal('NOT_LEADER_OR_FOLLOWER', `node ${this.config.nodeId} is not the leader`);
    const asker: VoterChangeAsker = { kind: 'local', changeId };
    return this.role.changeVoters(asker, change, this.nowMs);
  }

  /**
   * The node is shutting down: from now on it never becomes Prospective or Candidate (it still
   * votes, follows and fetches; a round already under way goes on until it ends). A node leaving
   * must not win the next epoch: it would lead only until it exits, and the quorum would elect
   * again (a shutting-down broker of 2M partitions did so when its leader stalled). KRaft's
   * KafkaRaftClient skips the move to candidate the same way once its graceful shutdown began,
   * though a combined KRaft node starts that only after the broker's controlled shutdown is over.
   */
  stopStandingForElection(): void {
    this.standsForElection = false;
  }

  /** Graceful shutdown: a leader resigns and tells the voters, so they elect without waiting. */
  resign(nowMs: number): void {
    this.advanceClock(nowMs);
    if (this.role.name === 'leader') this.becomeResigned();
  }

  // ---------------------------------------------------------------- what every message shares

  /**
   * The epoch of a request, before any role sees it. Older: refused. Newer: a Vote moves this node
   * into the epoch as Unattached (a pre-vote changes nothing), a BeginQuorumEpoch makes it follow
   * the sender, an EndQuorumEpoch makes it Unattached, and a request only a leader answers (Fetch,
   * FetchSnapshot, ReadIndex) is refused with UNKNOWN_LEADER_EPOCH, since this node has not reached
   * that epoch. Returns whether the role handler should see the request.
   */
  private admitRequest(from: number, request: RaftRequest): boolean {
    switch (request.type) {
      case 'vote-request': {
        const voterKeyError = this.voteRecipientError(request);
        if (voterKeyError !== undefined) {
          this.replyVote(from, request, false, voterKeyError);
          return false;
        }
        const newer = request.candidateEpoch > this.epochValue;
        // A pre-vote is for an epoch beyond this node's; a real vote for its own or a newer one.
        if (request.preVote ? !newer : request.candidateEpoch < this.epochValue) {
          this.replyVote(from, request, false);
          return false;
        }
        if (newer && !request.preVote) this.becomeUnattached(request.candidateEpoch, null);
        return true;
      }
      case 'begin-quorum-epoch':
      case 'end-quorum-epoch':
        if (request.epoch < this.epochValue) break;
        if (request.epoch > this.epochValue) {
          if (request.type === 'begin-quorum-epoch') this.becomeFollower(request.epoch, request.leaderId);
          else this.becomeUnattached(request.epoch, null);
        }
        return true;
      case 'fetch':
      case 'fetch-snapshot':
      case 'read-index':
      case 'update-voter':
        if (request.epoch === this.epochValue) return true;
        if (request.epoch > this.epochValue) {
          this.refuse(from, request, 'UNKNOWN_LEADER_EPOCH');
          return false;
        }
        break;
    }
    this.refuse(from, request, 'FENCED_LEADER_EPOCH');
    return false;
  }

  /**
   * Whether this node may answer a Vote at all. Under kraft.version 0 both it and the candidate
   * must be in the static voter set. Under 1 (KIP-853) the request must be meant for this very
   * replica (its node id and directory id): a node whose disk was replaced is not the voter its
   * old directory was, and must not vote in its place. Voter sets are not compared then: a
   * candidate may be in a newer voter set than this node has yet.
   */
  private voteRecipientError(request: VoteRequest): RaftErrorName | undefined {
    if (this.kraftVersion === KRAFT_VERSION_STATIC) {
      return this.isVoter && this.voters.has(request.candidateId) ? undefined : 'INCONSISTENT_VOTER_SET';
    }
    const meantFor = request.voterDirectoryId;
    return meantFor !== null && meantFor !== this.config.directoryId ? 'INVALID_VOTER_KEY' : undefined;
  }

  /** A fetch answer counts only while its request is in flight; a late one is dropped, epoch and all. */
  private claimResponse(from: number, response: RaftResponse): boolean {
    switch (response.type) {
      case 'fetch-response': return this.fetcher.claimFetchResponse(response);
      case 'fetch-snapshot-response': return this.fetcher.claimSnapshotResponse(from);
      default: return true;
    }
  }

  /**
   * A responder's epoch and leader. A newer epoch moves this node into it (as a follower when the
   * leader is named, else unattached); a leader named for the current epoch is followed by a node
   * that had none.
   */
  private observeEpoch(epoch: number, leaderId: number | null): void {
    if (epoch > this.epochValue) {
      if (leaderId !== null && leaderId !== this.config.nodeId) this.becomeFollower(epoch, leaderId);
      else this.becomeUnattached(epoch, null);
    } else if (epoch === this.epochValue && leaderId !== null && leaderId !== this.config.nodeId &&
      this.role.name !== 'leader' && this.role.name !== 'follower') {
      // Unattached, Prospective (KIP-996) and Candidate nodes follow a leader named for their epoch.
      this.becomeFollower(epoch, leaderId);
    }
  }

  /** The answer to a request this node will not handle, carrying `error`. */
  private refuse(from: number, request: RaftRequest, error: RaftErrorName): void {
    const epoch = this.epochValue;
    const leaderId = this.advertisedLeaderId();
    switch (request.type) {
      case 'vote-request': return this.replyVote(from, request, false, error);
      case 'begin-quorum-epoch': return this.outbox.send(from, { type: 'begin-quorum-epoch-response', error, epoch, leaderId });
      case 'end-quorum-epoch': return this.outbox.send(from, { type: 'end-quorum-epoch-response', error, epoch, leaderId });
      case 'fetch': return this.outbox.send(from, emptyFetchResponse(request, this.fetchAnswerHeader(), error));
      case 'fetch-snapshot': return this.outbox.send(from, { type: 'fetch-snapshot-response', epoch, leaderId, error } satisfies FetchSnapshotResponse);
      case 'read-index': return this.outbox.send(from, readIndexResponse(epoch, leaderId, request, { error }));
      case 'update-voter': return this.outbox.send(from, { type: 'update-voter-response', error, epoch, leaderId });
    }
  }

  // ---------------------------------------------------------------- role handlers (requests in this node's epoch)

  private stepLeader(role: LeaderRole<R>, from: number, message: RaftMessage): void {
    switch (message.type) {
      // A leader grants no vote and no pre-vote: it is the live leader.
      case 'vote-request': return this.replyVote(from, message, false);
      case 'begin-quorum-epoch':
        // SingleLeader judges this too; without the assertion the leader ignores its rival.
        checkSafety(this.config.unsafeSwitches, false, `two leaders claim epoch ${message.epoch}`);
        return;
      case 'fetch': return role.onFetch(from, message, this.nowMs);
      case 'fetch-snapshot': return role.onFetchSnapshot(from, message, this.nowMs);
      case 'read-index': return role.openRead({ readId: message.readId, origin: from, incarnationId: message.incarnationId }, this.nowMs);
      case 'update-voter': {
        const voter = { id: message.voterId, directoryId: message.voterDirectoryId, endpoints: message.endpoints };
        const result = role.changeVoters({ kind: 'peer', node: from }, { type: 'update', voter }, this.nowMs);
        if (result !== undefined && !result.ok) return this.refuse(from, message, result.error);
        if (result !== undefined) this.outbox.send(from, { type: 'update-voter-response', epoch: this.epochValue, leaderId: this.config.nodeId });
        return;
      }
      case 'begin-quorum-epoch-response':
      case 'end-quorum-epoch-response':
        if (message.error === undefined && message.epoch === this.epochValue) role.onEpochAcknowledged(from);
        return;
      default: return this.stepAnyRole(from, message);
    }
  }

  private stepFollower(role: FollowerRole, from: number, message: RaftMessage): void {
    switch (message.type) {
      case 'vote-request':
        if (!message.preVote) break;
        // KIP-996: a follower that still hears from a live leader refuses pre-votes.
        return this.replyVote(from, message, !this.followsLiveLeader(role) && this.candidateLogAllowsVote(message));
      case 'begin-quorum-epoch':
        if (message.leaderId !== this.leaderIdValue) this.becomeFollower(message.epoch, message.leaderId);
        return this.replyBeginQuorumEpoch(from);
      case 'end-quorum-epoch':
        if (message.leaderId === this.leaderIdValue) this.onLeaderResigned(role, message);
        return this.replyEndQuorumEpoch(from);
      case 'fetch-response': return this.onFetchResponse(role, from, message);
      case 'fetch-snapshot-response': return this.onFetchSnapshotResponse(role, from, message);
    }
    return this.stepAnyRole(from, message);
  }

  private stepCandidate(role: ProspectiveRole | CandidateRole, from: number, message: RaftMessage): void {
    if (message.type === 'vote-response') return this.onVoteResponse(role, from, message);
    return this.stepAnyRole(from, message);
  }

  private stepUnattached(_role: UnattachedRole, from: number, message: RaftMessage): void {
    if (message.type === 'vote-request' && !message.preVote) return this.onVote(from, message);
    return this.stepAnyRole(from, message);
  }

  private stepResigned(_role: ResignedRole, from: number, message: RaftMessage): void {
    return this.stepAnyRole(from, message);
  }

  /** What every role does alike, unless its handler above treats the message itself. */
  private stepAnyRole(from: number, message: RaftMessage): void {
    switch (message.type) {
      // Only Unattached grants a real vote; every role but Leader and a follower of a live leader
      // grants a pre-vote to an up-to-date log.
      case 'vote-request': return this.replyVote(from, message, message.preVote && this.candidateLogAllowsVote(message));
      case 'begin-quorum-epoch':
        this.becomeFollower(message.epoch, message.leaderId);
        return this.replyBeginQuorumEpoch(from);
      case 'end-quorum-epoch': return this.replyEndQuorumEpoch(from);
      case 'fetch':
      case 'fetch-snapshot':
      case 'read-index':
      case 'update-voter': return this.refuse(from, message, 'NOT_LEADER_OR_FOLLOWER');
      case 'fetch-response': return this.fetchFailed();
      case 'fetch-snapshot-response': return this.snapshotFetchFailed();
      case 'read-index-response': return this.remoteReads.settle(message);
      // A voter's update is sent once per leader; its answer, like these others, changes nothing here.
      case 'vote-response':
      case 'begin-quorum-epoch-response':
      case 'end-quorum-epoch-response':
      case 'update-voter-response': return;
    }
  }

  // ---------------------------------------------------------------- votes

  /**
   * A real vote in this epoch, to an Unattached node: granted once per epoch, to an up-to-date
   * log. Voting again for the same candidate (a repeated request) grants again; under kraft.version
   * 1 the candidate is the replica voted for, directory id and all.
   */
  private onVote(from: number, request: VoteRequest): void {
    const votedForCandidate = this.votedForValue === request.candidateId &&
      (this.votedDirectoryId === null || this.votedDirectoryId === request.candidateDirectoryId);
    const grant = (this.votedForValue === null || votedForCandidate) && this.candidateLogAllowsVote(request);
    if (grant && this.votedForValue === null) this.grantVote(request.candidateId, request.candidateDirectoryId);
    this.replyVote(from, request, grant);
  }

  /**
   * Records the vote. The outbox persists it (mustSync) before the reply goes out, so a crash
   * cannot make this node vote again in the epoch.
   */
  private grantVote(candidateId: number, candidateDirectoryId: string | null): void {
    this.outbox.event({ kind: 'vote-granted', epoch: this.epochValue, votedFor: candidateId });
    if (this.config.unsafeSwitches.has('vote-before-persist')) {
      // BUG SWITCH vote-before-persist: the vote lives in memory only, written with the next
      // quorum-state change (following the winner); a crash before then forgets it.
      this.votedForValue = candidateId;
      this.votedDirectoryId = candidateDirectoryId;
      this.transition(null, () => ({ name: 'unattached', electionDeadlineMs: this.nowMs + this.randomElectionTimeoutMs() }));
      return;
    }
    this.transition(this.quorumState(this.epochValue, candidateId, null, candidateDirectoryId), () => ({
      name: 'unattached', electionDeadlineMs: this.nowMs + this.randomElectionTimeoutMs(),
    }));
  }

  /** Raft §5.4.1, unless the vote-without-log-check bug switch is on. */
  private candidateLogAllowsVote(request: VoteRequest): boolean {
    return this.config.unsafeSwitches.has('vote-without-log-check') || candidateLogIsUpToDate(request, this.log);
  }

  private replyVote(to: number, request: VoteRequest, granted: boolean, error?: RaftErrorName): void {
    const response: VoteResponse = {
      type: 'vote-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId(),
      voteGranted: granted, preVote: request.preVote, candidateEpoch: request.candidateEpoch,
    };
    if (error !== undefined) response.error = error;
    this.outbox.send(to, response);
  }

  private onVoteResponse(role: ProspectiveRole | CandidateRole, from: number, response: VoteResponse): void {
    if (response.error !== undefined) return;
    const preVote = role.name === 'prospective';
    const roundEpoch = preVote ? this.epochValue + 1 : this.epochValue;
    // An answer to an older round, or to the other kind of round, is stale.
    if (response.preVote !== preVote || response.candidateEpoch !== roundEpoch) return;
    role.round.record(from, response.voteGranted);
    this.checkVoteTally(role);
  }

  private checkVoteTally(role: ProspectiveRole | CandidateRole): void {
    switch (role.round.tally(role.round.voters.majority)) {
      case 'won': return role.name === 'prospective' ? this.becomeCandidate() : this.becomeLeader();
      case 'lost':
        // Back off a random while before trying again, so rivals desynchronize.
        role.electionDeadlineMs = this.nowMs + this.random.nextFloat() * this.config.electionBackoffMaxMs;
        return;
      case 'open': return;
    }
  }

  /** Asks every other voter; the round's deadline is a fresh randomized election timeout. */
  private startVoteRound(preVote: boolean): { electionDeadlineMs: number; round: VoteRound } {
    const electionDeadlineMs = this.nowMs + this.randomElectionTimeoutMs();
    const request: VoteRequest = {
      type: 'vote-request', clusterId: this.config.clusterId,
      candidateEpoch: preVote ? this.epochValue + 1 : this.epochValue, candidateId: this.config.nodeId,
      candidateDirectoryId: this.config.directoryId, voterDirectoryId: null,
      lastEpoch: this.log.lastEpoch, lastEpochEndOffset: this.log.endOffset, preVote,
    };
    const round = new VoteRound(request, this.voters, this.nowMs + this.retryIntervalMs());
    for (const voter of round.others()) this.outbox.send(voter, round.requestTo(voter));
    return { electionDeadlineMs, round };
  }

  /**
   * Sends the round's vote request again to voters that have not answered: a voter that was down
   * when the round began (restarting after a crash) would otherwise hear of it only at the next
   * election timeout, one to two seconds later. Voters answer a repeated request the same way.
   */
  private resendVoteRequest(round: VoteRound): void {
    for (const voter of round.others()) {
      if (!round.hasAnswered(voter)) this.outbox.send(voter, round.requestTo(voter));
    }
    round.retryAtMs = this.nowMs + this.retryIntervalMs();
  }

  /** KIP-996: a follower hears from a live leader when it fetched within the fetch timeout and was not told otherwise. */
  private followsLiveLeader(role: FollowerRole): boolean {
    return !role.leaderLost && this.nowMs - this.fetcher.lastSuccessMs < this.config.fetchTimeoutMs;
  }

  // ---------------------------------------------------------------- begin / end epoch

  private replyBeginQuorumEpoch(to: number): void {
    this.outbox.send(to, { type: 'begin-quorum-epoch-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId() });
  }

  private replyEndQuorumEpoch(to: number): void {
    this.outbox.send(to, { type: 'end-quorum-epoch-response', epoch: this.epochValue, leaderId: this.advertisedLeaderId() });
  }

  /** The leader resigned: the most caught-up successor stands at once, the others a little later. */
  private onLeaderResigned(role: FollowerRole, request: EndQuorumEpochRequest): void {
    role.leaderLost = true;
    const position = request.preferredSuccessors.indexOf(this.config.nodeId);
    const delayMs = position === 0 ? 0
      : this.random.nextFloat() * this.config.electionBackoffMaxMs * (position < 0 ? 1 : position / request.preferredSuccessors.length);
    role.fetchDeadlineMs = Math.min(role.fetchDeadlineMs, this.nowMs + delayMs);
  }

  // ---------------------------------------------------------------- fetching (the asking side)

  private sendFetch(): void {
    const target = this.fetchTarget();
    if (target === undefined) return;
    this.outbox.send(target, this.fetcher.fetchRequest(this.epochValue, this.log, this.nowMs));
  }

  /**
   * Followers fetch from their leader; an observer without one asks a random voter, or, knowing
   * none yet (a controller that joins later), one of its bootstrap servers.
   */
  private fetchTarget(): number | undefined {
    if (this.role.name === 'follower' && this.leaderIdValue !== null) return this.leaderIdValue;
    if (this.isVoter) return undefined;
    const voters = this.voters.others(this.config.nodeId);
    const targets = voters.length > 0 ? voters : this.config.bootstrapServers;
    return targets[Math.floor(this.random.nextFloat() * targets.length)];
  }

  private onFetchResponse(role: FollowerRole, from: number, response: FetchResponse): void {
    if (response.error !== undefined || from !== this.leaderIdValue || response.epoch !== this.epochValue) return this.fetchFailed();
    this.fetcher.lastSuccessMs = this.nowMs;
    role.fetchDeadlineMs = this.nowMs + this.config.fetchTimeoutMs;
    role.leaderLost = false;
    this.fetcher.readRoundSeen = Math.max(this.fetcher.readRoundSeen, response.readRound);

    if (response.divergingEpoch !== undefined) {
      this.replica.truncateDivergentTail(response.divergingEpoch, this.epochValue);
    } else if (response.snapshotId !== undefined) {
      return this.outbox.send(from, this.fetcher.snapshotRequest(from, this.epochValue, response.snapshotId, this.nowMs));
    } else {
      this.replica.appendFetched(response.entries as LogEntry<R>[], this.epochValue);
      this.replica.advanceHighWatermark(Math.min(response.highWatermark, this.log.endOffset), this.epochValue);
    }
    this.sendFetch();
  }

  /**
   * Not an answer from our leader: retry after a short random pause (observers keep searching),
   * unless learning the epoch already sent a fetch to the new leader.
   */
  private fetchFailed(): void {
    if (this.fetcher.fetchInFlight) return;
    this.fetcher.nextAttemptMs = this.nowMs + this.random.nextFloat() * Math.min(this.config.electionBackoffMaxMs, FETCH_RETRY_BACKOFF_MS_MAX);
  }

  /**
   * A piece of the snapshot being fetched. Like a Fetch answer it shows the leader alive (Kafka
   * resets the fetch timer on it too): a follower fetching a big snapshot in many pieces must not
   * time out and stand for election meanwhile. The piece goes to the receiver (the host's partial
   * file, or memory); once the snapshot is whole and its bytes verify, it is installed. Bytes that
   * do not verify are dropped and the snapshot fetched again from byte 0.
   *
   * The state the snapshot replaces is dropped once its bytes verified, before the new image is
   * built (`releaseFor`): at 2M partitions each image is 100-200 MiB. The build runs within this
   * input, so nothing is answered from the dropped state: the node answers from the old image
   * until this input, from the new one after it. A snapshot whose bytes verified but which does
   * not build (records that do not replay: the leader's bug, not the network's) is then fatal:
   * the node stops, and its disk still holds its old snapshot and log (the store writes the new
   * snapshot only once installed), so it starts again from them.
   */
  private onFetchSnapshotResponse(role: FollowerRole, from: number, response: FetchSnapshotResponse): void {
    if (response.error !== undefined || from !== this.leaderIdValue || response.epoch !== this.epochValue) {
      if (response.error === 'SNAPSHOT_NOT_FOUND' || response.error === 'POSITION_OUT_OF_RANGE') this.fetcher.dropPartialSnapshot();
      return this.snapshotFetchFailed();
    }
    const piece = this.fetcher.takeSnapshotPiece(response);
    if (piece.kind === 'mismatch') return this.snapshotFetchFailed();
    this.fetcher.lastSuccessMs = this.nowMs;
    role.fetchDeadlineMs = this.nowMs + this.config.fetchTimeoutMs;
    role.leaderLost = false;
    if (!piece.whole) {
      return this.outbox.send(from, this.fetcher.snapshotRequest(from, this.epochValue, { endOffset: piece.endOffset, epoch: piece.epoch }, this.nowMs));
    }
    let released = false;
    let snapshot: SnapshotData;
    try {
      snapshot = this.fetcher.decodeWhole((id) => {
        if (id.endOffset === piece.endOffset && id.epoch === piece.epoch) released = this.replica.releaseFor(id.endOffset);
      });
    } catch (error) {
      if (released) throw new Error(`snapshot ${piece.endOffset}-${piece.epoch} verified but did not build, and the state it replaces is gone`, { cause: error });
      return this.snapshotFetchFailed();
    }
    if (snapshot.endOffset !== piece.endOffset || snapshot.lastEpoch !== piece.epoch) {
      assert(!released, `snapshot ${piece.endOffset}-${piece.epoch} built as ${snapshot.endOffset}-${snapshot.lastEpoch}`);
      return this.snapshotFetchFailed();
    }
    this.replica.installFetchedSnapshot(snapshot, this.epochValue);
    this.sendFetch();
  }

  private snapshotFetchFailed(): void {
    this.fetcher.nextAttemptMs = this.nowMs;
    this.sendFetch();
  }

  /** What this node's Fetch answers say about it (a refusal from any role). */
  private fetchAnswerHeader(): FetchAnswerHeader {
    return {
      epoch: this.epochValue, leaderId: this.advertisedLeaderId(), highWatermark: this.replica.highWatermark,
      logStartOffset: this.log.startOffset, readRound: this.role.name === 'leader' ? this.role.reads.round : 0,
      leaderEndpoints: this.leaderEndpointsToAdvertise(),
    };
  }

  // ---------------------------------------------------------------- timers

  private tickElection(role: ElectionRole): void {
    if (this.nowMs >= role.electionDeadlineMs) {
      if (this.isVoter && this.standsForElection) this.becomeProspective();
      else role.electionDeadlineMs = Infinity;
    } else if ((role.name === 'prospective' || role.name === 'candidate') && this.nowMs >= role.round.retryAtMs) {
      this.resendVoteRequest(role.round);
    }
    if (!this.isVoter) this.tickObserverSearch();
  }

  private tickFollower(role: FollowerRole): void {
    if (this.nowMs >= role.fetchDeadlineMs) {
      if (this.isVoter && this.standsForElection) return this.becomeProspective();
      if (this.isVoter) {
        // Shutting down: it goes on fetching (its own fencing has yet to reach it) until a new
        // leader, elected by the others, tells it so.
        role.fetchDeadlineMs = this.nowMs + this.config.fetchTimeoutMs;
      } else {
        // An observer lost its leader: look for the current one among the voters.
        this.becomeUnattached(this.epochValue, this.votedForValue);
        return this.tickObserverSearch();
      }
    }
    this.fetcher.expireFetch(this.nowMs);
    this.fetcher.expireSnapshotFetch(this.nowMs);
    if (this.fetcher.idle && this.nowMs >= this.fetcher.nextAttemptMs) this.sendFetch();
  }

  /** Observers without a leader ask voters in turn until one names the leader. */
  private tickObserverSearch(): void {
    this.fetcher.expireFetch(this.nowMs);
    if (!this.fetcher.fetchInFlight && this.nowMs >= this.fetcher.nextAttemptMs) this.sendFetch();
  }

  private tickLeader(role: LeaderRole<R>): void {
    // It committed a voter set without itself (it removed itself): it hands over at once, and as
    // an observer now asks for the next leader in this tick (left to the next, its wake fell due
    // at the moment just ticked: a spin).
    if (role.resignRequested) {
      this.becomeResigned();
      return this.tickObserverSearch();
    }
    role.flushIfLingered(this.nowMs);
    if (this.nowMs >= role.checkQuorumDeadlineMs(this.nowMs)) return this.becomeResigned();
    role.tick(this.nowMs);
  }

  private roleWakeMs(): number {
    const role = this.role;
    switch (role.name) {
      case 'leader': return role.wakeMs(this.nowMs);
      case 'follower': return Math.min(role.fetchDeadlineMs, this.fetcher.dueMs(), this.fetcher.timeoutMs());
      default: {
        // Only observers fetch outside the Follower role.
        const fetchDueMs = this.isVoter ? Infinity : this.fetcher.dueMs();
        const retryAtMs = role.name === 'prospective' || role.name === 'candidate' ? role.round.retryAtMs : Infinity;
        return Math.min(role.electionDeadlineMs, fetchDueMs, this.fetcher.timeoutMs(), retryAtMs);
      }
    }
  }

  // ---------------------------------------------------------------- role changes

  /**
   * Every role change goes through here, in one order: the leader role ends (its waiting reads
   * are refused and the state machine told), the quorum state changes (persisted before anything
   * is sent), the fetch in flight is abandoned, the new role is entered and announced.
   */
  private transition<T extends RaftRole<R>>(quorumState: QuorumStateRecord | null, enter: () => T): T {
    const previous = this.role;
    if (previous.name === 'leader') {
      previous.end();
      this.stateMachine.onLeadershipChange(false, this.epochValue);
    }
    if (quorumState !== null) this.setQuorumState(quorumState);
    this.fetcher.abandonFetch();
    const next = enter();
    this.role = next;
    this.emitStateChange();
    return next;
  }

  private recoveredRole(): RaftRole<R> {
    if (!this.isVoter) {
      this.fetcher.nextAttemptMs = this.nowMs;
      return { name: 'unattached', electionDeadlineMs: Infinity };
    }
    if (this.leaderIdValue === this.config.nodeId) {
      // A leader that restarts cannot resume its epoch: its in-memory state is gone.
      return { name: 'resigned', electionDeadlineMs: this.nowMs + this.randomElectionTimeoutMs() };
    }
    if (this.leaderIdValue !== null) {
      this.fetcher.nextAttemptMs = this.nowMs;
      return { name: 'follower', fetchDeadlineMs: this.nowMs + this.config.fetchTimeoutMs, leaderLost: false };
    }
    return { name: 'unattached', electionDeadlineMs: this.nowMs + this.randomElectionTimeoutMs() };
  }

  private becomeUnattached(epoch: number, votedFor: number | null): void {
    const votedDirectoryId = epoch === this.epochValue ? this.votedDirectoryId : null;
    this.transition(this.quorumState(epoch, votedFor, null, votedFor === null ? null : votedDirectoryId), () => {
      const electionDeadlineMs = this.isVoter ? this.nowMs + this.randomElectionTimeoutMs() : Infinity;
      this.fetcher.nextAttemptMs = this.isVoter ? Infinity : this.nowMs;
      return { name: 'unattached', electionDeadlineMs };
    });
  }

  private becomeFollower(epoch: number, leaderId: number): void {
    assert(leaderId !== this.config.nodeId, 'cannot follow itself');
    const sameEpoch = epoch === this.epochValue;
    this.transition(this.quorumState(epoch, sameEpoch ? this.votedForValue : null, leaderId, sameEpoch ? this.votedDirectoryId : null), () => {
      // Read rounds count per leader and epoch: echoing an older leader's round to this one would
      // confirm reads this node never saw (the simulator caught an isolated leader answering so).
      this.fetcher.readRoundSeen = 0;
      this.fetcher.nextAttemptMs = this.nowMs;
      return { name: 'follower', fetchDeadlineMs: this.nowMs + this.config.fetchTimeoutMs, leaderLost: false };
    });
    this.sendFetch();
    this.updateOwnEndpoints(leaderId);
  }

  /**
   * A voter whose listeners differ from those its voter set lists tells its new leader (Kafka's
   * UpdateRaftVoter), so others reach it where it is now.
   */
  private updateOwnEndpoints(leaderId: number): void {
    const listed = this.voters.get(this.config.nodeId);
    if (this.kraftVersion < KRAFT_VERSION_DYNAMIC || listed === undefined || !this.isVoter) return;
    if (this.config.endpoints.length === 0 || sameEndpoints(listed.endpoints, this.config.endpoints)) return;
    this.outbox.send(leaderId, {
      type: 'update-voter', clusterId: this.config.clusterId, epoch: this.epochValue, voterId: this.config.nodeId,
      voterDirectoryId: this.config.directoryId, endpoints: [...this.config.endpoints],
    } satisfies UpdateVoterRequest);
  }

  private becomeProspective(): void {
    if (!this.isVoter) return;
    // BUG SWITCH pre-vote-off: stand at once, raising the epoch, as Raft without KIP-996 does.
    if (this.config.unsafeSwitches.has('pre-vote-off')) return this.becomeCandidate();
    const role = this.transition(null, (): ProspectiveRole => ({ name: 'prospective', ...this.startVoteRound(true) }));
    this.checkVoteTally(role);
  }

  private becomeCandidate(): void {
    const role = this.transition(this.quorumState(this.epochValue + 1, this.config.nodeId, null, this.config.directoryId),
      (): CandidateRole => ({ name: 'candidate', ...this.startVoteRound(false) }));
    this.checkVoteTally(role);
  }

  private becomeLeader(): void {
    const role = this.transition(this.quorumState(this.epochValue, this.votedForValue, this.config.nodeId, this.votedDirectoryId), () => {
      this.fetcher.nextAttemptMs = Infinity;
      const progress = new LeaderState(this.config.nodeId, this.config.directoryId, this.voters, this.log.endOffset, this.nowMs,
        this.config.unsafeSwitches.has('commit-without-majority'));
      return new LeaderRole(this.leaderContext, this.epochValue, progress);
    });
    this.outbox.event({ kind: 'became-leader', epoch: this.epochValue, leaderId: this.config.nodeId });
    // Committing a record of its own epoch is what lets the leader advance the high watermark.
    role.appendEpochStart(this.stateMachine.epochStartRecord(this.epochValue, this.config.nodeId), this.nowMs);
    role.sendBeginQuorumEpoch(this.nowMs);
    this.stateMachine.onLeadershipChange(true, this.epochValue);
    role.onFlushed(this.nowMs);
  }

  private becomeResigned(): void {
    const successors = this.role.name === 'leader' ? this.role.state.preferredSuccessors() : [];
    this.transition(null, (): ResignedRole => {
      // A leader that removed itself is an observer now: it looks for the next leader at once.
      if (!this.isVoter) this.fetcher.nextAttemptMs = this.nowMs;
      return { name: 'resigned', electionDeadlineMs: this.nowMs + this.randomElectionTimeoutMs() };
    });
    for (const voter of this.voters.others(this.config.nodeId)) {
      this.outbox.send(voter, {
        type: 'end-quorum-epoch', clusterId: this.config.clusterId, epoch: this.epochValue,
        leaderId: this.config.nodeId, preferredSuccessors: successors,
      } satisfies EndQuorumEpochRequest);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A quorum state to persist; the voted directory id only under kraft.version 1 (kraft.version 0 files stay as they were). */
  private quorumState(epoch: number, votedFor: number | null, leaderId: number | null, votedDirectoryId: string | null): QuorumStateRecord {
    return votedDirectoryId === null ? { epoch, votedFor, leaderId } : { epoch, votedFor, leaderId, votedDirectoryId };
  }

  private setQuorumState(state: QuorumStateRecord): void {
    const { epoch, votedFor, leaderId } = state;
    const votedDirectoryId = state.votedDirectoryId ?? null;
    assert(epoch >= this.epochValue, `epoch would go back from ${this.epochValue} to ${epoch}`);
    if (epoch === this.epochValue && votedFor === this.votedForValue && leaderId === this.leaderIdValue &&
      votedDirectoryId === this.votedDirectoryId) return;
    if (epoch === this.epochValue && this.votedForValue !== null) {
      checkSafety(this.config.unsafeSwitches, votedFor === this.votedForValue && votedDirectoryId === this.votedDirectoryId,
        `vote in epoch ${epoch} would change from ${this.votedForValue} to ${votedFor}`);
    }
    // Remote reads asked in an older epoch will never be answered by that leader.
    if (epoch > this.epochValue) this.remoteReads.failAll();
    this.epochValue = epoch;
    this.votedForValue = votedFor;
    this.votedDirectoryId = votedDirectoryId;
    this.leaderIdValue = leaderId;
    this.outbox.persistQuorumState(state);
  }

  /**
   * The latest voter set changed (an entry came or went): a leader recounts its majorities. A
   * follower whose leader the new set leaves out (a leader removing itself leads until the change
   * commits) keeps the leader's endpoints from the set before, or its host would stop dialing the
   * leader it must fetch from to commit that very change.
   */
  private onVotersChanged(): void {
    // Null while the replica is being built (a recovered snapshot): no leader to keep yet.
    const previous = this.votersSeen;
    if (previous !== null) {
      this.votersSeen = this.replica.voters;
      this.keepLeaderReachable(previous, this.votersSeen);
    }
    if (this.role?.name === 'leader') this.role.onVotersChanged(this.nowMs);
  }

  private keepLeaderReachable(previous: VoterSet, voters: VoterSet): void {
    const leaderId = this.leaderIdValue;
    if (leaderId === null || leaderId === this.config.nodeId || voters.has(leaderId) || this.learnedLeader?.id === leaderId) return;
    const endpoints = previous.get(leaderId)?.endpoints;
    if (endpoints !== undefined && endpoints.length > 0) this.learnedLeader = { id: leaderId, endpoints };
  }

  private learnLeaderEndpoints(response: FetchResponse): void {
    const { leaderId, leaderEndpoints } = response;
    if (leaderId === null || leaderEndpoints === undefined || leaderEndpoints.length === 0) return;
    const known = this.learnedLeader;
    if (known !== null && known.id === leaderId && sameEndpoints(known.endpoints, leaderEndpoints)) return;
    this.learnedLeader = { id: leaderId, endpoints: leaderEndpoints };
  }

  /** Where the leader this node names is reached, for a fetcher that does not know (KIP-853's NodeEndpoints). */
  private leaderEndpointsToAdvertise(): readonly VoterEndpoint[] | undefined {
    const leaderId = this.advertisedLeaderId();
    if (leaderId === null) return undefined;
    const listed = this.voters.get(leaderId)?.endpoints;
    if (listed !== undefined) return listed;
    // A leader that removed itself still leads until the removal commits: it says where it is.
    if (leaderId === this.config.nodeId) return this.config.endpoints.length > 0 ? this.config.endpoints : undefined;
    return this.learnedLeader?.id === leaderId ? this.learnedLeader.endpoints : undefined;
  }


  /**
   * The leader this node names in its answers: only one it follows (or itself as leader). A
   * Prospective or Candidate node still remembers the leader it gave up on, and naming that one
   * would pull its peers back to a leader they already found silent.
   */
  private advertisedLeaderId(): number | null {
    return this.role.name === 'leader' || this.role.name === 'follower' ? this.leaderIdValue : null;
  }

  private emitStateChange(): void {
    this.outbox.event({
      kind: 'epoch-changed', epoch: this.epochValue, state: this.role.name,
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

  private retryIntervalMs(): number {
    return Math.min(REQUEST_RETRY_MS_MAX, this.config.requestTimeoutMs);
  }
}

/** The kraft.version and voters this node's configuration gives, until its log says more. */
function configuredControl(config: RaftConfig): ControlState {
  if (config.kraftVersion === KRAFT_VERSION_STATIC) return staticControlState(config.voters);
  return {
    kraftVersion: config.kraftVersion,
    voters: config.bootstrapVoters === null ? null : new VoterSet(config.bootstrapVoters),
  };
}
