/**
 * The Leader role: everything only a leader has, alive from election to the end of its term. It
 * appends proposals (gathered for the append linger), answers fetches (holding those with nothing
 * new for up to the fetch max wait), advances the high watermark, confirms read rounds, announces
 * its epoch with BeginQuorumEpoch (again to voters that fall silent), and resigns when a majority
 * stops fetching (check-quorum).
 *
 * A leader's epoch never changes while it leads: any newer epoch ends the role first (raft-node.ts
 * makes every role change), so the epoch is fixed at construction.
 *
 * Why each rule:
 * - The high watermark is the offset a majority of voters, the leader included, hold durably, and
 *   it only moves once that offset covers a record of the leader's own epoch (Raft §5.4.2): a new
 *   leader never commits an older epoch's records by counting replicas alone.
 * - A leader that has not heard a fetch from a majority within CHECK_QUORUM_FETCH_TIMEOUTS fetch
 *   timeouts resigns, so a partitioned leader stops answering reads and writes.
 * - Reads are answered only in rounds a majority echoed after the read arrived (read-index.ts).
 * - The voter set changes one voter at a time, and only once the previous change is committed
 *   (voter-changes.ts). Majorities are counted over the latest voter set in the log, committed or
 *   not, and the leader counts itself only while it is in that set: a leader removing itself keeps
 *   leading until the removal commits, then resigns.
 */
import type { LogEntry, SnapshotBytes, SnapshotData, SnapshotId } from '../host-interface.js';
import type { LeaderState } from './leader-state.js';
import type { LocalReplica } from './local-replica.js';
import { checkFetchPosition, emptyFetchResponse } from './fetch-answers.js';
import type {
  BeginQuorumEpochRequest, FetchRequest, FetchResponse, FetchSnapshotRequest, FetchSnapshotResponse, UpdateVoterResponse,
} from './messages.js';
import type { Outbox } from './outbox.js';
import { CHECK_QUORUM_FETCH_TIMEOUTS, REQUEST_RETRY_MS_MAX, type RaftConfig } from './raft-config.js';
import type { RaftStateMachine } from './raft-node.js';
import { LeaderReads, readIndexResponse, type ReadAsker, type ReadIndexResult } from './read-index.js';
import {
  isCaughtUp, plannedVoterSet, refusal, type VoterChange, type VoterChangeAsker, type VoterChangeResult,
} from './voter-changes.js';
import { KRAFT_VERSION_DYNAMIC, VoterSet } from './voter-set.js';

interface PendingVoterChange {
  asker: VoterChangeAsker;
  /** Where the new voter set landed: the change is done once the high watermark passes it. */
  offset: number;
  deadlineMs: number;
}

/** What a leader works with, besides its own state. */
export interface LeaderContext<R> {
  readonly config: RaftConfig;
  readonly replica: LocalReplica<R>;
  readonly outbox: Outbox<R>;
  readonly stateMachine: RaftStateMachine<R>;
}

/**
 * What an entry costs a fetch answer beside its records' bytes (RaftStateMachine.bytesOf): its
 * offset (float64), epoch (int32) and the records' length (int32) on the wire. A fetch answer
 * carries entries up to the fetcher's FetchRequest.maxBytes counted so, as KRaft bounds fetches
 * by bytes: a follower catching up on 512 entries of 10,000-partition topics would otherwise be
 * sent one frame of 5 million records, beyond socket.request.max.bytes.
 */
export const FETCH_ENTRY_OVERHEAD_BYTES = 16;

/** Snapshot files a leader holds open for fetches under way: the newest and the one before it. */
const SERVED_FILES_MAX = 2;

function snapshotKey(id: SnapshotId): string {
  return `${id.endOffset}-${id.epoch}`;
}

export class LeaderRole<R> {
  readonly name = 'leader';
  readonly reads = new LeaderReads();
  /** Proposals waiting out the append linger. */
  private proposals: R[] = [];
  private lingerDeadlineMs = Infinity;
  private pendingChange: PendingVoterChange | null = null;
  /** The leader is not in its own committed voter set: it must resign (raft-node.ts does, at once). */
  resignRequested = false;
  /** The bytes of the snapshot FetchSnapshot serves, made once per snapshot (not once per piece). */
  private servedSnapshot: { snapshot: SnapshotData; bytes: SnapshotBytes } | null = null;
  /**
   * With a host that keeps snapshot files (SnapshotCodec.fileBytes): the files served lately, held
   * open, newest last, at most SERVED_FILES_MAX. A fetch under way finishes from the snapshot it
   * started on even after a newer one replaced it (and its file was unlinked): a snapshot every
   * few seconds would otherwise send a follower fetching 70 MB back to byte 0 each time.
   */
  private readonly servedFiles = new Map<string, SnapshotBytes>();

