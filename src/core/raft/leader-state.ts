/**
 * A leader's view of its replicas: each one's progress (the offset it has durably replicated, when
 * it last fetched, the newest read round it echoed) and the fetches it holds until there is
 * something to answer; and the quorum computations over the voters' progress.
 *
 * The high watermark is the offset a majority of voters have durably replicated, and it only moves
 * once the leader has replicated a record of its own epoch (the entry at epochStartOffset), so a
 * new leader never commits an older epoch's records by counting replicas alone (Raft §5.4.2).
 */
import type { FetchRequest } from './messages.js';
import { majorityOf } from './voter-set.js';

export interface ReplicaProgress {
  /** Everything before this offset is durable on the replica. */
  matchOffset: number;
  lastFetchMs: number;
  /** The newest read round the replica echoed in a fetch. */
  echoedReadRound: number;
  /** The high watermark last sent to this replica, to know whether it needs a fresh answer. */
  sentHighWatermark: number;
  /** The replica has acknowledged this epoch (by BeginQuorumEpoch or by fetching). */
  knowsEpoch: boolean;
  /** When the replica last fetched from at or beyond the leader's log end (-1: never). */
  lastCaughtUpMs: number;
}

export interface ParkedFetch {
  from: number;
  request: FetchRequest;
  deadlineMs: number;
}

export class LeaderState {
  readonly voterProgress = new Map<number, ReplicaProgress>();
  readonly observerProgress = new Map<number, ReplicaProgress>();
  readonly parkedFetches = new Map<number, ParkedFetch>();
  nextBeginEpochRetryMs = 0;
  /**
   * Reused by the quorum computations, which run on every wake-time question: one array per
   * leader instead of an array and a sort per call.
   */
  private readonly scratch: number[] = [];

  constructor(
    readonly nodeId: number,
    readonly voters: readonly number[],
    readonly epochStartOffset: number,
    nowMs: number,
  ) {
    for (const voter of voters) {
      if (voter === nodeId) continue;
      this.voterProgress.set(voter, newProgress(nowMs));
    }
  }

  progressOf(replicaId: number, nowMs: number): ReplicaProgress {
    const voter = this.voterProgress.get(replicaId);
    if (voter !== undefined) return voter;
    let observer = this.observerProgress.get(replicaId);
    if (observer === undefined) {
      observer = newProgress(nowMs);
      this.observerProgress.set(replicaId, observer);
    }
    return observer;
  }

  /** The offset a majority of voters hold durably, counting the leader's own flushed log. */
  majorityMatchOffset(leaderFlushedEndOffset: number): number {
    const scratch = this.scratch;
    scratch[0] = leaderFlushedEndOffset;
    let count = 1;
    for (const progress of this.voterProgress.values()) scratch[count++] = progress.matchOffset;
    return kthLargest(scratch, count, majorityOf(this.voters.length));
  }

  /** The most recent moment at which a majority of voters (the leader included) had fetched. */
  quorumContactMs(nowMs: number): number {
    const scratch = this.scratch;
    scratch[0] = nowMs;
    let count = 1;
    for (const progress of this.voterProgress.values()) scratch[count++] = progress.lastFetchMs;
    return kthLargest(scratch, count, majorityOf(this.voters.length));
  }

  /** Whether a majority of voters (the leader included) echoed `round` or a later one. */
  readRoundConfirmed(round: number): boolean {
    let confirmations = 1;
    for (const progress of this.voterProgress.values()) {
      if (progress.echoedReadRound >= round) confirmations++;
    }
    return confirmations >= majorityOf(this.voters.length);
  }

  /** Voters ordered as preferred successors: the most caught-up first. */
  preferredSuccessors(): number[] {
    return [...this.voterProgress.entries()]
      .sort(([idA, a], [idB, b]) => b.matchOffset - a.matchOffset || idA - idB)
      .map(([id]) => id);
  }
}

/**
 * The k-th largest (1-based) of values[0..count), reordering values in place: an insertion sort,
 * descending, which for a cluster's handful of voters beats Array.prototype.sort and its comparator
 * calls.
 */
function kthLargest(values: number[], count: number, k: number): number {
  for (let i = 1; i < count; i++) {
    const value = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! < value) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = value;
  }
  return values[k - 1]!;
}

function newProgress(nowMs: number): ReplicaProgress {
  return { matchOffset: 0, lastFetchMs: nowMs, echoedReadRound: 0, sentHighWatermark: -1, knowsEpoch: false, lastCaughtUpMs: -1 };
}
