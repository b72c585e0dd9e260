/**
 * Forwarding, both ends (the messages are in forwarding.ts).
 *
 * The asking node sends a client's write to the leader under a forward id, and DescribeQuorum
 * questions under a query id from the same counter; it takes an answer only if it names this
 * incarnation and an id still waiting (an answer to an earlier incarnation or a forgotten id is
 * dropped). The leader plans a forwarded write (or a voter change) once however often the network
 * delivers it: it remembers which (origin, incarnation, id) it has planned, up to FORWARDS_SEEN_MAX
 * of them, across leadership changes, and drops every repeat, led or not: the first copy gets its
 * own answer (released, or abandoned as unknown when leadership is lost). A repeat of a voter
 * change would otherwise be refused ("a change is in progress"), and a repeat that arrives after
 * this node lost leadership would be refused as not-controller ("nothing was done"): either
 * refusal, taken as the answer to the first copy, lies about a write that may commit (CI sweep
 * seed 508450: a delete planned, its duplicate refused after the leader resigned, the delete
 * retried and answered UNKNOWN_TOPIC_OR_PARTITION by its own first copy). That memory dies with
 * the process: a node refuses a forward as not-controller only for an epoch this incarnation led,
 * and answers `unknown` for one an earlier incarnation may have led (and planned it in).
 */
import { answersThisIncarnation } from './bug-switches.js';
import type { Outbox } from './raft/outbox.js';
import type {
  DescribeQuorumAnswer, DescribeQuorumQuery, ForwardRequest, ForwardResponse, VoterChangeAnswer, VoterChangeQuery,
} from './forwarding.js';
import type { MetadataOperation } from './metadata/index.js';
import type { VoterChange } from './raft/voter-changes.js';

/** The most forwarded requests remembered for de-duplication (the oldest is forgotten first). */
export const FORWARDS_SEEN_MAX = 65_536;

/** What a question to the leader asks: its view of the quorum, or a voter change. */
export type QueryKind = 'describe-quorum' | 'voter-change';

interface LeaderQuery {
  kind: QueryKind;
  requestId: number;
  deadlineMs: number;
}

export class RequestForwarding<R> {
  /** Forward id → the request id it forwards and the epoch of the leader it was sent to. */
  private readonly forwardIds = new Map<number, { requestId: number; epoch: number }>();
  /** The lowest epoch any open forward was sent in (Infinity when none is open): skips `takeSuperseded`'s scan. */
  private oldestOpenEpoch = Infinity;
  /**
   * Forwarded requests and voter changes already planned here, by origin, incarnation and id (an
   * incarnation never reuses an id, so the three name one request whatever the epoch).
   */
  private readonly forwardsSeen = new PlannedRequests(FORWARDS_SEEN_MAX);
  /**
   * The epochs this incarnation led (held the active controller of). Only for those does
   * `forwardsSeen` know every forward that was planned: a node that restarted has lost what its
   * earlier incarnation planned, and a forward for an epoch led before the restart (or on a disk
   * since replaced) may be in the log although this incarnation never saw it.
   */
  private readonly epochsLedHere = new Set<number>();
  /** Questions sent to the leader (DescribeQuorum, voter changes), by query id. */
  private readonly queries = new Map<number, LeaderQuery>();
  private nextForwardId = 1;

  constructor(
    private readonly clusterId: string,
    private readonly incarnationId: string,
    private readonly outbox: Outbox<R>,
    /** BUG SWITCH incarnation-check-off: an answer naming an earlier incarnation is taken too. */
    private readonly takesAnyIncarnation = false,
  ) {}

  // ---------------------------------------------------------------- asking

  /** Sends the write of request `requestId` to `leaderId`; returns its forward id. */
  forward(requestId: number, operation: MetadataOperation, leaderId: number, epoch: number): number {
    const forwardId = this.nextForwardId++;
    this.forwardIds.set(forwardId, { requestId, epoch });
    this.oldestOpenEpoch = Math.min(this.oldestOpenEpoch, epoch);
    this.outbox.send(leaderId, {
      type: 'forward-request', clusterId: this.clusterId, epoch, incarnationId: this.incarnationId, forwardId, operation,
    } satisfies ForwardRequest);
    return forwardId;
  }