  constructor(
    private readonly context: LeaderContext<R>,
    readonly epoch: number,
    /** Each replica's progress, the fetches held, the epoch start. */
    readonly state: LeaderState,
  ) {}

  private get config(): RaftConfig { return this.context.config; }
  private get replica(): LocalReplica<R> { return this.context.replica; }

  /** Whether a record of this epoch is committed: before that the leader may not answer reads. */
  get epochCommitted(): boolean {
    return this.replica.highWatermark > this.state.epochStartOffset;
  }

  /** Where the next proposal will land. */
  get nextProposalOffset(): number {
    return this.replica.log.endOffset + this.proposals.length;
  }

  // ---------------------------------------------------------------- appending

  propose(record: R, nowMs: number): number {
    const offset = this.nextProposalOffset;
    this.proposals.push(record);
    if (this.config.appendLingerMs === 0) {
      this.flushProposals(nowMs);
    } else if (this.lingerDeadlineMs === Infinity) {
      this.lingerDeadlineMs = nowMs + this.config.appendLingerMs;
    }
    return offset;
  }

  /**
   * The record a new leader appends at once, ahead of any proposal: committing it commits the
   * epoch. Under kraft.version 1, a leader whose log holds no voter set yet (only the bootstrap
   * voters `format` wrote) writes it next, so every replica, observers included, learns it.
   */
  appendEpochStart(record: R, nowMs: number): void {
    this.proposals.unshift(record);
    this.flushProposals(nowMs);
    const history = this.replica.voterHistory;
    if (history.kraftVersion === KRAFT_VERSION_DYNAMIC && !history.votersInLog && history.knowsVoters) {
      this.replica.appendAsLeader([this.context.stateMachine.controlRecord({
        kraftVersion: history.kraftVersion, voters: history.voters.voters,
      })], this.epoch);
    }
  }

  /** Appends the gathered proposals in one batch and answers the fetches held for news. */
  flushProposals(nowMs: number): void {
    this.lingerDeadlineMs = Infinity;
    if (this.proposals.length === 0) return;
    this.replica.appendAsLeader(this.proposals, this.epoch);
    this.proposals = [];
    this.answerParkedFetches(nowMs);
  }

  // ---------------------------------------------------------------- fetches

  /** A fetch in this leader's epoch (raft-node.ts answered every other epoch already). */
  onFetch(from: number, request: FetchRequest, nowMs: number): void {
    const progress = this.state.progressOf(request.replicaId, request.replicaDirectoryId, nowMs);
    progress.lastFetchMs = nowMs;
    progress.knowsEpoch = true;
    progress.echoedReadRound = Math.max(progress.echoedReadRound, request.readRound);
    this.state.parkedFetches.delete(from);

    const position = checkFetchPosition(request, this.replica.log, this.snapshotToPoint(request.fetchOffset), this.epoch);
    if (position?.snapshotId !== undefined && !this.canServe(position.snapshotId)) {
      // Its file is still being written: held like an idle fetch (answered with the pointer at
      // the max wait, or sooner), so the follower asks again rather than the leader encoding it.
      this.state.parkedFetches.set(from, { from, request, deadlineMs: nowMs + this.config.fetchMaxWaitMs });
      return;
    }
    if (position !== undefined) return this.send(from, Object.assign(this.emptyFetchResponse(request), position));

    progress.matchOffset = request.fetchOffset;
    if (request.fetchOffset >= this.replica.log.endOffset) progress.lastCaughtUpMs = nowMs;
    this.maybeAdvanceHighWatermark(nowMs);
    this.completeConfirmedReads();
    const hasNews = request.fetchOffset < this.replica.log.endOffset || progress.sentHighWatermark !== this.replica.highWatermark ||
      (this.state.isVoterProgress(request.replicaId, progress) && this.reads.waitsBeyond(request.readRound));
    if (hasNews || this.config.fetchMaxWaitMs === 0) return this.respondFetch(from, request, nowMs);
    this.state.parkedFetches.set(from, { from, request, deadlineMs: nowMs + this.config.fetchMaxWaitMs });
  }

