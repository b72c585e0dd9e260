/**
 * A quorum node: KRaft-style consensus (raft/) with the metadata state machine (metadata/) on
 * top, behind the host interface of host-interface.ts. This is what both hosts drive: the
 * simulator (sim/) and the real server (node/).
 *
 * This file is the wiring; each job has its own part:
 * - consensus: raft/ (RaftNode), whose state machine is this node's committed metadata image,
 *   applied in offset order as the high watermark advances (at most APPLY_RECORDS_PER_TURN records
 *   an input, the rest on the next turns) and snapshotted every `snapshotIntervalEntries` entries
 *   or `snapshotIntervalRecords` records (here);
 * - the client-request table (client-requests.ts): writes go to the active controller (this node,
 *   or forwarded to the leader) and are answered once committed and applied on this node;
 *   linearizable reads take a read index from the leader and are answered once this node has
 *   applied it; cached reads are answered from the local image at once;
 * - forwarding and its de-duplication (request-forwarding.ts, messages in forwarding.ts);
 * - the broker role (broker-role.ts): registering with the active controller and heartbeating;
 * - the active controller role (active-controller.ts) while this node leads (here: created on
 *   leadership, its held answers released as the high watermark passes them).
 *
 * Outcomes follow the one history format's meaning (client-response.ts): `ok` (it happened, or a
 * definite answer), `failed` (it certainly did not happen), `unknown` (it may have happened).
 */
import type { ClientRequest, DurableState, LogEntry, PeerEnvelope, RandomSource, Ready, SnapshotCodec, SnapshotData } from './host-interface.js';
import type { RaftStateName } from '../history/node-event.js';
import { ActiveController, type AnswerAddress, type HeldAnswer } from './active-controller.js';
import { assert } from './assert.js';
import { BrokerRole } from './broker-role.js';
import { ClientRequestTable, pendingRequest, type PendingRequest } from './client-requests.js';
import { clientError, voterChangeAnswer, type ClientAnswer, type OkAnswer } from './client-response.js';
import {
  isForwardMessage, type DescribeQuorumAnswer, type DescribeQuorumQuery, type ForwardRequest, type ForwardResponse,
  type VoterChangeAnswer, type VoterChangeQuery,
} from './forwarding.js';
import { describeQuorum, type QuorumDescription } from './quorum-description.js';
import {
  answerRead, isWriteOperation, MetadataImage, MetadataSnapshot, metadataSnapshotOf,
  type MetadataOperation, type MetadataWriteOperation, type WriteResult,
} from './metadata/index.js';
import { batchDigest, controlBatch, controlOf, EPOCH_START_BATCH, recordRunOf, type MetadataBatch } from './metadata-log.js';
import { METADATA_SNAPSHOT_CODEC } from './metadata/snapshot-bytes.js';
import { resolveQuorumNodeConfig, type QuorumNodeConfig, type QuorumNodeConfigInput } from './quorum-node-config.js';
import { isRaftMessage } from './raft/messages.js';
import { Outbox } from './raft/outbox.js';
import { RaftLog } from './raft/raft-log.js';
import { RaftNode, type PeerEndpoints, type RaftStateMachine } from './raft/raft-node.js';
import type { ReadIndexResult } from './raft/read-index.js';
import { refusal, type VoterChange, type VoterChangeResult } from './raft/voter-changes.js';
import { RequestForwarding, type QueryKind } from './request-forwarding.js';
import { validateOperation } from './operation-shape.js';

/**
 * Committed records applied to the image per input at most (whole entries, at least one): about
 * 10 ms of CPU. A high watermark that passes a million records at once (a new leader committing a
 * former leader's fencing of a million partitions) applied them in one input: 1 s of CPU, 3 s on
 * a loaded machine, and the leader, whose last fetch seen was from before it, resigned by
 * check-quorum at its next tick (issue 12). The rest is applied on the following turns, between
 * which the node answers fetches; reads and answers already wait for this node's applied offset.
 */
export const APPLY_RECORDS_PER_TURN = 20_000;

export interface QuorumNodeOptions {
  config: QuorumNodeConfigInput;
  recovered: DurableState<MetadataBatch> | null;
  random: RandomSource;
  nowMs: number;
  /** How snapshots become FetchSnapshot's bytes: the host's file format (default: the pure one of snapshot-bytes.ts). */
  snapshotCodec?: SnapshotCodec;
}

export interface QuorumNodeDebugState {
  state: RaftStateName;
  epoch: number;
  leaderId: number | null;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  appliedOffset: number;
  pendingRequests: number;
}

/**
 * A request answered "not the leader" is sent again after a random pause of up to this long: a
 * node and the peer it wrongly takes for the leader would otherwise bounce it back and forth as
 * fast as the network allows (the simulator measured millions of messages per second so).
 */
const RETRY_BACKOFF_MS_MAX = 100;

/** Internal requests count down from here so they never meet a host's request ids. */
const INTERNAL_REQUEST_ID_BASE = -1;

/** The incarnation id's length in hex digits (128 random bits). */
const INCARNATION_ID_HEX_DIGITS = 32;

