/**
 * A quorum node: KRaft-style consensus (raft/) with the metadata state machine (metadata/) on
 * top, behind the host interface of host-interface.ts. This is what both hosts drive: the
 * simulator (sim/) and the real server (node/).
 *
 * What it owns beyond consensus:
 * - the committed metadata image, applied in offset order as the high watermark advances, and
 *   snapshots of it every `snapshotIntervalEntries` entries;
 * - client requests: writes go to the active controller (this node, or forwarded to the leader),
 *   and are answered once committed and applied on this node; linearizable reads take a read
 *   index from the leader and are answered once this node has applied it; cached reads are
 *   answered from the local image at once;
 * - the broker role: registering with the active controller and heartbeating, as KRaft brokers do;
 * - the active controller role (active-controller.ts) while this node leads.
 *
 * Outcomes follow the one history format's meaning: `ok` (it happened, or a definite answer),
 * `failed` (it certainly did not happen), `unknown` (it may have happened).
 */
import type {
  ClientRequest, ClientResponse, DurableState, LogEntry, PeerEnvelope, RandomSource, Ready, SnapshotData,
} from './host-interface.js';
import type { RaftStateName } from '../history/node-event.js';
import { ActiveController, type AnswerAddress, type HeldAnswer } from './active-controller.js';
import { assert } from './assert.js';
import {
  isForwardMessage, type DescribeQuorumAnswer, type DescribeQuorumQuery, type ForwardRequest, type ForwardResponse,
} from './forwarding.js';
import { describeQuorum, type QuorumDescription } from './quorum-description.js';
import {
  answerRead, isWriteOperation, MetadataImage, MetadataSnapshot, metadataSnapshotOf,
  type MetadataOperation, type MetadataWriteOperation, type WriteResult,
} from './metadata/index.js';
import { batchDigest, EPOCH_START_BATCH, type MetadataBatch } from './metadata-log.js';
import { resolveQuorumNodeConfig, type QuorumNodeConfig, type QuorumNodeConfigInput } from './quorum-node-config.js';
import { isRaftMessage, type RaftErrorName } from './raft/messages.js';
import { Outbox } from './raft/outbox.js';
import { RaftLog } from './raft/raft-log.js';
import { RaftNode, type RaftStateMachine } from './raft/raft-node.js';
import { validateOperation } from './operation-shape.js';
import { MinHeap } from './min-heap.js';

export interface QuorumNodeOptions {
  config: QuorumNodeConfigInput;
  recovered: DurableState<MetadataBatch> | null;
  random: RandomSource;
  nowMs: number;
}

type RequestPhase = 'waiting-for-leader' | 'forwarded' | 'proposed' | 'read-index' | 'applying';

interface PendingRequest {
  requestId: number;
  operation: MetadataOperation;
  isWrite: boolean;
  deadlineMs: number;
  phase: RequestPhase;
  /** The request reached a controller that may have acted on it. */
  mayHaveTakenEffect: boolean;
  /** Answer once this node has applied up to here. */
  applyOffset?: number;
  answer?: Omit<ClientResponse, 'requestId'>;
  forwardId?: number;
  /** Internal requests (broker registration, heartbeats, fencing) are answered to the node itself. */
  internal: boolean;
  /** After a "not the leader" answer, wait until here before asking again. */
  retryAtMs?: number;
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

/** The most forwarded requests remembered for de-duplication within one epoch. */
const FORWARDS_SEEN_MAX = 65_536;

/**
 * A request answered "not the leader" is sent again after a random pause of up to this long: a
 * node and the peer it wrongly takes for the leader would otherwise bounce it back and forth as
 * fast as the network allows (the simulator measured millions of messages per second so).
 */
const RETRY_BACKOFF_MS_MAX = 100;

/** Internal requests count down from here so they never meet a host's request ids. */
const INTERNAL_REQUEST_ID_BASE = -1;

export class QuorumNode {
  readonly config: QuorumNodeConfig;
  private readonly outbox: Outbox<MetadataBatch>;
  private readonly raft: RaftNode<MetadataBatch>;
  private readonly random: RandomSource;
  private image = MetadataImage.empty();
  private appliedOffset = 0;
  private lastSnapshotOffset = 0;
  private controller: ActiveController | null = null;
  private readonly pending = new Map<number, PendingRequest>();
  /** Indexes over `pending`, so no event scans every request (thousands may be in flight). */
  private readonly waitingForLeader = new Set<PendingRequest>();
  private readonly byApplyOffset = new MinHeap<PendingRequest>();
  private readonly byDeadline = new MinHeap<PendingRequest>();
  private readonly byRetryAt = new MinHeap<PendingRequest>();
  private readonly forwardIds = new Map<number, number>();
  /** Forwarded requests already planned in this epoch, by origin, incarnation and forward id. */
  private readonly forwardsSeen = new Set<string>();
  /** DescribeQuorum questions sent to the leader: query id → the client's request and deadline. */
  private readonly quorumQueries = new Map<number, { requestId: number; deadlineMs: number }>();
  private nextForwardId = 1;
  private nextInternalRequestId = INTERNAL_REQUEST_ID_BASE;
  private appendedUpTo: number | undefined;
  private nowMs: number;