  /**
   * A piece of the snapshot asked for: at most the asker's and this leader's max bytes from the
   * position asked (Kafka's FetchSnapshot), so no answer is ever a whole 70 MB snapshot. A voter
   * fetching a snapshot counts as fetching for check-quorum, as in Kafka: it is catching up.
   */
  onFetchSnapshot(from: number, request: FetchSnapshotRequest, nowMs: number): void {
    const bytes = this.snapshotBytes(request.snapshotId);
    const response: FetchSnapshotResponse = { type: 'fetch-snapshot-response', epoch: this.epoch, leaderId: this.state.nodeId };
    if (bytes === null) {
      response.error = 'SNAPSHOT_NOT_FOUND';
      return this.send(from, response);
    }
    if (this.state.voters.isVoter(request.replicaId, request.replicaDirectoryId)) {
      this.state.progressOf(request.replicaId, request.replicaDirectoryId, nowMs).lastFetchMs = nowMs;
    }
    if (!Number.isSafeInteger(request.position) || request.position < 0 || request.position > bytes.size) {
      response.error = 'POSITION_OUT_OF_RANGE';
      return this.send(from, response);
    }
    const maxBytes = Math.max(1, Math.min(request.maxBytes, this.config.fetchSnapshotMaxBytes));
    Object.assign(response, {
      snapshotId: { endOffset: request.snapshotId.endOffset, epoch: request.snapshotId.epoch }, size: bytes.size, position: request.position,
      bytes: bytes.read(request.position, maxBytes),
    });
    this.send(from, response);
  }

  /**
   * The snapshot a fetch below the log start is pointed at. With a host that keeps snapshot files,
   * the newest one whose file is durable, if it takes the fetcher past where it is; else (and with
   * any other host) the newest snapshot.
   */
  private snapshotToPoint(fetchOffset: number): Pick<SnapshotData, 'endOffset' | 'lastEpoch'> | null {
    const current = this.replica.snapshot;
    const durable = this.context.stateMachine.snapshotCodec.newestDurable?.() ?? null;
    if (current === null || durable === null || durable.endOffset <= fetchOffset || durable.endOffset > current.endOffset) return current;
    return { endOffset: durable.endOffset, lastEpoch: durable.epoch };
  }

  /** Whether FetchSnapshot of `id` can be answered now without encoding it (always, with a host that keeps no files). */
  private canServe(id: SnapshotId): boolean {
    const codec = this.context.stateMachine.snapshotCodec;
    if (codec.fileBytes === undefined) return true;
    const durable = codec.newestDurable?.() ?? null;
    return this.servedFiles.has(snapshotKey(id)) || (durable !== null && durable.endOffset === id.endOffset && durable.epoch === id.epoch);
  }

  /** The bytes FetchSnapshot serves for `id`, made once per snapshot; null when this leader has none to give. */
  private snapshotBytes(id: SnapshotId): SnapshotBytes | null {
    const codec = this.context.stateMachine.snapshotCodec;
    const snapshot = this.replica.snapshot;
    if (codec.fileBytes === undefined) {
      if (snapshot === null || snapshot.endOffset !== id.endOffset || snapshot.lastEpoch !== id.epoch) return null;
      if (this.servedSnapshot?.snapshot !== snapshot) this.servedSnapshot = { snapshot, bytes: codec.bytesOf(snapshot) };
      return this.servedSnapshot.bytes;
    }
    const key = snapshotKey(id);
    let bytes = this.servedFiles.get(key);
    if (bytes !== undefined) {
      this.servedFiles.delete(key);
    } else {
      if (!this.canServe(id)) return null;
      bytes = codec.fileBytes(id) ?? undefined;
      if (bytes === undefined) return null;
    }
    this.servedFiles.set(key, bytes);
    for (const [oldKey, old] of this.servedFiles) {
      if (this.servedFiles.size <= SERVED_FILES_MAX) break;
      this.servedFiles.delete(oldKey);
      old.release?.();
    }
    return bytes;
  }