/** Who asked for a voter change this node leads: its own client, or a node that forwarded it. */
type VoterChangeAsker =
  | { kind: 'local'; requestId: number }
  | { kind: 'remote'; node: number; incarnationId: string; queryId: number };

export class QuorumNode {
  readonly config: QuorumNodeConfig;
  private readonly outbox: Outbox<MetadataBatch>;
  private readonly raft: RaftNode<MetadataBatch>;
  private readonly random: RandomSource;
  private readonly incarnationId: string;
  private readonly requests: ClientRequestTable;
  private readonly forwarding: RequestForwarding<MetadataBatch>;
  private readonly broker: BrokerRole | null;
  /** What the active controller appends through (consensus' proposals). */
  private readonly appender = {
    nextOffset: (): number => this.raft.nextProposalOffset,
    append: (batch: MetadataBatch) => this.raft.propose(batch, this.nowMs),
    appliedOffset: (): number => this.appliedOffset,
  };
  private image = MetadataImage.empty();
  private appliedOffset = 0;
  /** Committed entries not yet applied to the image, oldest first (see APPLY_RECORDS_PER_TURN). */
  private toApply: LogEntry<MetadataBatch>[] = [];
  private toApplyNext = 0;
  /** Records applied to the image in the current input. */
  private appliedThisInput = 0;
  private lastSnapshotOffset = 0;
  /** Records applied since the last snapshot (`snapshotIntervalRecords`). */
  private recordsSinceSnapshot = 0;
  private controller: ActiveController | null = null;
  private nextSessionCheckMs = Infinity;
  private nextInternalRequestId = INTERNAL_REQUEST_ID_BASE;
  /** Voter changes this node (as leader) has started and not yet answered, by change id. */
  private readonly voterChanges = new Map<number, VoterChangeAsker>();
  private nextVoterChangeId = 1;
  private appendedUpTo: number | undefined;
  private nowMs: number;

  constructor(options: QuorumNodeOptions) {
    this.config = resolveQuorumNodeConfig(options.config);
    this.random = options.random;
    this.nowMs = options.nowMs;
    this.outbox = new Outbox(this.config.nodeId);
    this.incarnationId = randomHex(this.random, INCARNATION_ID_HEX_DIGITS);
    this.requests = new ClientRequestTable((request, answer) => this.deliver(request, answer));
    this.forwarding = new RequestForwarding(this.config.clusterId, this.incarnationId, this.outbox,
      this.config.unsafeSwitches.has('incarnation-check-off'));
    this.broker = this.config.processRoles.includes('broker') ? new BrokerRole(this.config, this.incarnationId, this.random) : null;
    const recovered = options.recovered;
    const log = RaftLog.recover(recovered?.snapshot ?? null, recovered?.log ?? []);
    this.lastSnapshotOffset = recovered?.snapshot?.endOffset ?? 0;
    const stateMachine: RaftStateMachine<MetadataBatch> = {
      applyCommitted: (entry) => this.applyCommitted(entry),
      restoreSnapshot: (snapshot) => this.restoreSnapshot(snapshot),
      releaseState: () => this.releaseState(),
      epochStartRecord: () => EPOCH_START_BATCH,
      digest: batchDigest,
      sizeOf: (batch) => batch.length,
      // The batch's record run is encoded once and kept (metadata-log.ts): the digest and the
      // host's log and wire use the same bytes.
      bytesOf: (batch) => recordRunOf(batch).length,
      onLeadershipChange: (isLeader, epoch) => this.onLeadershipChange(isLeader, epoch),
      onReadIndex: (readId, result) => this.onReadIndex(readId, result),
      controlOf,
      controlRecord: controlBatch,
      onVoterChange: (changeId, result) => this.onVoterChange(changeId, result),
      snapshotCodec: options.snapshotCodec ?? METADATA_SNAPSHOT_CODEC,
    };
    this.raft = new RaftNode(this.config, {
      epoch: recovered?.quorumState?.epoch ?? 0,
      votedFor: recovered?.quorumState?.votedFor ?? null,
      votedDirectoryId: recovered?.quorumState?.votedDirectoryId ?? null,
      leaderId: recovered?.quorumState?.leaderId ?? null,
      log,
      snapshot: recovered?.snapshot ?? null,
    }, this.random, this.outbox, stateMachine, this.nowMs, recovered !== null, this.incarnationId);
  }

  // ---------------------------------------------------------------- the host interface

  /** Every input starts here: the time, and a fresh budget of records to apply. */
  private startInput(nowMs: number): void {
    this.nowMs = nowMs;
    this.appliedThisInput = 0;
  }

  tick(nowMs: number): void {
    this.startInput(nowMs);
    this.applyQueued();
    this.raft.tick(nowMs);
    this.expireRequests();
    this.tickBroker();
    // Everything this turn plans (the broker's own registration or heartbeat, retries) is planned
    // before the controller's turn, so a fencing planned now gets its first slice now: planned
    // after it, the fencing waited for the next turn and nextWakeMs asked for the moment just
    // ticked (a zero-delay wake; on a host, a spin).
    this.dispatchWaiting();
    this.tickController();
  }

