/**
 * One round of an election, pre-vote (Prospective, KIP-996) or real (Candidate): the request sent
 * to every other voter, who granted and who refused, and when to send the request again to those
 * that have not answered. Also the one rule a voter applies to any candidate: its log must be at
 * least as up to date as the voter's own (Raft §5.4.1).
 */
import type { VoteRequest } from './messages.js';
import type { RaftLog } from './raft-log.js';
import type { VoterSet } from './voter-set.js';

export type VoteTally = 'won' | 'lost' | 'open';

export class VoteRound {
  private readonly granted = new Set<number>();
  private readonly rejected = new Set<number>();

  constructor(
    /** The request, as sent to a voter whose directory id is not known (kraft.version 0). */
    private readonly request: VoteRequest,
    /** The voters asked: the candidate's latest voter set when the round began. */
    readonly voters: VoterSet,
    /** When to send the request again to voters that have not answered. */
    public retryAtMs: number,
  ) {
    // A candidate votes for itself.
    this.granted.add(request.candidateId);
  }

  /**
   * The request for `voter`: it names the voter's directory id, so a replica of the same node id
   * with another disk refuses it (KIP-853).
   */
  requestTo(voter: number): VoteRequest {
    const voterDirectoryId = this.voters.get(voter)?.directoryId ?? null;
    return voterDirectoryId === null ? this.request : { ...this.request, voterDirectoryId };
  }

  /** Every voter asked but the candidate itself. */
  others(): number[] {
    return this.voters.others(this.request.candidateId);
  }

  /** An answer from `voter`; answers from nodes not asked do not count. */
  record(voter: number, granted: boolean): void {
    if (!this.voters.has(voter)) return;
    if (granted) this.granted.add(voter);
    else this.rejected.add(voter);
  }

  tally(majority: number): VoteTally {
    if (this.granted.size >= majority) return 'won';
    if (this.rejected.size >= majority) return 'lost';
    return 'open';
  }

  hasAnswered(voter: number): boolean {
    return this.granted.has(voter) || this.rejected.has(voter);
  }
}

/**
 * Raft §5.4.1: a candidate's log is at least as up to date as the voter's when its last epoch is
 * newer, or the same with an end offset at least as large. Granting only then keeps every
 * committed entry in the log of every future leader.
 */
export function candidateLogIsUpToDate(request: Pick<VoteRequest, 'lastEpoch' | 'lastEpochEndOffset'>, log: RaftLog<unknown>): boolean {
  return request.lastEpoch > log.lastEpoch ||
    (request.lastEpoch === log.lastEpoch && request.lastEpochEndOffset >= log.endOffset);
}