  emptyFetchResponse(request: FetchRequest): FetchResponse {
    return emptyFetchResponse(request, {
      epoch: this.epoch, leaderId: this.state.nodeId, highWatermark: this.replica.highWatermark,
      logStartOffset: this.replica.log.startOffset, readRound: this.reads.round,
    });
  }

  private respondFetch(to: number, request: FetchRequest, nowMs: number): void {
    const progress = this.state.progressOf(request.replicaId, request.replicaDirectoryId, nowMs);
    const response = this.emptyFetchResponse(request);
    const log = this.replica.log;
    // A parked fetch may now lie below the log start: a snapshot taken while it waited deleted
    // the entries it asks for, so it is pointed at the snapshot instead.
    if (request.fetchOffset < log.startOffset) {
      this.send(to, Object.assign(response, checkFetchPosition(request, log, this.snapshotToPoint(request.fetchOffset), this.epoch)));
      return;
    }
    // Most answers carry nothing new (a fetch at the log end, held or answered for a newer high
    // watermark or read round): they keep the empty list the answer was made with.
    if (request.fetchOffset < log.endOffset) {
      response.entries = log.slice(request.fetchOffset, this.config.fetchMaxEntries, this.entryFetchBytes, request.maxBytes);
    }
    progress.sentHighWatermark = this.replica.highWatermark;
    this.send(to, response);
  }

  /** What an entry costs a fetch answer (made once per role, not once per answer). */
  private readonly entryFetchBytes = (entry: LogEntry<R>): number =>
    this.context.stateMachine.bytesOf(entry.record) + FETCH_ENTRY_OVERHEAD_BYTES;

  private answerParkedFetch(from: number, nowMs: number): void {
    const parked = this.state.parkedFetches.get(from);
    if (parked === undefined) return;
    this.state.parkedFetches.delete(from);
    this.respondFetch(from, parked.request, nowMs);
  }

  /*
   * The loops below walk parkedFetches itself, not a copy: answering a fetch deletes only the
   * entry being visited, which a Map's iteration allows, and parks nothing (respondFetch only
   * sends), so they visit the same fetches in the same order a copy would.
   */

  private answerParkedFetches(nowMs: number): void {
    for (const from of this.state.parkedFetches.keys()) this.answerParkedFetch(from, nowMs);
  }

  /**
   * Answers the fetches voters hold here, so they come back echoing the newest read round. An
   * observer's echo confirms nothing (readRoundConfirmed counts voters), so its fetch stays held.
   */
  private answerParkedVoterFetches(nowMs: number): void {
    for (const [from, parked] of this.state.parkedFetches) {
      if (this.state.voters.isVoter(parked.request.replicaId, parked.request.replicaDirectoryId)) this.answerParkedFetch(from, nowMs);
    }
  }

  // ---------------------------------------------------------------- the high watermark

  /** The host made the leader's own appends durable: they count toward the majority now. */
  onFlushed(nowMs: number): void {
    this.maybeAdvanceHighWatermark(nowMs);
  }

  /**
   * Moves the high watermark to the offset a majority of voters hold durably, once that offset
   * covers a record of this epoch (Raft §5.4.2: counting replicas alone never commits an older
   * epoch's records).
   */
  private maybeAdvanceHighWatermark(nowMs: number): void {
    const majorityOffset = this.state.majorityMatchOffset(this.replica.log.flushedEndOffset);
    // BUG SWITCH commit-before-own-epoch: older epochs' records commit by counting replicas alone.
    if (majorityOffset <= this.state.epochStartOffset && !this.config.unsafeSwitches.has('commit-before-own-epoch')) return;
    if (majorityOffset <= this.replica.highWatermark) return;
    this.replica.advanceHighWatermark(majorityOffset, this.epoch);
    this.answerParkedFetches(nowMs);
    this.completeConfirmedReads();
    this.checkVoterChangeCommitted();
  }

  // ---------------------------------------------------------------- reads

  /** A read index asked by `origin` (this node or a follower): a new read round. */
  openRead(asker: ReadAsker, nowMs: number): void {
    this.reads.open(asker);
    // Answer the voters' held fetches now, so they come back at once echoing the new round.
    this.answerParkedVoterFetches(nowMs);
    this.completeConfirmedReads();
  }

