/**
 * Forwarding, both ends (the messages are in forwarding.ts).
 *
 * The asking node sends a client's write to the leader under a forward id, and DescribeQuorum
 * questions under a query id from the same counter; it takes an answer only if it names this
 * incarnation and an id still waiting (an answer to an earlier incarnation or a forgotten id is
 * dropped). The leader plans a forwarded write once per epoch however often the network delivers
 * it: it remembers which (origin, incarnation, forward id) it has seen, since the epoch it took
 * office, up to FORWARDS_SEEN_MAX of them.
 */
import type { Outbox } from './raft/outbox.js';
import type { DescribeQuorumAnswer, DescribeQuorumQuery, ForwardRequest, ForwardResponse } from './forwarding.js';
import type { MetadataOperation } from './metadata/index.js';

/** The most forwarded requests remembered for de-duplication within one epoch. */
export const FORWARDS_SEEN_MAX = 65_536;

interface QuorumQuery {
  requestId: number;
  deadlineMs: number;
}

export class RequestForwarding<R> {
  /** Forward id → the request id it forwards. */
  private readonly forwardIds = new Map<number, number>();
  /** Forwarded requests already planned in this epoch, by origin, incarnation and forward id. */
  private readonly forwardsSeen = new Set<string>();
  /** DescribeQuorum questions sent to the leader, by query id. */
  private readonly quorumQueries = new Map<number, QuorumQuery>();
  private nextForwardId = 1;

  constructor(
    private readonly clusterId: string,
    private readonly incarnationId: string,
    private readonly outbox: Outbox<R>,
  ) {}

  // ---------------------------------------------------------------- asking

  /** Sends the write of request `requestId` to `leaderId`; returns its forward id. */
  forward(requestId: number, operation: MetadataOperation, leaderId: number, epoch: number): number {
    const forwardId = this.nextForwardId++;
    this.forwardIds.set(forwardId, requestId);
    this.outbox.send(leaderId, {
      type: 'forward-request', clusterId: this.clusterId, epoch, incarnationId: this.incarnationId, forwardId, operation,
    } satisfies ForwardRequest);
    return forwardId;
  }

  /** The request id a forward answer is for, if it is for this incarnation and still awaited (then no longer). */
  claim(response: ForwardResponse): number | undefined {
    // An answer to this node's previous incarnation: its forward id may name a new request now.
    if (response.incarnationId !== this.incarnationId) return undefined;
    const requestId = this.forwardIds.get(response.forwardId);
    if (requestId !== undefined) this.forwardIds.delete(response.forwardId);
    return requestId;
  }

  /** The request gave up waiting (it timed out): an answer to it is dropped. */
  forget(forwardId: number): void {
    this.forwardIds.delete(forwardId);
  }

  askQuorum(requestId: number, leaderId: number, deadlineMs: number): void {
    const queryId = this.nextForwardId++;
    this.quorumQueries.set(queryId, { requestId, deadlineMs });
    this.outbox.send(leaderId, {
      type: 'describe-quorum-query', clusterId: this.clusterId, incarnationId: this.incarnationId, queryId,
    } satisfies DescribeQuorumQuery);
  }

  /** The request id a DescribeQuorum answer is for, if still awaited (then no longer). */
  claimQuorumAnswer(answer: DescribeQuorumAnswer): number | undefined {
    if (answer.incarnationId !== this.incarnationId) return undefined;
    const query = this.quorumQueries.get(answer.queryId);
    if (query === undefined) return undefined;
    this.quorumQueries.delete(answer.queryId);
    return query.requestId;
  }

  /** Gives up DescribeQuorum questions past their deadline, telling `expired` each request id. */
  expireQuorumQueries(nowMs: number, expired: (requestId: number) => void): void {
    for (const [queryId, query] of this.quorumQueries) {
      if (nowMs < query.deadlineMs) continue;
      this.quorumQueries.delete(queryId);
      expired(query.requestId);
    }
  }

  earliestQuorumDeadlineMs(): number {
    let wake = Infinity;
    for (const query of this.quorumQueries.values()) wake = Math.min(wake, query.deadlineMs);
    return wake;
  }

  // ---------------------------------------------------------------- answering (the leader)

  /**
   * Whether `request` from `from` is a repeat of one already planned in this epoch. Only requests
   * the active controller of their epoch receives are remembered; others are refused anyway.
   */
  isRepeat(from: number, request: ForwardRequest, acceptedHere: boolean): boolean {
    if (!acceptedHere) return false;
    const requestKey = `${from}/${request.incarnationId}/${request.forwardId}`;
    if (this.forwardsSeen.has(requestKey)) return true;
    this.forwardsSeen.add(requestKey);
    if (this.forwardsSeen.size > FORWARDS_SEEN_MAX) this.forwardsSeen.delete(this.forwardsSeen.values().next().value!);
    return false;
  }

  /** Leadership changed: forward ids of the old epoch can no longer be planned again. */
  newEpoch(): void {
    this.forwardsSeen.clear();
  }
}