  /** The request id a forward answer is for, if it is for this incarnation and still awaited (then no longer). */
  claim(response: ForwardResponse): number | undefined {
    // An answer to this node's previous incarnation: its forward id may name a new request now.
    if (!answersThisIncarnation(this.incarnationId, response.incarnationId, this.takesAnyIncarnation)) return undefined;
    const forward = this.forwardIds.get(response.forwardId);
    if (forward !== undefined) this.forwardIds.delete(response.forwardId);
    return forward?.requestId;
  }

  /**
   * The request ids of forwards sent to the leader of an epoch before `epoch`, no longer awaited.
   * A leader of `epoch` is known, so that earlier leader has been replaced: it can no longer
   * answer for what it did (an isolated leader's answer never comes), and nothing is re-sent,
   * since the write may already be in its log and may yet commit.
   */
  takeSuperseded(epoch: number): number[] {
    if (this.oldestOpenEpoch >= epoch) return NONE;
    const superseded: number[] = [];
    let oldest = Infinity;
    for (const [forwardId, forward] of this.forwardIds) {
      if (forward.epoch < epoch) {
        this.forwardIds.delete(forwardId);
        superseded.push(forward.requestId);
      } else {
        oldest = Math.min(oldest, forward.epoch);
      }
    }
    this.oldestOpenEpoch = oldest;
    return superseded;
  }

  /** The request gave up waiting (it timed out): an answer to it is dropped. */
  forget(forwardId: number): void {
    this.forwardIds.delete(forwardId);
  }

  askQuorum(requestId: number, leaderId: number, deadlineMs: number): void {
    const queryId = this.nextForwardId++;
    this.queries.set(queryId, { kind: 'describe-quorum', requestId, deadlineMs });
    this.outbox.send(leaderId, {
      type: 'describe-quorum-query', clusterId: this.clusterId, incarnationId: this.incarnationId, queryId,
    } satisfies DescribeQuorumQuery);
  }

  /** Asks `leaderId`, the leader of `epoch`, for a voter change; only that leader in that epoch makes it. */
  askVoterChange(requestId: number, change: VoterChange, leaderId: number, epoch: number, deadlineMs: number): void {
    const queryId = this.nextForwardId++;
    this.queries.set(queryId, { kind: 'voter-change', requestId, deadlineMs });
    this.outbox.send(leaderId, {
      type: 'voter-change-query', clusterId: this.clusterId, epoch, incarnationId: this.incarnationId, queryId, change,
    } satisfies VoterChangeQuery);
  }

  /** The request id a leader's answer is for, if this incarnation still awaits it (then no longer). */
  claimAnswer(answer: DescribeQuorumAnswer | VoterChangeAnswer): number | undefined {
    if (!answersThisIncarnation(this.incarnationId, answer.incarnationId, this.takesAnyIncarnation)) return undefined;
    const query = this.queries.get(answer.queryId);
    const expected: QueryKind = answer.type === 'describe-quorum-answer' ? 'describe-quorum' : 'voter-change';
    if (query === undefined || query.kind !== expected) return undefined;
    this.queries.delete(answer.queryId);
    return query.requestId;
  }

  /** Gives up questions to the leader past their deadline, telling `expired` each one. */
  expireQueries(nowMs: number, expired: (requestId: number, kind: QueryKind) => void): void {
    for (const [queryId, query] of this.queries) {
      if (nowMs < query.deadlineMs) continue;
      this.queries.delete(queryId);
      expired(query.requestId, query.kind);
    }
  }

  earliestQueryDeadlineMs(): number {
    let wake = Infinity;
    for (const query of this.queries.values()) wake = Math.min(wake, query.deadlineMs);
    return wake;
  }

  // ---------------------------------------------------------------- answering (the leader)

  /** This incarnation leads `epoch` (its active controller plans forwards from now on). */
  leading(epoch: number): void {
    this.epochsLedHere.add(epoch);
  }