  private completeConfirmedReads(): void {
    if (!this.epochCommitted) return;
    while (true) {
      const read = this.reads.takeConfirmed(this.roundConfirmed);
      if (read === undefined) return;
      this.answerRead(read, { readIndex: this.replica.highWatermark });
    }
  }

  answerRead(asker: ReadAsker, result: ReadIndexResult): void {
    if (asker.origin === this.state.nodeId) return this.context.stateMachine.onReadIndex(asker.readId, result);
    this.send(asker.origin, readIndexResponse(this.epoch, this.state.nodeId, asker, result));
  }

  // ---------------------------------------------------------------- the epoch and the quorum

  /**
   * Tells every voter that has not acknowledged this epoch yet (again after the retry interval),
   * and every voter that has not fetched for half a fetch timeout (again every half fetch
   * timeout). BeginQuorumEpoch is the leader's heartbeat, as in KRaft (KafkaRaftClient's
   * BeginQuorumEpoch timer, to voters that have not fetched within it): a voter that stopped
   * fetching may have moved to a newer epoch without a leader (it voted for a candidate that never
   * won). With pre-vote nothing else would tell this leader so: that voter's pre-votes are refused
   * by the voters that follow this leader, and a pre-vote raises no epoch. Its answer, refused with
   * its newer epoch, moves this leader into that epoch (raft-node.ts, observeEpoch), so the next
   * election brings it back. A silent voter still in this epoch follows this leader on it.
   */
  sendBeginQuorumEpoch(nowMs: number): void {
    const heartbeatMs = this.config.fetchTimeoutMs / 2;
    let everyoneKnows = true;
    for (const [voter, progress] of this.state.voterProgress) {
      if (progress.knowsEpoch && nowMs - progress.lastFetchMs < heartbeatMs) continue;
      if (!progress.knowsEpoch) everyoneKnows = false;
      this.send(voter, {
        type: 'begin-quorum-epoch', clusterId: this.config.clusterId, epoch: this.epoch, leaderId: this.state.nodeId,
      } satisfies BeginQuorumEpochRequest);
    }
    this.state.nextBeginEpochRetryMs = nowMs + (everyoneKnows ? heartbeatMs : Math.min(REQUEST_RETRY_MS_MAX, this.config.requestTimeoutMs));
  }

  /** A voter acknowledged this epoch (answered BeginQuorumEpoch or EndQuorumEpoch without error). */
  onEpochAcknowledged(voter: number): void {
    const progress = this.state.voterProgress.get(voter);
    if (progress !== undefined) progress.knowsEpoch = true;
  }

  /**
   * Check-quorum: the moment this leader must resign unless a majority of voters fetched since.
   * A single voter is its own majority and never resigns so.
   */
  checkQuorumDeadlineMs(nowMs: number): number {
    // BUG SWITCH check-quorum-off: a leader cut off from the quorum never resigns.
    if (this.state.leaderAloneIsMajority || this.config.unsafeSwitches.has('check-quorum-off')) return Infinity;
    return this.state.quorumContactMs(nowMs) + CHECK_QUORUM_FETCH_TIMEOUTS * this.config.fetchTimeoutMs;
  }

  // ---------------------------------------------------------------- timers

  /** Everything due except check-quorum, which raft-node.ts checks first (it ends the role). */
  tick(nowMs: number): void {
    if (nowMs >= this.state.nextBeginEpochRetryMs) this.sendBeginQuorumEpoch(nowMs);
    if (this.pendingChange !== null && nowMs >= this.pendingChange.deadlineMs) {
      this.finishVoterChange(refusal('REQUEST_TIMED_OUT', 'the new voter set was written but not committed in time', true));
    }
    for (const parked of this.state.parkedFetches.values()) {
      if (nowMs >= parked.deadlineMs) this.answerParkedFetch(parked.from, nowMs);
    }
  }

  flushIfLingered(nowMs: number): void {
    if (nowMs >= this.lingerDeadlineMs) this.flushProposals(nowMs);
  }

  wakeMs(nowMs: number): number {
    if (this.resignRequested) return nowMs;
    let wake = Math.min(this.lingerDeadlineMs, this.state.nextBeginEpochRetryMs, this.checkQuorumDeadlineMs(nowMs),
      this.pendingChange?.deadlineMs ?? Infinity);
    for (const parked of this.state.parkedFetches.values()) wake = Math.min(wake, parked.deadlineMs);
    return wake;
  }

