/**
 * The client-request table of a node: every request not yet answered, in the phase it is in, with
 * indexes so that no event scans every request (thousands may be in flight):
 *
 *   waiting-for-leader → forwarded | proposed | read-index → applying → answered
 *
 * A request waits for a leader to be known (and, after a "not the leader" answer, for a random
 * pause to pass); then a write goes to the active controller (here or forwarded) and a read takes
 * a read index; then the answer waits until this node has applied the offset it depends on, so a
 * client that next reads from this node sees its own write. Every request ends exactly once:
 * answered, failed or timed out (`finish`).
 */
import type { ClientAnswer } from './client-response.js';
import type { MetadataOperation } from './metadata/index.js';
import { MinHeap } from './min-heap.js';

export type RequestPhase = 'waiting-for-leader' | 'forwarded' | 'proposed' | 'read-index' | 'applying';

export interface PendingRequest {
  requestId: number;
  operation: MetadataOperation;
  isWrite: boolean;
  deadlineMs: number;
  phase: RequestPhase;
  /** The request reached a controller that may have acted on it. */
  mayHaveTakenEffect: boolean;
  /** Answer once this node has applied up to here. */
  applyOffset?: number;
  /** The answer to give then (reads without one are answered from the image). */
  answer?: ClientAnswer;
  /** The forward id while the request waits on the leader's answer to its forward; undefined otherwise. */
  forwardId?: number | undefined;
  /** Internal requests (broker registration, heartbeats) are answered to the node itself. */
  internal: boolean;
  /** After a "not the leader" answer, wait until here before asking again. */
  retryAtMs?: number;
}

/**
 * A request waiting for a leader, with every field it will ever have present from the start (the
 * optional ones undefined), so each request keeps one object shape through its phases: a field
 * added later changes its shape, and one deleted turns it into a slow dictionary-mode object (the
 * forward id was deleted on every forwarded write's answer, 0.4% of the simulator's CPU).
 */
export function pendingRequest(requestId: number, operation: MetadataOperation, isWrite: boolean, deadlineMs: number, internal: boolean): PendingRequest {
  return {
    requestId, operation, isWrite, deadlineMs, phase: 'waiting-for-leader', mayHaveTakenEffect: false,
    applyOffset: undefined, answer: undefined, forwardId: undefined, internal, retryAtMs: undefined,
  };
}

export class ClientRequestTable {
  private readonly pending = new Map<number, PendingRequest>();
  private readonly waitingForLeader = new Set<PendingRequest>();
  private readonly byApplyOffset = new MinHeap<PendingRequest>();
  private readonly byDeadline = new MinHeap<PendingRequest>();
  private readonly byRetryAt = new MinHeap<PendingRequest>();

  /** @param onFinish delivers a request's one answer (to the client, or to the node itself) */
  constructor(private readonly onFinish: (request: PendingRequest, answer: ClientAnswer) => void) {}

  get size(): number {
    return this.pending.size;
  }

  /** Requests waiting for a leader (some may still be in their retry pause). */
  get waitingCount(): number {
    return this.waitingForLeader.size;
  }

  has(requestId: number): boolean {
    return this.pending.has(requestId);
  }

  get(requestId: number): PendingRequest | undefined {
    return this.pending.get(requestId);
  }

  add(request: PendingRequest): void {
    this.pending.set(request.requestId, request);
    this.waitingForLeader.add(request);
    this.byDeadline.push(request.deadlineMs, request);
  }

  /**
   * Hands every request waiting for a leader whose retry pause is over to `dispatch`, in the order
   * they started waiting. A request `dispatch` puts back waits for the next round.
   */
  dispatchWaiting(nowMs: number, dispatch: (request: PendingRequest) => void): void {
    // The requests waiting now, in a list kept for the purpose (a dispatch may put one back, which
    // waits for the next round): a new array per round was 1% of what the simulator allocates.
    // A round started from within a dispatch (not done today) would take a list of its own.
    const waiting = this.dispatchList.length === 0 ? this.dispatchList : [];
    for (const request of this.waitingForLeader) waiting.push(request);
    for (let i = 0; i < waiting.length; i++) {
      const request = waiting[i]!;
      if (request.retryAtMs !== undefined && nowMs < request.retryAtMs) continue;
      this.waitingForLeader.delete(request);
      dispatch(request);
    }
    waiting.length = 0;
  }

  private readonly dispatchList: PendingRequest[] = [];

  /** Back to waiting for a leader, at once (no pause). */
  waitForLeader(request: PendingRequest): void {
    this.waitingForLeader.add(request);
  }

  /** Back to waiting for a leader, until `retryAtMs`. */
  retryLater(request: PendingRequest, retryAtMs: number): void {
    request.phase = 'waiting-for-leader';
    request.retryAtMs = retryAtMs;
    this.waitingForLeader.add(request);
    this.byRetryAt.push(retryAtMs, request);
  }

  /** Answer once this node has applied up to `applyOffset` (a read: from the image then). */
  awaitApply(request: PendingRequest, applyOffset: number): void {
    request.phase = 'applying';
    request.applyOffset = applyOffset;
    this.byApplyOffset.push(applyOffset, request);
  }

  /** Answers every request whose offset this node has applied; reads without an answer are answered by `fromImage`. */
  answerApplied(appliedOffset: number, fromImage: (operation: MetadataOperation) => ClientAnswer): void {
    while (this.byApplyOffset.size > 0 && this.byApplyOffset.peekKey() <= appliedOffset) {
      const request = this.byApplyOffset.pop()!;
      if (!this.isPending(request) || request.phase !== 'applying' || request.applyOffset! > appliedOffset) continue;
      this.finish(request, request.answer ?? fromImage(request.operation));
    }
  }

  /** Finishes every request whose deadline has passed, with the answer `expired` gives it. */
  expire(nowMs: number, expired: (request: PendingRequest) => ClientAnswer): void {
    while (this.earliestDeadlineMs() <= nowMs) {
      const request = this.byDeadline.pop()!;
      this.finish(request, expired(request));
    }
  }

  finish(request: PendingRequest, answer: ClientAnswer): void {
    this.pending.delete(request.requestId);
    this.waitingForLeader.delete(request);
    this.onFinish(request, answer);
  }

  earliestDeadlineMs(): number {
    while (this.byDeadline.size > 0 && !this.isPending(this.byDeadline.peek()!)) this.byDeadline.pop();
    return this.byDeadline.peekKey();
  }

  /** A due retry waits for a leader to be known, which only a message brings: no timer for it. */
  earliestRetryMs(nowMs: number): number {
    while (this.byRetryAt.size > 0) {
      const request = this.byRetryAt.peek()!;
      const current = this.isPending(request) && request.phase === 'waiting-for-leader' && request.retryAtMs === this.byRetryAt.peekKey();
      if (current && this.byRetryAt.peekKey() > nowMs) return this.byRetryAt.peekKey();
      this.byRetryAt.pop();
    }
    return Infinity;
  }

  private isPending(request: PendingRequest): boolean {
    return this.pending.get(request.requestId) === request;
  }
}
