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
import { majorityOf, type VoterSet } from './voter-set.js';

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

/** A replica that fetches without being a voter: a broker, a controller not yet added, a replaced disk. */
export interface ObserverProgress extends ReplicaProgress {
  readonly id: number;
  readonly directoryId: string | null;
}

export class LeaderState {
  /** Each voter's progress, the leader's own excluded, by node id. */
  readonly voterProgress = new Map<number, ReplicaProgress>();
  /** Observers by replica key (`id` or `id@directory`): a replaced disk is another replica. */
  readonly observerProgress = new Map<string, ObserverProgress>();
  readonly parkedFetches = new Map<number, ParkedFetch>();
  /**
   * Each observer id's progress as progressOf last found it, so an observer's every fetch does not
   * build its replica key (a string with its directory id) to look it up again. Emptied whenever
   * updateVoters moves progress between voters and observers, the only change of observerProgress
   * but progressOf's own additions.
   */
  private readonly lastObserverById = new Map<number, ObserverProgress>();
  nextBeginEpochRetryMs = 0;
  private voterSet: VoterSet;
  /** Whether the leader is in its own latest voter set (it counts toward majorities only then). */
  private leaderIsVoter: boolean;
  /**
   * Reused by the quorum computations, which run on every wake-time question: one array per
   * leader instead of an array and a sort per call.
   */
  private readonly scratch: number[] = [];

  constructor(
    readonly nodeId: number,
    readonly directoryId: string | null,
    voters: VoterSet,
    readonly epochStartOffset: number,
    nowMs: number,
    /** BUG SWITCH commit-without-majority: the high watermark counts one voter fewer than a majority. */
    private readonly commitQuorumShortByOne = false,
  ) {
    this.voterSet = voters;
    this.leaderIsVoter = voters.isVoter(nodeId, directoryId);
    for (const voter of voters.ids) {
      if (voter === nodeId) continue;
      this.voterProgress.set(voter, newProgress(nowMs));
    }
  }

  get voters(): VoterSet {
    return this.voterSet;
  }

  /** The progress of the replica `replicaId` with directory `directoryId`: a voter's only if it is that voter. */
  progressOf(replicaId: number, directoryId: string | null, nowMs: number): ReplicaProgress {
    const voter = this.voterProgress.get(replicaId);
    if (voter !== undefined && this.voterSet.isVoter(replicaId, directoryId)) return voter;
    const last = this.lastObserverById.get(replicaId);
    if (last !== undefined && last.directoryId === directoryId) return last;
    const key = replicaKey(replicaId, directoryId);
    let observer = this.observerProgress.get(key);
    if (observer === undefined) {
      observer = { id: replicaId, directoryId, ...newProgress(nowMs) };
      this.observerProgress.set(key, observer);
    }
    this.lastObserverById.set(replicaId, observer);
    return observer;
  }

  /** Whether `progress` (from `progressOf`) is the voter `replicaId`'s: only voters' echoes of read rounds count. */
  isVoterProgress(replicaId: number, progress: ReplicaProgress): boolean {
    return this.voterProgress.get(replicaId) === progress;
  }

  /** An observer's progress, if it fetched in this epoch. */
  observer(replicaId: number, directoryId: string | null): ObserverProgress | undefined {
    return this.observerProgress.get(replicaKey(replicaId, directoryId));
  }

  /**
   * The latest voter set changed (the leader appended one, or truncation took one back): voters
   * keep their progress, a new voter takes over what it made as an observer, a removed one goes on
   * as an observer. Returns the voters that were added (they must hear of this epoch).
   */
  updateVoters(voters: VoterSet, nowMs: number): number[] {
    const added: number[] = [];
    const previous = this.voterSet;
    this.lastObserverById.clear();
    const oldProgress = new Map(this.voterProgress);
    this.voterProgress.clear();
    for (const voter of voters.voters) {
      if (voter.id === this.nodeId) continue;
      const kept = previous.isVoter(voter.id, voter.directoryId) && previous.get(voter.id)?.directoryId === voter.directoryId
        ? oldProgress.get(voter.id) : undefined;
      if (kept !== undefined) {
        oldProgress.delete(voter.id);
        this.voterProgress.set(voter.id, kept);
        continue;
      }
      const key = replicaKey(voter.id, voter.directoryId);
      const observed = this.observerProgress.get(key);
      this.observerProgress.delete(key);
      this.voterProgress.set(voter.id, observed === undefined ? newProgress(nowMs) : stripKey(observed));
      added.push(voter.id);
    }
    for (const [id, progress] of oldProgress) {
      const directoryId = previous.get(id)?.directoryId ?? null;
      this.observerProgress.set(replicaKey(id, directoryId), { id, directoryId, ...progress });
    }
    this.voterSet = voters;
    this.leaderIsVoter = voters.isVoter(this.nodeId, this.directoryId);
    return added;
  }

  /** The offset a majority of voters hold durably, counting the leader's own flushed log if it is a voter. */
  majorityMatchOffset(leaderFlushedEndOffset: number): number {
    const scratch = this.scratch;
    let count = 0;
    if (this.leaderIsVoter) scratch[count++] = leaderFlushedEndOffset;
    for (const progress of this.voterProgress.values()) scratch[count++] = progress.matchOffset;
    const quorum = majorityOf(this.voterSet.size) - (this.commitQuorumShortByOne ? 1 : 0);
    return kthLargest(scratch, count, Math.max(1, quorum));
  }

  /** The most recent moment at which a majority of voters (the leader included, if a voter) had fetched. */
  quorumContactMs(nowMs: number): number {
    const scratch = this.scratch;
    let count = 0;
    if (this.leaderIsVoter) scratch[count++] = nowMs;
    for (const progress of this.voterProgress.values()) scratch[count++] = progress.lastFetchMs;
    return kthLargest(scratch, count, majorityOf(this.voterSet.size));
  }

  /** Whether a majority of voters (the leader included, if a voter) echoed `round` or a later one. */
  readRoundConfirmed(round: number): boolean {
    let confirmations = this.leaderIsVoter ? 1 : 0;
    for (const progress of this.voterProgress.values()) {
      if (progress.echoedReadRound >= round) confirmations++;
    }
    return confirmations >= majorityOf(this.voterSet.size);
  }

  /** Whether the leader alone is a majority (a single voter: it never needs another to fetch). */
  get leaderAloneIsMajority(): boolean {
    return this.leaderIsVoter && this.voterSet.size === 1;
  }

  /** Voters ordered as preferred successors: the most caught-up first. */
  preferredSuccessors(): number[] {
    return [...this.voterProgress.entries()]
      .sort(([idA, a], [idB, b]) => b.matchOffset - a.matchOffset || idA - idB)
      .map(([id]) => id);
  }
}

/** `3` under kraft.version 0, `3@<directory id>` under 1. */
export function replicaKey(id: number, directoryId: string | null): string {
  return directoryId === null ? String(id) : `${id}@${directoryId}`;
}

function stripKey(observer: ObserverProgress): ReplicaProgress {
  const { id: _id, directoryId: _directoryId, ...progress } = observer;
  return progress;
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