  /**
   * Leadership ends: every read still waiting is refused, and a voter change not yet committed is
   * answered as possibly done. Proposals not yet appended are dropped with the role.
   */
  end(): void {
    for (const bytes of this.servedFiles.values()) bytes.release?.();
    this.servedFiles.clear();
    for (const read of this.reads.drain()) this.answerRead(read, { error: 'NOT_LEADER_OR_FOLLOWER' });
    if (this.pendingChange !== null) {
      this.finishVoterChange(refusal('NOT_LEADER_OR_FOLLOWER', 'leadership was lost before the new voter set committed; it may still commit', true));
    }
  }

  // ---------------------------------------------------------------- voter changes (KIP-853)

  /**
   * Starts a change of the voter set. Returns the answer at once when the change is refused (or
   * asks for nothing new); otherwise the answer comes when the new set commits, times out, or
   * leadership ends (to the state machine for a local asker, as an UpdateVoter answer for a peer).
   */
  changeVoters(asker: VoterChangeAsker, change: VoterChange, nowMs: number): VoterChangeResult | undefined {
    if (this.pendingChange !== null && nowMs < this.pendingChange.deadlineMs) {
      return refusal('REQUEST_TIMED_OUT', 'another voter change is still in progress');
    }
    if (!this.epochCommitted) return refusal('REQUEST_TIMED_OUT', 'the leader has not committed a record of its epoch yet');
    const history = this.replica.voterHistory;
    if (history.kraftVersion < KRAFT_VERSION_DYNAMIC) {
      return refusal('UNSUPPORTED_VERSION', `the voter set is static (kraft.version ${history.kraftVersion}); voter changes need kraft.version 1`);
    }
    if (history.latestVotersOffset >= this.replica.highWatermark) {
      return refusal('REQUEST_TIMED_OUT', `the latest voter set (offset ${history.latestVotersOffset}) is not committed yet`);
    }
    const planned = plannedVoterSet(history.voters, change,
      (id, directoryId) => isCaughtUp(this.state.observer(id, directoryId), nowMs, this.config.fetchTimeoutMs));
    if (planned === 'unchanged') return { ok: true };
    if (!(planned instanceof VoterSet)) return planned;
    // Proposals gathered so far keep the offsets they were promised: they go first.
    this.flushProposals(nowMs);
    const offset = this.replica.log.endOffset;
    this.pendingChange = { asker, offset, deadlineMs: nowMs + this.config.requestTimeoutMs };
    this.replica.appendAsLeader([this.context.stateMachine.controlRecord({ voters: planned.voters })], this.epoch);
    return undefined;
  }

  /**
   * The latest voter set changed (this leader wrote one): counts move to the new set, and new
   * voters hear of this epoch at once.
   */
  onVotersChanged(nowMs: number): void {
    const added = this.state.updateVoters(this.replica.voters, nowMs);
    if (added.length > 0) this.sendBeginQuorumEpoch(nowMs);
    this.maybeAdvanceHighWatermark(nowMs);
  }

  private checkVoterChangeCommitted(): void {
    const highWatermark = this.replica.highWatermark;
    if (this.pendingChange !== null && highWatermark > this.pendingChange.offset) this.finishVoterChange({ ok: true });
    const history = this.replica.voterHistory;
    if (history.latestVotersOffset < highWatermark && !history.voters.isVoter(this.state.nodeId, this.state.directoryId)) {
      this.resignRequested = true;
    }
  }

  private finishVoterChange(result: VoterChangeResult): void {
    const asker = this.pendingChange!.asker;
    this.pendingChange = null;
    if (asker.kind === 'local') return this.context.stateMachine.onVoterChange(asker.changeId, result);
    const response: UpdateVoterResponse = { type: 'update-voter-response', epoch: this.epoch, leaderId: this.state.nodeId };
    if (!result.ok) response.error = result.error;
    this.send(asker.node, response);
  }

  private readonly roundConfirmed = (round: number): boolean => this.state.readRoundConfirmed(round);

  private send(to: number, message: unknown): void {
    this.context.outbox.send(to, message);
  }
}
