/**
 * One round of an election, pre-vote (Prospective, KIP-996) or real (Candidate): the request sent
 * to every other voter, who granted and who refused, and when to send the request again to those
 * that have not answered. Also the one rule a voter applies to any candidate: its log must be at
 * least as up to date as the voter's own (Raft §5.4.1).
 */
import type { VoteRequest } from './messages.js';
import type { RaftLog } from './raft-log.js';

export type VoteTally = 'won' | 'lost' | 'open';

export class VoteRound {
  private readonly granted = new Set<number>();
  private readonly rejected = new Set<number>();

  constructor(
    readonly request: VoteRequest,
    /** When to send the request again to voters that have not answered. */
    public retryAtMs: number,
  ) {
    // A candidate votes for itself.
    this.granted.add(request.candidateId);
  }

  record(voter: number, granted: boolean): void {
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