  receive(envelope: PeerEnvelope, nowMs: number): void {
    this.startInput(nowMs);
    const message = envelope.message;
    if (isRaftMessage(message)) {
      this.raft.step(envelope.from, message, nowMs);
    } else if (isForwardMessage(message)) {
      switch (message.type) {
        case 'forward-request': this.onForwardRequest(envelope.from, message); break;
        case 'forward-response': this.onForwardResponse(message); break;
        case 'describe-quorum-query': this.onDescribeQuorumQuery(envelope.from, message); break;
        case 'describe-quorum-answer': this.onDescribeQuorumAnswer(message); break;
        case 'voter-change-query': this.onVoterChangeQuery(envelope.from, message); break;
        case 'voter-change-answer': this.onVoterChangeAnswer(message); break;
      }
    } else {
      // A host delivers whatever arrives; an unknown message is dropped, never trusted.
      return;
    }
    this.dispatchWaiting();
  }

  submit(request: ClientRequest, nowMs: number): void {
    this.startInput(nowMs);
    // The message is built only when the assertion fails: a template in the call was built for every request.
    if (this.requests.has(request.requestId)) assert(false, `request id ${request.requestId} is already pending`);
    const problem = validateOperation(request.operation);
    if (problem !== undefined) {
      this.outbox.respond({ requestId: request.requestId, outcome: 'failed', error: clientError('INVALID_REQUEST', problem) });
      return;
    }
    const operation = request.operation as MetadataOperation;
    const readConsistency = request.readConsistency ?? this.config.readConsistency;
    // BUG SWITCH read-without-read-index: a linearizable read is answered like a cached one.
    const fromImageAtOnce = readConsistency === 'cached' || this.config.unsafeSwitches.has('read-without-read-index');
    if (!isWriteOperation(operation) && fromImageAtOnce) {
      this.outbox.respond({ requestId: request.requestId, ...this.answerFromImage(operation) });
      return;
    }
    this.requests.add(pendingRequest(request.requestId, operation, isWriteOperation(operation),
      nowMs + (request.timeoutMs ?? this.config.clientRequestTimeoutMs), false));
    this.dispatchWaiting();
  }

  /**
   * Answers with the leader's view of the quorum (a QuorumDescription as `result`), asking the
   * leader when this node is not it. `failed` with NOT_LEADER_OR_FOLLOWER when no leader is known.
   */
  describeQuorum(requestId: number, nowMs: number, timeoutMs = this.config.requestTimeoutMs): void {
    this.startInput(nowMs);
    const local = this.localQuorumDescription();
    if (local !== null) {
      this.outbox.respond({ requestId, outcome: 'ok', result: local });
      return;
    }
    const leaderId = this.raft.leaderId;
    if (leaderId === null || this.raft.state !== 'follower') {
      this.outbox.respond({ requestId, outcome: 'failed', error: clientError('NOT_LEADER_OR_FOLLOWER', 'no leader is known') });
      return;
    }
    this.forwarding.askQuorum(requestId, leaderId, nowMs + timeoutMs);
  }

  /**
   * Changes the voter set (KIP-853: AddRaftVoter, RemoveRaftVoter), asking the leader when this
   * node is not it. Answered `ok` once the new voter set is committed; `failed` when it was
   * refused (nothing written); `unknown` when it was written and then timed out or leadership was
   * lost (it may still commit).
   */
  changeVoters(requestId: number, change: VoterChange, nowMs: number, timeoutMs = this.config.requestTimeoutMs): void {
    this.startInput(nowMs);
    if (this.raft.state === 'leader') return this.startVoterChange({ kind: 'local', requestId }, change);
    const leaderId = this.raft.leaderId;
    if (leaderId === null || this.raft.state !== 'follower') {
      this.outbox.respond({ requestId, outcome: 'failed', error: clientError('NOT_LEADER_OR_FOLLOWER', 'no leader is known') });
      return;
    }
    this.forwarding.askVoterChange(requestId, change, leaderId, this.raft.epoch, nowMs + timeoutMs);
  }

  hasReady(): boolean {
    return !this.outbox.isEmpty();
  }

  ready(): Ready<MetadataBatch> {
    const { ready, appendedUpTo } = this.outbox.take();
    this.appendedUpTo = appendedUpTo;
    return ready;
  }

  advance(): void {
    const appendedUpTo = this.appendedUpTo;
    this.appendedUpTo = undefined;
    this.raft.onPersisted(appendedUpTo);
    this.dispatchWaiting();
  }

  nextWakeMs(): number {
    let wake = this.raft.nextWakeMs();
    wake = Math.min(wake, this.requests.earliestDeadlineMs(), this.requests.earliestRetryMs(this.nowMs));
    wake = Math.min(wake, this.forwarding.earliestQueryDeadlineMs());
    if (this.broker !== null) wake = Math.min(wake, this.broker.wakeMs());
    if (this.controller !== null) wake = Math.min(wake, this.controller.canAppendNow(this.appender) ? this.nowMs : this.nextSessionCheckMs);
    if (this.toApplyNext < this.toApply.length) wake = this.nowMs;
    return wake;
  }