  // The broker role.
  private readonly incarnationId: string;
  private brokerEpoch: number | null = null;
  private brokerRequestInFlight = false;
  private nextBrokerHeartbeatMs = 0;
  private nextSessionCheckMs = Infinity;

  constructor(options: QuorumNodeOptions) {
    this.config = resolveQuorumNodeConfig(options.config);
    this.random = options.random;
    this.nowMs = options.nowMs;
    this.outbox = new Outbox(this.config.nodeId);
    this.incarnationId = randomHex(this.random, 32);
    const recovered = options.recovered;
    const log = RaftLog.recover(recovered?.snapshot ?? null, recovered?.log ?? []);
    this.lastSnapshotOffset = recovered?.snapshot?.endOffset ?? 0;
    const stateMachine: RaftStateMachine<MetadataBatch> = {
      applyCommitted: (entry) => this.applyCommitted(entry),
      restoreSnapshot: (snapshot) => this.restoreSnapshot(snapshot),
      epochStartRecord: () => EPOCH_START_BATCH,
      digest: batchDigest,
      onLeadershipChange: (isLeader, epoch) => this.onLeadershipChange(isLeader, epoch),
      onReadIndex: (readId, result) => this.onReadIndex(readId, result),
    };
    this.raft = new RaftNode(this.config, {
      epoch: recovered?.quorumState?.epoch ?? 0,
      votedFor: recovered?.quorumState?.votedFor ?? null,
      leaderId: recovered?.quorumState?.leaderId ?? null,
      log,
      snapshot: recovered?.snapshot ?? null,
    }, this.random, this.outbox, stateMachine, this.nowMs, recovered !== null, this.incarnationId);
  }

  // ---------------------------------------------------------------- the host interface

  tick(nowMs: number): void {
    this.nowMs = nowMs;
    this.raft.tick(nowMs);
    this.expireRequests();
    this.tickBroker();
    this.tickController();
    this.dispatchWaiting();
  }

  receive(envelope: PeerEnvelope, nowMs: number): void {
    this.nowMs = nowMs;
    const message = envelope.message;
    if (isRaftMessage(message)) {
      this.raft.step(envelope.from, message, nowMs);
    } else if (isForwardMessage(message)) {
      switch (message.type) {
        case 'forward-request': this.onForwardRequest(envelope.from, message); break;
        case 'forward-response': this.onForwardResponse(message); break;
        case 'describe-quorum-query': this.onDescribeQuorumQuery(envelope.from, message); break;
        case 'describe-quorum-answer': this.onDescribeQuorumAnswer(message); break;
      }
    } else {
      // A host delivers whatever arrives; an unknown message is dropped, never trusted.
      return;
    }
    this.dispatchWaiting();
  }

  submit(request: ClientRequest, nowMs: number): void {
    this.nowMs = nowMs;
    assert(!this.pending.has(request.requestId), `request id ${request.requestId} is already pending`);
    const problem = validateOperation(request.operation);
    if (problem !== undefined) {
      this.outbox.respond({ requestId: request.requestId, outcome: 'failed', error: `INVALID_REQUEST: ${problem}` });
      return;
    }
    const operation = request.operation as MetadataOperation;
    const readConsistency = request.readConsistency ?? this.config.readConsistency;
    if (!isWriteOperation(operation) && readConsistency === 'cached') {
      this.outbox.respond({ requestId: request.requestId, ...this.answerFromImage(operation) });
      return;
    }
    this.addPending({
      requestId: request.requestId, operation, isWrite: isWriteOperation(operation),
      deadlineMs: nowMs + (request.timeoutMs ?? this.config.clientRequestTimeoutMs),
      phase: 'waiting-for-leader', mayHaveTakenEffect: false, internal: false,
    });
    this.dispatchWaiting();
  }

