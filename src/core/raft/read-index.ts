/**
 * Linearizable reads by read index (Raft §6.4, etcd's ReadIndex), in two halves.
 *
 * On the leader (`LeaderReads`): each read opens a new read round. The leader answers the voters'
 * fetches it holds at once, and followers come back echoing the newest round they have seen
 * (FetchRequest `readRound`). A voter whose fetch echoes an older round than a read waits on is
 * answered at once too; otherwise a fetch with nothing new is held, and an observer's always is:
 * its echo confirms nothing. Reads that arrive while a round is out share the next one, since
 * every answer carries the newest round (the second read cannot use the round out: it began
 * before the read arrived). Once a majority of voters, the leader included, echoed the read's round, no other
 * leader can have been elected before the read arrived, so the high watermark at that moment is a
 * safe read index, provided the leader has committed a record of its own epoch (it knows every
 * committed entry only then). Rounds count per leader and epoch.
 *
 * On a follower (`RemoteReads`): the node asks its leader and keeps the question until the answer
 * comes, the request timeout passes, or the epoch moves on (the old leader will never answer then).
 * Either way the state machine hears back exactly once.
 */
import { answersThisIncarnation } from '../bug-switches.js';
import type { RaftErrorName, ReadIndexResponse } from './messages.js';

export type ReadIndexResult = { readIndex: number } | { error: RaftErrorName };

/** The read index a refused read carries on the wire (Kafka's "no offset"). */
export const NO_READ_INDEX = -1;

/** Who asked for a read index, and where the answer goes. */
export interface ReadAsker {
  readId: number;
  /** The node to answer: the leader itself, or the follower that asked. */
  origin: number;
  /** The asking node's incarnation: read ids start again from 1 when a node restarts. */
  incarnationId: string;
}

export interface PendingRead extends ReadAsker {
  round: number;
}

export class LeaderReads {
  /** The newest round opened; followers echo it back. */
  round = 0;
  private readonly pending: PendingRead[] = [];

  open(asker: ReadAsker): void {
    this.round++;
    // Built field by field (the spread's key order): a spread copies through a slow generic path.
    this.pending.push({ readId: asker.readId, origin: asker.origin, incarnationId: asker.incarnationId, round: this.round });
  }

  /**
   * Whether a read still waits on a round newer than `echoedRound`: only then does a voter that
   * echoed `echoedRound` need an answer at once, so that it comes back echoing the newer round.
   */
  waitsBeyond(echoedRound: number): boolean {
    const newest = this.pending[this.pending.length - 1];
    return newest !== undefined && newest.round > echoedRound;
  }

  /** Removes and returns the oldest read if a quorum confirmed its round. */
  takeConfirmed(roundConfirmed: (round: number) => boolean): PendingRead | undefined {
    const oldest = this.pending[0];
    if (oldest === undefined || !roundConfirmed(oldest.round)) return undefined;
    return this.pending.shift();
  }

  /** Every read still waiting, oldest first (leadership is over: they are all refused). */
  drain(): PendingRead[] {
    return this.pending.splice(0);
  }
}

export class RemoteReads {
  /** Read id → when to give up on the leader's answer. Kept in the order asked. */
  private readonly deadlines = new Map<number, number>();

  constructor(
    /** This node's incarnation: an answer to an earlier one, whose read ids were the same, is dropped. */
    private readonly incarnationId: string,
    private readonly answer: (readId: number, result: ReadIndexResult) => void,
    /** BUG SWITCH incarnation-check-off: an answer to an earlier incarnation is taken too. */
    private readonly takesAnyIncarnation = false,
  ) {}

  ask(readId: number, deadlineMs: number): void {
    this.deadlines.set(readId, deadlineMs);
  }

  /** The leader's answer; one to a question no longer asked, or asked by an earlier incarnation, is dropped. */
  settle(response: ReadIndexResponse): void {
    if (!answersThisIncarnation(this.incarnationId, response.incarnationId, this.takesAnyIncarnation)) return;
    if (!this.deadlines.delete(response.readId)) return;
    this.answer(response.readId, response.error !== undefined ? { error: response.error } : { readIndex: response.readIndex });
  }

  /** Questions the leader did not answer in time (in any role: the node may have moved on). */
  expire(nowMs: number): void {
    // Every tick asks; most find no question out, and walking an empty Map still makes an iterator.
    if (this.deadlines.size === 0) return;
    for (const [readId, deadlineMs] of this.deadlines) {
      if (nowMs >= deadlineMs) {
        this.deadlines.delete(readId);
        this.answer(readId, { error: 'NOT_LEADER_OR_FOLLOWER' });
      }
    }
  }

  /** The epoch moved on: the leader asked will never answer. */
  failAll(): void {
    for (const readId of this.deadlines.keys()) this.answer(readId, { error: 'NOT_LEADER_OR_FOLLOWER' });
    this.deadlines.clear();
  }

  earliestDeadlineMs(): number {
    // Asked on every wake computation (see expire).
    if (this.deadlines.size === 0) return Infinity;
    let deadline = Infinity;
    for (const deadlineMs of this.deadlines.values()) deadline = Math.min(deadline, deadlineMs);
    return deadline;
  }
}

/** The answer a leader sends to a follower that asked for a read index. */
export function readIndexResponse(
  epoch: number, leaderId: number | null, asker: Pick<ReadAsker, 'readId' | 'incarnationId'>, result: ReadIndexResult,
): ReadIndexResponse {
  const response: ReadIndexResponse = {
    type: 'read-index-response', epoch, leaderId, readId: asker.readId, incarnationId: asker.incarnationId,
    readIndex: 'readIndex' in result ? result.readIndex : NO_READ_INDEX,
  };
  if ('error' in result) response.error = result.error;
  return response;
}