  /**
   * Controlled shutdown of the broker role (broker-role.ts), as a KRaft broker does on SIGTERM:
   * the controller moves this broker's partition leaders to other ISR members and fences it.
   * `controlledShutdownDone` turns true once this node has applied that (at once without a broker
   * role); then `shutdown` may follow. From here on the node never stands for election.
   */
  beginControlledShutdown(nowMs: number): void {
    this.startInput(nowMs);
    // A controller on its way out never stands for election (RaftNode.stopStandingForElection).
    this.raft.stopStandingForElection();
    this.broker?.beginControlledShutdown(nowMs);
    this.tickBroker();
    this.dispatchWaiting();
  }

  get controlledShutdownDone(): boolean {
    return this.broker === null || this.broker.controlledShutdownDone;
  }

  /** Graceful shutdown: a leader resigns first so the quorum elects without waiting. */
  shutdown(nowMs: number): void {
    this.startInput(nowMs);
    this.raft.resign(nowMs);
  }

  /** The host could not reach a peer (connection refused or reset). */
  peerUnreachable(peerId: number, nowMs: number): void {
    this.startInput(nowMs);
    this.raft.peerUnreachable(peerId, nowMs);
  }

  /**
   * Where the peers this node may have to reach are (kraft.version 1: its voter set's endpoints and
   * a leader it learned of). The same object while unchanged; empty under kraft.version 0.
   */
  peerEndpoints(): PeerEndpoints {
    return this.raft.peerEndpoints();
  }

  // ---------------------------------------------------------------- introspection

  debugState(): QuorumNodeDebugState {
    return {
      state: this.raft.state, epoch: this.raft.epoch, leaderId: this.raft.leaderId,
      logStartOffset: this.raft.log.startOffset, logEndOffset: this.raft.log.endOffset,
      highWatermark: this.raft.highWatermark, appliedOffset: this.appliedOffset, pendingRequests: this.requests.size,
    };
  }

  /** The leader this node knows of (debugState's leaderId, without building the rest of it). */
  get leaderId(): number | null {
    return this.raft.leaderId;
  }

  /** The committed image this node has applied (read-only use). */
  get committedImage(): MetadataImage {
    return this.image;
  }

  get raftNode(): RaftNode<MetadataBatch> {
    return this.raft;
  }

  // ---------------------------------------------------------------- the state machine

  /** Consensus committed `entry`: applied now, or on a later turn behind the entries still queued. */
  private applyCommitted(entry: LogEntry<MetadataBatch>): void {
    // Nothing queued (not even the entry being applied) and budget left: applied at once, as
    // applyQueued would apply it, without a trip through the queue.
    if (this.toApply.length === 0 && this.appliedThisInput < APPLY_RECORDS_PER_TURN) {
      this.appliedThisInput += entry.record.length;
      this.applyEntry(entry);
      return;
    }
    this.toApply.push(entry);
    this.applyQueued();
  }

  /**
   * Applies queued committed entries in offset order until this input's budget is spent. Each is
   * taken off the queue before it is applied, so a commit that applying causes (re-entering here)
   * goes on from the next one.
   */
  private applyQueued(): void {
    while (this.toApplyNext < this.toApply.length && this.appliedThisInput < APPLY_RECORDS_PER_TURN) {
      const entry = this.toApply[this.toApplyNext++]!;
      this.appliedThisInput += entry.record.length;
      this.applyEntry(entry);
    }
    if (this.toApplyNext === this.toApply.length) {
      this.toApply = [];
      this.toApplyNext = 0;
    }
  }

  private applyEntry(entry: LogEntry<MetadataBatch>): void {
    // Indexed loops: for-of here made an iterator object per record (most apply to no events).
    const records = entry.record;
    for (let i = 0; i < records.length; i++) {
      const events = this.image.apply(records[i]!);
      for (let j = 0; j < events.length; j++) {
        const event = events[j]!;
        this.outbox.event({ kind: event.kind, epoch: this.raft.epoch, brokerId: event.brokerId });
      }
    }
    this.appliedOffset = entry.offset + 1;
    this.recordsSinceSnapshot += entry.record.length;
    this.controllerRelease();
    this.answerApplied();
    this.maybeSnapshot(entry);
  }

  /**
   * A fetched snapshot is being built to replace the image (restoreSnapshot follows in this same
   * input): the image and what is queued to apply to it go now. Only a follower fetches
   * snapshots, so no active controller holds the image.
   */
  private releaseState(): void {
    this.toApply = [];
    this.toApplyNext = 0;
    this.image = MetadataImage.empty();
  }

  private restoreSnapshot(snapshot: SnapshotData): void {
    // Consensus restores a snapshot only beyond everything it committed: what is queued is in it.
    this.toApply = [];
    this.toApplyNext = 0;
    this.image = metadataSnapshotOf(snapshot.state).toImage();
    this.appliedOffset = snapshot.endOffset;
    this.lastSnapshotOffset = Math.max(this.lastSnapshotOffset, snapshot.endOffset);
    this.recordsSinceSnapshot = 0;
    this.answerApplied();
  }