  /**
   * Answers with the leader's view of the quorum (a QuorumDescription as `result`), asking the
   * leader when this node is not it. `failed` with NOT_LEADER_OR_FOLLOWER when no leader is known.
   */
  describeQuorum(requestId: number, nowMs: number, timeoutMs = this.config.requestTimeoutMs): void {
    this.nowMs = nowMs;
    const local = this.localQuorumDescription();
    if (local !== null) {
      this.outbox.respond({ requestId, outcome: 'ok', result: local });
      return;
    }
    const leaderId = this.raft.leaderId;
    if (leaderId === null || this.raft.state !== 'follower') {
      this.outbox.respond({ requestId, outcome: 'failed', error: 'NOT_LEADER_OR_FOLLOWER' });
      return;
    }
    const queryId = this.nextForwardId++;
    this.quorumQueries.set(queryId, { requestId, deadlineMs: nowMs + timeoutMs });
    this.outbox.send(leaderId, {
      type: 'describe-quorum-query', clusterId: this.config.clusterId, incarnationId: this.incarnationId, queryId,
    } satisfies DescribeQuorumQuery);
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
    wake = Math.min(wake, this.earliestDeadlineMs(), this.earliestRetryMs());
    for (const query of this.quorumQueries.values()) wake = Math.min(wake, query.deadlineMs);
    if (this.isBroker && !this.brokerRequestInFlight) wake = Math.min(wake, this.nextBrokerHeartbeatMs);
    if (this.controller !== null) wake = Math.min(wake, this.nextSessionCheckMs);
    return wake;
  }

  /** Graceful shutdown: a leader resigns first so the quorum elects without waiting. */
  shutdown(nowMs: number): void {
    this.nowMs = nowMs;
    this.raft.resign(nowMs);
  }

  /** The host could not reach a peer (connection refused or reset). */
  peerUnreachable(peerId: number, nowMs: number): void {
    this.nowMs = nowMs;
    this.raft.peerUnreachable(peerId, nowMs);
  }

  // ---------------------------------------------------------------- introspection

  debugState(): QuorumNodeDebugState {
    return {
      state: this.raft.state, epoch: this.raft.epoch, leaderId: this.raft.leaderId,
      logStartOffset: this.raft.log.startOffset, logEndOffset: this.raft.log.endOffset,
      highWatermark: this.raft.highWatermark, appliedOffset: this.appliedOffset, pendingRequests: this.pending.size,
    };
  }

  /** The committed image this node has applied (read-only use). */
  get committedImage(): MetadataImage {
    return this.image;
  }

  get raftNode(): RaftNode<MetadataBatch> {
    return this.raft;
  }

  // ---------------------------------------------------------------- the state machine

  private applyCommitted(entry: LogEntry<MetadataBatch>): void {
    for (const record of entry.record) {
      for (const event of this.image.apply(record)) {
        this.outbox.event({ kind: event.kind, epoch: this.raft.epoch, brokerId: event.brokerId });
      }
    }
    this.appliedOffset = entry.offset + 1;
    this.controllerRelease();
    this.answerApplied();
    this.maybeSnapshot(entry);
  }

  private restoreSnapshot(snapshot: SnapshotData): void {
    this.image = metadataSnapshotOf(snapshot.state).toImage();
    this.appliedOffset = snapshot.endOffset;
    this.lastSnapshotOffset = Math.max(this.lastSnapshotOffset, snapshot.endOffset);
    this.answerApplied();
  }

  private maybeSnapshot(entry: LogEntry<MetadataBatch>): void {
    if (this.appliedOffset - this.lastSnapshotOffset < this.config.snapshotIntervalEntries) return;
    this.lastSnapshotOffset = this.appliedOffset;
    // A frozen copy-on-write clone, not records: O(topics) here, and the host writes it out lazily.
    this.raft.takeSnapshot({ endOffset: this.appliedOffset, lastEpoch: entry.epoch, state: MetadataSnapshot.of(this.image) });
  }

  // ---------------------------------------------------------------- controller role