  /**
   * Whether this incarnation can tell that a forward for `epoch` it did not plan was never planned
   * by this node at all, so that refusing it as not-controller ("nothing was done") is true: only
   * if this incarnation led that epoch. Otherwise an earlier incarnation may have led it and
   * planned the forward (the network delivers a copy again after a restart, or delivers it late):
   * its answer is `unknown`, never not-controller, which the asker would take as leave to try the
   * write again, and apply it twice.
   */
  vouchesFor(epoch: number): boolean {
    return this.epochsLedHere.has(epoch);
  }

  /**
   * Whether `request` from `from` is a repeat of one this node already planned (then drop it: the
   * first copy is answered on its own). Checked whether this node leads now or not, since a repeat
   * refused after leadership was lost would claim that nothing was done. Only requests this node
   * plans (`plannedHere`, the active controller of their epoch) are remembered; others are refused.
   */
  isRepeat(from: number, request: ForwardRequest | VoterChangeQuery, plannedHere: boolean): boolean {
    const asker = this.forwardsSeen.askerOf(from, request.incarnationId, plannedHere);
    if (asker === undefined) return false;
    const ids = request.type === 'forward-request' ? asker.forwards : asker.voterQueries;
    const id = request.type === 'forward-request' ? request.forwardId : request.queryId;
    if (ids.has(id)) return true;
    if (!plannedHere) return false;
    this.forwardsSeen.add(asker, ids, id);
    return false;
  }
}

/** The ids one asker incarnation's forwards and voter-change queries were planned under here. */
class AskerIds {
  readonly forwards = new Set<number>();
  readonly voterQueries = new Set<number>();
  constructor(readonly from: number, readonly incarnationId: string) {}
}

/**
 * Planned requests by origin, incarnation and id, at most `max` of them (the oldest is forgotten
 * first). Every forwarded write is looked up here on arrival: maps of the origin's number and the
 * incarnation's string to sets of ids, instead of one set of `origin/incarnation/id` keys, which
 * cost building and hashing a new string on every lookup (0.7% of the simulator's CPU).
 */
class PlannedRequests {
  private readonly byAsker = new Map<number, Map<string, AskerIds>>();
  /** What was planned, oldest first from `head` on: whose, in which of its sets, and the id. */
  private orderAskers: AskerIds[] = [];
  private orderSets: Set<number>[] = [];
  private orderIds: number[] = [];
  private head = 0;

  constructor(private readonly max: number) {}

  /** The ids planned for this asker incarnation: made if none are and `create`, else undefined. */
  askerOf(from: number, incarnationId: string, create: boolean): AskerIds | undefined {
    let incarnations = this.byAsker.get(from);
    let asker = incarnations?.get(incarnationId);
    if (asker === undefined && create) {
      asker = new AskerIds(from, incarnationId);
      if (incarnations === undefined) this.byAsker.set(from, incarnations = new Map());
      incarnations.set(incarnationId, asker);
    }
    return asker;
  }

  /** Notes `id` as planned in `ids`, one of `asker`'s sets, forgetting the oldest beyond `max`. */
  add(asker: AskerIds, ids: Set<number>, id: number): void {
    ids.add(id);
    this.orderAskers.push(asker);
    this.orderSets.push(ids);
    this.orderIds.push(id);
    if (this.orderIds.length - this.head > this.max) this.forgetOldest();
  }

  private forgetOldest(): void {
    const asker = this.orderAskers[this.head]!;
    this.orderSets[this.head]!.delete(this.orderIds[this.head]!);
    this.head += 1;
    if (asker.forwards.size === 0 && asker.voterQueries.size === 0) {
      const incarnations = this.byAsker.get(asker.from)!;
      incarnations.delete(asker.incarnationId);
      if (incarnations.size === 0) this.byAsker.delete(asker.from);
    }
    // The forgotten part of the order goes once it is half of it: O(1) a request, amortized.
    if (this.head * 2 > this.orderIds.length) {
      this.orderAskers = this.orderAskers.slice(this.head);
      this.orderSets = this.orderSets.slice(this.head);
      this.orderIds = this.orderIds.slice(this.head);
      this.head = 0;
    }
  }
}

const NONE: number[] = [];