  /**
   * A snapshot every `snapshotIntervalEntries` entries or `snapshotIntervalRecords` records,
   * whichever comes first: the log's entries before it (less what retention keeps) then leave
   * memory.
   */
  private maybeSnapshot(entry: LogEntry<MetadataBatch>): void {
    if (this.appliedOffset - this.lastSnapshotOffset < this.config.snapshotIntervalEntries &&
      this.recordsSinceSnapshot < this.config.snapshotIntervalRecords) return;
    this.lastSnapshotOffset = this.appliedOffset;
    this.recordsSinceSnapshot = 0;
    // A frozen copy-on-write clone, not records: O(1) here (the maps are shared until either image writes one), and the host writes it out lazily.
    this.raft.takeSnapshot({ endOffset: this.appliedOffset, lastEpoch: entry.epoch, state: MetadataSnapshot.of(this.image) });
  }

  // ---------------------------------------------------------------- the active controller

  private onLeadershipChange(isLeader: boolean, epoch: number): void {
    if (!isLeader) {
      const controller = this.controller;
      this.controller = null;
      this.nextSessionCheckMs = Infinity;
      if (controller !== null) {
        for (const held of controller.abandon()) this.deliverAbandoned(held);
      }
      return;
    }
    this.forwarding.leading(epoch);
    const uncommitted: MetadataBatch[] = [];
    for (let offset = this.appliedOffset; offset < this.raft.log.endOffset; offset++) {
      uncommitted.push(this.raft.log.entryAt(offset)!.record);
    }
    this.controller = new ActiveController(
      this.image, uncommitted, epoch, this.nowMs, this.config.brokerSessionTimeoutMs,
      this.config.metadataSettings, `${this.config.clusterId}/${this.config.nodeId}/${epoch}`,
    );
    this.nextSessionCheckMs = this.nowMs + this.config.brokerSessionTimeoutMs;
  }

  private planOnController(controller: ActiveController, op: MetadataWriteOperation, to: AnswerAddress): void {
    controller.plan(op, to, this.appender, this.nowMs);
    this.controllerRelease();
  }

  private controllerRelease(): void {
    if (this.controller === null || !this.raft.leaderEpochCommitted) return;
    const released = this.controller.release(this.raft.highWatermark);
    for (let i = 0; i < released.length; i++) this.deliverHeld(released[i]!);
  }

  /**
   * The controller's turn: fences brokers whose sessions expired (checked twice per heartbeat
   * interval), then appends the next part of a huge write or fencing (ActiveController.appendQueued:
   * one part per turn). The expiries are planned first so that their fencing starts in this turn:
   * a tick that leaves work queued asks to be woken at once, and only work beyond this turn's part
   * may do so.
   */
  private tickController(): void {
    const controller = this.controller;
    if (controller === null) return;
    if (this.nowMs >= this.nextSessionCheckMs) {
      this.nextSessionCheckMs = this.nowMs + Math.max(1, Math.floor(this.config.brokerHeartbeatIntervalMs / 2));
      if (this.raft.leaderEpochCommitted) {
        for (const op of controller.expiredSessions(this.nowMs)) {
          this.planOnController(controller, op, this.ownAddress(this.nextInternalRequestId--, true));
        }
      }
    }
    if (controller.canAppendNow(this.appender)) {
      controller.appendQueued(this.appender, this.nowMs);
      this.controllerRelease();
    }
  }

  /** The address of a request of this node's own (not forwarded). */
  private ownAddress(requestId: number, internal: boolean): AnswerAddress {
    return { node: this.config.nodeId, incarnationId: this.incarnationId, requestId, internal };
  }

  private deliverHeld(held: HeldAnswer): void {
    const answer = writeAnswer(held.result, held.committedOffset, held.committedEpoch);
    const to = held.to;
    if (to.node === this.config.nodeId) {
      if (to.internal && !this.requests.has(to.requestId)) return;
      this.completeAfterApply(to.requestId, answer, held.releaseAtHighWatermark);
      return;
    }
    const response: ForwardResponse = {
      type: 'forward-response', incarnationId: to.incarnationId, forwardId: to.requestId, outcome: 'ok', result: answer.result,
      applyOffset: held.releaseAtHighWatermark, epoch: this.raft.epoch, leaderId: this.raft.leaderId,
    };
    if (held.committedOffset !== undefined) {
      response.committedOffset = held.committedOffset;
      response.committedEpoch = held.committedEpoch;
    }
    this.outbox.send(to.node, response);
  }

  /** Leadership was lost with this answer held: an appended write may or may not commit. */
  private deliverAbandoned(held: HeldAnswer): void {
    const outcome = held.committedOffset !== undefined ? 'unknown' : 'failed';
    const error = clientError('NOT_CONTROLLER', outcome === 'unknown'
      ? 'leadership was lost after the write was appended; it may still commit'
      : 'leadership was lost before the answer could be given');
    const to = held.to;
    if (to.node === this.config.nodeId) {
      const request = this.requests.get(to.requestId);
      if (request !== undefined) this.requests.finish(request, { outcome, error });
      return;
    }
    this.outbox.send(to.node, {
      type: 'forward-response', incarnationId: to.incarnationId, forwardId: to.requestId, outcome, error,
      epoch: this.raft.epoch, leaderId: this.raft.leaderId,
    } satisfies ForwardResponse);
  }