  private onLeadershipChange(isLeader: boolean, epoch: number): void {
    this.forwardsSeen.clear();
    if (!isLeader) {
      const controller = this.controller;
      this.controller = null;
      this.nextSessionCheckMs = Infinity;
      if (controller !== null) {
        for (const held of controller.abandon()) this.deliverAbandoned(held);
      }
      return;
    }
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

  private planOnController(op: MetadataWriteOperation, to: AnswerAddress): void {
    const controller = this.controller!;
    controller.plan(op, to, {
      nextOffset: () => this.raft.nextProposalOffset,
      append: (batch) => this.raft.propose(batch, this.nowMs),
    }, this.nowMs);
    this.controllerRelease();
  }

  private controllerRelease(): void {
    if (this.controller === null || !this.raft.leaderEpochCommitted) return;
    for (const held of this.controller.release(this.raft.highWatermark)) this.deliverHeld(held);
  }

  private tickController(): void {
    if (this.controller === null || this.nowMs < this.nextSessionCheckMs) return;
    this.nextSessionCheckMs = this.nowMs + Math.max(1, Math.floor(this.config.brokerHeartbeatIntervalMs / 2));
    if (!this.raft.leaderEpochCommitted) return;
    for (const op of this.controller.expiredSessions(this.nowMs)) {
      this.planOnController(op, this.ownAddress(this.nextInternalRequestId--, true));
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
      if (to.internal && !this.pending.has(to.requestId)) return;
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
    const to = held.to;
    if (to.node === this.config.nodeId) {
      const request = this.pending.get(to.requestId);
      if (request !== undefined) this.finish(request, { outcome, error: 'NOT_CONTROLLER' });
      return;
    }
    this.outbox.send(to.node, {
      type: 'forward-response', incarnationId: to.incarnationId, forwardId: to.requestId, outcome, error: 'NOT_CONTROLLER',
      epoch: this.raft.epoch, leaderId: this.raft.leaderId,
    } satisfies ForwardResponse);
  }

  private onForwardRequest(from: number, request: ForwardRequest): void {
    // Networks may deliver a message twice: a write must be planned once, however often it arrives.
    const requestKey = `${from}/${request.incarnationId}/${request.forwardId}`;
    if (request.epoch === this.raft.epoch && this.controller !== null) {
      if (this.forwardsSeen.has(requestKey)) return;
      this.forwardsSeen.add(requestKey);
      if (this.forwardsSeen.size > FORWARDS_SEEN_MAX) this.forwardsSeen.delete(this.forwardsSeen.values().next().value!);
    }
    if (request.clusterId !== this.config.clusterId || this.controller === null || request.epoch !== this.raft.epoch ||
      !isWriteOperation(request.operation) || validateOperation(request.operation) !== undefined) {
      this.outbox.send(from, {
        type: 'forward-response', incarnationId: request.incarnationId, forwardId: request.forwardId,
        outcome: request.clusterId !== this.config.clusterId ? 'failed' : 'not-controller',
        error: request.clusterId !== this.config.clusterId ? 'INCONSISTENT_CLUSTER_ID' : 'NOT_CONTROLLER',
        epoch: this.raft.epoch, leaderId: this.raft.leaderId,
      } satisfies ForwardResponse);
      return;
    }
    this.planOnController(request.operation, { node: from, incarnationId: request.incarnationId, requestId: request.forwardId, internal: false });
  }

  private onForwardResponse(response: ForwardResponse): void {
    // An answer to this node's previous incarnation: its forward id may name a new request now.
    if (response.incarnationId !== this.incarnationId) return;
    const requestId = this.forwardIds.get(response.forwardId);
    if (requestId === undefined) return;
    this.forwardIds.delete(response.forwardId);
    const request = this.pending.get(requestId);
    if (request === undefined || request.forwardId !== response.forwardId) return;
    delete request.forwardId;
    switch (response.outcome) {
      case 'not-controller':
        // Nothing was done there: look for the controller again until the deadline.
        request.mayHaveTakenEffect = false;
        return this.retryLater(request);
      case 'ok': {
        const answer: Omit<ClientResponse, 'requestId'> = { outcome: 'ok', result: response.result };
        if (response.committedOffset !== undefined) {
          answer.committedOffset = response.committedOffset;
          answer.committedEpoch = response.committedEpoch!;
        }
        return this.completeAfterApply(requestId, answer, response.applyOffset ?? 0);
      }
      default: {
        const answer: Omit<ClientResponse, 'requestId'> = { outcome: response.outcome };
        if (response.error !== undefined) answer.error = response.error;
        return this.finish(request, answer);
      }
    }
  }

  private localQuorumDescription(): QuorumDescription | null {
    const leader = this.raft.leaderState;
    if (leader === null) return null;
    return describeQuorum(this.config.clusterId, leader, this.raft.epoch, this.raft.highWatermark, this.raft.log.endOffset, this.nowMs);
  }

  private onDescribeQuorumQuery(from: number, query: DescribeQuorumQuery): void {
    const description = query.clusterId === this.config.clusterId ? this.localQuorumDescription() : null;
    this.outbox.send(from, {
      type: 'describe-quorum-answer', incarnationId: query.incarnationId, queryId: query.queryId, description,
    } satisfies DescribeQuorumAnswer);
  }

  private onDescribeQuorumAnswer(answer: DescribeQuorumAnswer): void {
    if (answer.incarnationId !== this.incarnationId) return;
    const query = this.quorumQueries.get(answer.queryId);
    if (query === undefined) return;
    this.quorumQueries.delete(answer.queryId);
    this.outbox.respond(answer.description === null
      ? { requestId: query.requestId, outcome: 'failed', error: 'NOT_LEADER_OR_FOLLOWER' }
      : { requestId: query.requestId, outcome: 'ok', result: answer.description });
  }

  // ---------------------------------------------------------------- client requests

  /** Sends every request waiting for a leader to the leader, once one is known. */
  private dispatchWaiting(): void {
    const leaderId = this.raft.leaderId;
    if (leaderId === null || (this.raft.state !== 'leader' && this.raft.state !== 'follower')) return;
    for (const request of [...this.waitingForLeader]) {
      if (request.retryAtMs !== undefined && this.nowMs < request.retryAtMs) continue;
      this.waitingForLeader.delete(request);
      if (request.isWrite) this.dispatchWrite(request, leaderId);
      else this.dispatchRead(request);
    }
  }

  private dispatchWrite(request: PendingRequest, leaderId: number): void {
    request.mayHaveTakenEffect = true;
    if (this.controller !== null) {
      request.phase = 'proposed';
      this.planOnController(request.operation as MetadataWriteOperation, this.ownAddress(request.requestId, request.internal));
      return;
    }
    if (leaderId === this.config.nodeId) {
      // This node is named leader but has no controller yet: keep waiting.
      request.mayHaveTakenEffect = false;
      this.waitingForLeader.add(request);
      return;
    }
    const forwardId = this.nextForwardId++;
    request.phase = 'forwarded';
    request.forwardId = forwardId;
    this.forwardIds.set(forwardId, request.requestId);
    this.outbox.send(leaderId, {
      type: 'forward-request', clusterId: this.config.clusterId, epoch: this.raft.epoch,
      incarnationId: this.incarnationId, forwardId, operation: request.operation,
    } satisfies ForwardRequest);
  }

  private dispatchRead(request: PendingRequest): void {
    request.phase = 'read-index';
    this.raft.requestReadIndex(request.requestId, this.nowMs);
  }

  private onReadIndex(readId: number, result: { readIndex: number } | { error: RaftErrorName }): void {
    const request = this.pending.get(readId);
    if (request === undefined || request.phase !== 'read-index') return;
    if ('error' in result) return this.retryLater(request);
    this.awaitApply(request, result.readIndex);
    this.answerApplied();
  }

  private retryLater(request: PendingRequest): void {
    request.phase = 'waiting-for-leader';
    request.retryAtMs = this.nowMs + this.random.nextFloat() * RETRY_BACKOFF_MS_MAX;
    this.waitingForLeader.add(request);
    this.byRetryAt.push(request.retryAtMs, request);
  }

  private addPending(request: PendingRequest): void {
    this.pending.set(request.requestId, request);
    this.waitingForLeader.add(request);
    this.byDeadline.push(request.deadlineMs, request);
  }

  private awaitApply(request: PendingRequest, applyOffset: number): void {
    request.phase = 'applying';
    request.applyOffset = applyOffset;
    this.byApplyOffset.push(applyOffset, request);
  }

  private isPending(request: PendingRequest): boolean {
    return this.pending.get(request.requestId) === request;
  }

  private earliestDeadlineMs(): number {
    while (this.byDeadline.size > 0 && !this.isPending(this.byDeadline.peek()!)) this.byDeadline.pop();
    return this.byDeadline.peekKey();
  }

  /** A due retry waits for a leader to be known, which only a message brings: no timer for it. */
  private earliestRetryMs(): number {
    while (this.byRetryAt.size > 0) {
      const request = this.byRetryAt.peek()!;
      const current = this.isPending(request) && request.phase === 'waiting-for-leader' && request.retryAtMs === this.byRetryAt.peekKey();
      if (current && this.byRetryAt.peekKey() > this.nowMs) return this.byRetryAt.peekKey();
      this.byRetryAt.pop();
    }
    return Infinity;
  }

  private completeAfterApply(requestId: number, answer: Omit<ClientResponse, 'requestId'>, applyOffset: number): void {
    const request = this.pending.get(requestId);
    if (request === undefined) return;
    request.answer = answer;
    this.awaitApply(request, applyOffset);
    this.answerApplied();
  }

  /** Answers every request whose offset this node has now applied. */
  private answerApplied(): void {
    while (this.byApplyOffset.size > 0 && this.byApplyOffset.peekKey() <= this.appliedOffset) {
      const request = this.byApplyOffset.pop()!;
      if (!this.isPending(request) || request.phase !== 'applying' || request.applyOffset! > this.appliedOffset) continue;
      this.finish(request, request.answer ?? this.answerFromImage(request.operation));
    }
  }

  private answerFromImage(operation: MetadataOperation): Omit<ClientResponse, 'requestId'> {
    assert(!isWriteOperation(operation), 'writes are not answered from the image');
    return { outcome: 'ok', result: answerRead(this.image, operation) };
  }

  private expireRequests(): void {
    for (const [queryId, query] of this.quorumQueries) {
      if (this.nowMs < query.deadlineMs) continue;
      this.quorumQueries.delete(queryId);
      this.outbox.respond({ requestId: query.requestId, outcome: 'failed', error: 'REQUEST_TIMED_OUT' });
    }
    while (this.earliestDeadlineMs() <= this.nowMs) {
      const request = this.byDeadline.pop()!;
      if (request.forwardId !== undefined) this.forwardIds.delete(request.forwardId);
      this.finish(request, {
        outcome: request.isWrite && request.mayHaveTakenEffect ? 'unknown' : 'failed',
        error: 'REQUEST_TIMED_OUT',
      });
    }
  }

  private finish(request: PendingRequest, answer: Omit<ClientResponse, 'requestId'>): void {
    this.pending.delete(request.requestId);
    this.waitingForLeader.delete(request);
    if (request.internal) return this.onInternalAnswer(request, answer);
    this.outbox.respond({ requestId: request.requestId, ...answer });
  }

  // ---------------------------------------------------------------- broker role

  private get isBroker(): boolean {
    return this.config.processRoles.includes('broker');
  }

  /** Registers with the active controller, then heartbeats, as a KRaft broker does. */
  private tickBroker(): void {
    if (!this.isBroker || this.brokerRequestInFlight || this.nowMs < this.nextBrokerHeartbeatMs) return;
    const operation: MetadataWriteOperation = this.brokerEpoch === null
      ? { type: 'registerBroker', brokerId: this.config.nodeId, incarnationId: this.incarnationId, endpoints: this.config.brokerEndpoints }
      : { type: 'brokerHeartbeat', brokerId: this.config.nodeId, brokerEpoch: this.brokerEpoch };
    const requestId = this.nextInternalRequestId--;
    this.brokerRequestInFlight = true;
    this.addPending({
      requestId, operation, isWrite: true, deadlineMs: this.nowMs + this.config.brokerHeartbeatIntervalMs * 2,
      phase: 'waiting-for-leader', mayHaveTakenEffect: false, internal: true,
    });
  }

  private onInternalAnswer(request: PendingRequest, answer: Omit<ClientResponse, 'requestId'>): void {
    const op = request.operation;
    if (op.type !== 'registerBroker' && op.type !== 'brokerHeartbeat') return;
    this.brokerRequestInFlight = false;
    const result = answer.result as WriteResult | undefined;
    if (answer.outcome === 'ok' && result !== undefined && result.ok) {
      if (op.type === 'registerBroker') this.brokerEpoch = (result.reply as { brokerEpoch: number }).brokerEpoch;
      this.nextBrokerHeartbeatMs = op.type === 'registerBroker' ? this.nowMs : this.nowMs + this.config.brokerHeartbeatIntervalMs;
      return;
    }
    if (answer.outcome === 'ok' && result !== undefined && !result.ok &&
      (result.error === 'STALE_BROKER_EPOCH' || result.error === 'BROKER_ID_NOT_REGISTERED')) {
      this.brokerEpoch = null;
    }
    // Retry soon, with jitter, so brokers do not all come back at once after a failover.
    this.nextBrokerHeartbeatMs = this.nowMs + this.random.nextFloat() * Math.min(this.config.brokerHeartbeatIntervalMs, 500);
  }
}

function writeAnswer(result: WriteResult, committedOffset: number | undefined, committedEpoch: number): Omit<ClientResponse, 'requestId'> {
  const answer: Omit<ClientResponse, 'requestId'> = { outcome: 'ok', result };
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
