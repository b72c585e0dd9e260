/**
 * The roles a node can be in, KRaft's states, each with the state only it has. The role is a
 * discriminated union on `name`, so state that belongs to one role cannot be read in another:
 * leader-only state lives in LeaderRole (leader-role.ts), a vote round only in Prospective and
 * Candidate. raft-node.ts changes roles in one place (`transition`).
 *
 * What every role shares (epoch, vote, leader, the log, the high watermark, the fetcher) lives
 * on the node itself.
 */
import type { LeaderRole } from './leader-role.js';
import type { VoteRound } from './vote-round.js';

/**
 * No leader known in this epoch (the node may have voted). A voter stands when the election
 * deadline passes; an observer keeps asking voters for the leader (Infinity: it never stands).
 */
export interface UnattachedRole {
  readonly name: 'unattached';
  electionDeadlineMs: number;
}

/** Asking for pre-votes for the next epoch without raising its own (KIP-996). */
export interface ProspectiveRole {
  readonly name: 'prospective';
  /** When to start another round (after a lost round: a random backoff). */
  electionDeadlineMs: number;
  readonly round: VoteRound;
}

/** Standing in its epoch, having voted for itself. */
export interface CandidateRole {
  readonly name: 'candidate';
  electionDeadlineMs: number;
  readonly round: VoteRound;
}

/** Fetching from the leader of its epoch. */
export interface FollowerRole {
  readonly name: 'follower';
  /** When the leader counts as lost (a voter stands then, an observer looks for another). */
  fetchDeadlineMs: number;
  /** The host reported the leader unreachable, or the leader resigned: pre-votes are granted again. */
  leaderLost: boolean;
}

/** A former leader of this epoch (it resigned, or restarted as leader): waits for the next election. */
export interface ResignedRole {
  readonly name: 'resigned';
  electionDeadlineMs: number;
}

export type RaftRole<R> = UnattachedRole | ProspectiveRole | CandidateRole | FollowerRole | LeaderRole<R> | ResignedRole;

/** The roles that hold an election deadline (every role but Leader and Follower). */
export type ElectionRole = UnattachedRole | ProspectiveRole | CandidateRole | ResignedRole;