  // ---------------------------------------------------------------- forwarding

  private onForwardRequest(from: number, request: ForwardRequest): void {
    // Networks may deliver a message twice: a write must be planned once, however often it arrives,
    // and a repeat never refused (after leadership was lost here) as if nothing had been done.
    const controller = this.controller;
    if (this.forwarding.isRepeat(from, request, request.epoch === this.raft.epoch && controller !== null)) return;
    const foreign = request.clusterId !== this.config.clusterId;
    if (foreign || controller === null || request.epoch !== this.raft.epoch ||
      !isWriteOperation(request.operation) || validateOperation(request.operation) !== undefined) {
      const refusal = this.forwardRefusal(request, foreign);
      this.outbox.send(from, {
        type: 'forward-response', incarnationId: request.incarnationId, forwardId: request.forwardId, ...refusal,
        epoch: this.raft.epoch, leaderId: this.raft.leaderId,
      } satisfies ForwardResponse);
      return;
    }
    this.planOnController(controller, request.operation, { node: from, incarnationId: request.incarnationId, requestId: request.forwardId, internal: false });
  }

  /**
   * Why a forward is not planned here. Not-controller tells the asker that nothing was done, so
   * that it tries again: true only of an epoch this incarnation led (it knows what it planned
   * then). A forward for an epoch this node led before it restarted, or on a disk since replaced,
   * may already be in the log: `unknown` (a leader killed and restarted in the same epoch, refusing
   * the network's second copy of a write it had appended, would have had it applied twice).
   */
  private forwardRefusal(request: ForwardRequest, foreign: boolean): Pick<ForwardResponse, 'outcome' | 'error'> {
    if (foreign) {
      return {
        outcome: 'failed',
        error: clientError('INCONSISTENT_CLUSTER_ID', `the request is for cluster ${request.clusterId}, this node is in ${this.config.clusterId}`),
      };
    }
    if (!this.forwarding.vouchesFor(request.epoch) && isWriteOperation(request.operation)) {
      return {
        outcome: 'unknown',
        error: clientError('NOT_CONTROLLER', `node ${this.config.nodeId} restarted since it may have led epoch ${request.epoch} ` +
          'and cannot tell whether it planned this write; it may still take effect'),
      };
    }
    return { outcome: 'not-controller', error: clientError('NOT_CONTROLLER', `node ${this.config.nodeId} is not the active controller of epoch ${request.epoch}`) };
  }

  private onForwardResponse(response: ForwardResponse): void {
    const requestId = this.forwarding.claim(response);
    if (requestId === undefined) return;
    const request = this.requests.get(requestId);
    if (request === undefined || request.forwardId !== response.forwardId) return;
    request.forwardId = undefined;
    switch (response.outcome) {
      case 'not-controller':
        // Nothing was done there: look for the controller again until the deadline.
        request.mayHaveTakenEffect = false;
        return this.retryLater(request);
      case 'ok': {
        const answer: OkAnswer = { outcome: 'ok', result: response.result as WriteResult };
        if (response.committedOffset !== undefined) {
          answer.committedOffset = response.committedOffset;
          answer.committedEpoch = response.committedEpoch!;
        }
        return this.completeAfterApply(requestId, answer, response.applyOffset ?? 0);
      }
      default:
        return this.requests.finish(request, {
          outcome: response.outcome, error: response.error ?? clientError('NOT_CONTROLLER', 'the controller gave no reason'),
        });
    }
  }

  private localQuorumDescription(): QuorumDescription | null {
    const leader = this.raft.leaderState;
    if (leader === null) return null;
    return describeQuorum(this.config.clusterId, leader, this.raft.epoch, this.raft.highWatermark, this.raft.log.endOffset,
      this.raft.kraftVersion, this.nowMs);
  }

  private onDescribeQuorumQuery(from: number, query: DescribeQuorumQuery): void {
    const description = query.clusterId === this.config.clusterId ? this.localQuorumDescription() : null;
    this.outbox.send(from, {
      type: 'describe-quorum-answer', incarnationId: query.incarnationId, queryId: query.queryId, description,
    } satisfies DescribeQuorumAnswer);
  }

  private onDescribeQuorumAnswer(answer: DescribeQuorumAnswer): void {
    const requestId = this.forwarding.claimAnswer(answer);
    if (requestId === undefined) return;
    this.outbox.respond(answer.description === null
      ? { requestId, outcome: 'failed', error: clientError('NOT_LEADER_OR_FOLLOWER', 'the node asked is no longer the leader') }
      : { requestId, outcome: 'ok', result: answer.description });
  }

  // ---------------------------------------------------------------- voter changes

  private startVoterChange(asker: VoterChangeAsker, change: VoterChange): void {
    const changeId = this.nextVoterChangeId++;
    const result = this.raft.changeVoters(changeId, change, this.nowMs);
    if (result === undefined) this.voterChanges.set(changeId, asker);
    else this.answerVoterChange(asker, result);
  }

  private onVoterChange(changeId: number, result: VoterChangeResult): void {
    const asker = this.voterChanges.get(changeId);
    if (asker === undefined) return;
    this.voterChanges.delete(changeId);
    this.answerVoterChange(asker, result);
  }

  private answerVoterChange(asker: VoterChangeAsker, result: VoterChangeResult): void {
    if (asker.kind === 'local') return this.outbox.respond({ requestId: asker.requestId, ...voterChangeAnswer(result) });
    this.outbox.send(asker.node, {
      type: 'voter-change-answer', incarnationId: asker.incarnationId, queryId: asker.queryId, result,
    } satisfies VoterChangeAnswer);
  }

  private onVoterChangeQuery(from: number, query: VoterChangeQuery): void {
    const foreign = query.clusterId !== this.config.clusterId;
    // Only the leader of the epoch the asker named makes the change (VoterChangeQuery.epoch).
    const leading = !foreign && this.raft.state === 'leader' && query.epoch === this.raft.epoch;
    // Delivered twice, a change would be refused as "in progress" and that refusal taken for its answer.
    if (this.forwarding.isRepeat(from, query, leading)) return;
    const asker: VoterChangeAsker = { kind: 'remote', node: from, incarnationId: query.incarnationId, queryId: query.queryId };
    if (!leading) return this.answerVoterChange(asker, this.voterChangeRefusal(query, foreign));
    this.startVoterChange(asker, query.change);
  }

  /**
   * Why a voter change is not made here. "Nothing was done" is true only of an epoch this
   * incarnation led (it remembers what it started then) or never led; a query for an epoch this
   * node led before it restarted (or on a disk since replaced) may have been made then: a copy the
   * network delivers again after the restart, refused as a duplicate voter or a voter not found,
   * would tell the asker that a change which committed failed. That answer is `unknown`.
   */
  private voterChangeRefusal(query: VoterChangeQuery, foreign: boolean): VoterChangeResult {
    const me = `node ${this.config.nodeId}`;
    if (foreign) return refusal('INCONSISTENT_CLUSTER_ID', `the request is for cluster ${query.clusterId}, ${me} is in ${this.config.clusterId}`);
    if (!this.forwarding.vouchesFor(query.epoch)) {
      return refusal('NOT_LEADER_OR_FOLLOWER', `${me} restarted since it may have led epoch ${query.epoch} and cannot tell whether it ` +
        'made this voter change then; it may have taken effect', true);
    }
    if (query.epoch < this.raft.epoch) {
      return refusal('FENCED_LEADER_EPOCH', `the request was for the leader of epoch ${query.epoch}; ${me} is in epoch ${this.raft.epoch}`);
    }
    return refusal('NOT_LEADER_OR_FOLLOWER', `${me} is not the leader of epoch ${query.epoch}`);
  }

  private onVoterChangeAnswer(answer: VoterChangeAnswer): void {
    const requestId = this.forwarding.claimAnswer(answer);
    if (requestId === undefined) return;
    this.outbox.respond({ requestId, ...voterChangeAnswer(answer.result) });
  }

  // ---------------------------------------------------------------- client requests

  /** Sends every request waiting for a leader to the leader, once one is known. */
  private dispatchWaiting(): void {
    const leaderId = this.raft.leaderId;
    if (leaderId === null || (this.raft.state !== 'leader' && this.raft.state !== 'follower')) return;
    this.giveUpSupersededForwards(leaderId);
    // Runs after every input: most of the time nothing waits.
    if (this.requests.waitingCount > 0) this.dispatchWaitingTo(leaderId);
  }

  private dispatchWaitingTo(leaderId: number): void {
    this.dispatchLeaderId = leaderId;
    this.requests.dispatchWaiting(this.nowMs, this.dispatchOne);
  }

  /**
   * dispatchWaitingTo's dispatch, made once, with the leader in a field: a closure over it was
   * made on every round. Nothing a dispatch does starts another round (rounds follow inputs).
   */
  private dispatchLeaderId = -1;
  private readonly dispatchOne = (request: PendingRequest): void => {
    if (request.isWrite) this.dispatchWrite(request, this.dispatchLeaderId);
    else this.dispatchRead(request);
  };

  /**
   * A leader of a later epoch is known: writes forwarded to an earlier leader are answered
   * `unknown` now rather than at their deadline. That leader was replaced, so its answer may never
   * come (an isolated leader's does not), and the client should not wait out its timeout while a
   * new leader takes writes. Nothing is re-sent to the new leader: the old one may have appended
   * the write, which may yet commit, and a second copy would apply it twice (a create answered
   * TOPIC_ALREADY_EXISTS by its own first copy).
   */
  private giveUpSupersededForwards(leaderId: number): void {
    const epoch = this.raft.epoch;
    for (const requestId of this.forwarding.takeSuperseded(epoch)) {
      const request = this.requests.get(requestId);
      if (request === undefined || request.phase !== 'forwarded') continue;
      request.forwardId = undefined;
      this.requests.finish(request, {
        outcome: 'unknown',
        error: clientError('NOT_CONTROLLER', `the controller this write was forwarded to was replaced (node ${leaderId} leads epoch ${epoch}) ` +
          'before it answered; the write may still take effect'),
      });
    }
  }

  private dispatchWrite(request: PendingRequest, leaderId: number): void {
    request.mayHaveTakenEffect = true;
    if (this.controller !== null) {
      request.phase = 'proposed';
      this.planOnController(this.controller, request.operation as MetadataWriteOperation, this.ownAddress(request.requestId, request.internal));
      return;
    }
    if (leaderId === this.config.nodeId) {
      // This node is named leader but has no controller yet: keep waiting.
      request.mayHaveTakenEffect = false;
      this.requests.waitForLeader(request);
      return;
    }
    request.phase = 'forwarded';
    request.forwardId = this.forwarding.forward(request.requestId, request.operation, leaderId, this.raft.epoch);
  }

  private dispatchRead(request: PendingRequest): void {
    request.phase = 'read-index';
    this.raft.requestReadIndex(request.requestId, this.nowMs);
  }

  private onReadIndex(readId: number, result: ReadIndexResult): void {
    const request = this.requests.get(readId);
    if (request === undefined || request.phase !== 'read-index') return;
    if ('error' in result) return this.retryLater(request);
    this.requests.awaitApply(request, result.readIndex);
    this.answerApplied();
  }

  private retryLater(request: PendingRequest): void {
    this.requests.retryLater(request, this.nowMs + this.random.nextFloat() * RETRY_BACKOFF_MS_MAX);
  }

  private completeAfterApply(requestId: number, answer: ClientAnswer, applyOffset: number): void {
    const request = this.requests.get(requestId);
    if (request === undefined) return;
    // BUG SWITCH ack-before-apply: the write is answered once committed, applied here or not.
    if (this.config.unsafeSwitches.has('ack-before-apply')) return this.requests.finish(request, answer);
    request.answer = answer;
    this.requests.awaitApply(request, applyOffset);
    this.answerApplied();
  }

  /** Answers every request whose offset this node has now applied. */
  private answerApplied(): void {
    this.requests.answerApplied(this.appliedOffset, this.answerFromImageOf);
  }

  /** answerFromImage as a function made once: answerApplied runs on every applied entry and answer. */
  private readonly answerFromImageOf = (operation: MetadataOperation): ClientAnswer => this.answerFromImage(operation);

  private answerFromImage(operation: MetadataOperation): ClientAnswer {
    assert(!isWriteOperation(operation), 'writes are not answered from the image');
    return { outcome: 'ok', result: answerRead(this.image, operation) };
  }

  /** Runs on every tick: the two answers for what expired are functions made once (see below), not closures per tick. */
  private expireRequests(): void {
    this.forwarding.expireQueries(this.nowMs, this.queryExpired);
    this.requests.expire(this.nowMs, this.requestExpired);
  }

  private readonly queryExpired = (requestId: number, kind: QueryKind): void => this.outbox.respond(kind === 'describe-quorum'
    ? { requestId, outcome: 'failed', error: clientError('REQUEST_TIMED_OUT', 'the leader did not describe the quorum in time') }
    : { requestId, outcome: 'unknown', error: clientError('REQUEST_TIMED_OUT', 'the leader did not answer the voter change in time; it may still happen') });

  private readonly requestExpired = (request: PendingRequest): ClientAnswer => {
    if (request.forwardId !== undefined) this.forwarding.forget(request.forwardId);
    const mayHaveTakenEffect = request.isWrite && request.mayHaveTakenEffect;
    return {
      outcome: mayHaveTakenEffect ? 'unknown' : 'failed',
      error: clientError('REQUEST_TIMED_OUT', mayHaveTakenEffect
        ? 'no answer in time; the write reached a controller and may still take effect'
        : 'no answer in time; nothing was done'),
    };
  };

  /** A request's one answer: to the client, or, for the node's own requests, to the broker role. */
  private deliver(request: PendingRequest, answer: ClientAnswer): void {
    if (request.internal) return this.broker?.onAnswer(request.operation as MetadataWriteOperation, answer, this.nowMs);
    this.outbox.respond({ requestId: request.requestId, ...answer });
  }

  // ---------------------------------------------------------------- the broker role

  private tickBroker(): void {
    const operation = this.broker?.dueRequest(this.nowMs);
    if (operation === undefined) return;
    this.requests.add(pendingRequest(this.nextInternalRequestId--, operation, true, this.nowMs + this.broker!.requestTimeoutMs, true));
  }
}

function writeAnswer(result: WriteResult, committedOffset: number | undefined, committedEpoch: number): OkAnswer {
  const answer: OkAnswer = { outcome: 'ok', result };
  if (committedOffset !== undefined) {
    answer.committedOffset = committedOffset;
    answer.committedEpoch = committedEpoch;
  }
  return answer;
}

function randomHex(random: RandomSource, digits: number): string {
  let hex = '';
  for (let i = 0; i < digits; i++) hex += Math.floor(random.nextFloat() * 16).toString(16);
  return hex;
}
