/**
 * Changing the voter set one voter at a time (KIP-853, Raft §4.1's single-server changes): the
 * rules the leader applies before it writes a new voter set into the log.
 *
 * - Only a leader that has committed a record of its own epoch changes the set: before that it
 *   does not know that every earlier change is committed.
 * - At most one change is uncommitted at a time: the latest voter set in the log must be committed
 *   (and no change still pending) before another is written. Any majority of the old set and any
 *   majority of the new then share a voter, so two leaders can never be elected by disjoint
 *   majorities across the change.
 * - A voter is added only once it caught up as an observer (it fetched at the leader's log end,
 *   and recently), so adding it does not stall the high watermark.
 * - kraft.version 0 (static voters) has no voter changes.
 *
 * The new set takes effect as soon as it is in a node's log, committed or not; the change is done
 * once the high watermark passes it.
 */
import type { ObserverProgress } from './leader-state.js';
import type { RaftErrorName } from './messages.js';
import { describeVoter, sameEndpoints, type Voter, type VoterSet } from './voter-set.js';

export type VoterChange =
  | { type: 'add'; voter: Voter }
  | { type: 'remove'; id: number; directoryId: string | null }
  | { type: 'update'; voter: Voter };

export type VoterChangeResult =
  | { ok: true }
  | {
    ok: false;
    error: RaftErrorName;
    message: string;
    /** The new voter set was written and may still commit. */
    mayHaveTakenEffect: boolean;
  };

export type VoterChangeRefusal = Extract<VoterChangeResult, { ok: false }>;

/** Who asked for a change: this node's client (by change id), or a voter updating itself (UpdateVoter). */
export type VoterChangeAsker = { kind: 'local'; changeId: number } | { kind: 'peer'; node: number };

export function refusal(error: RaftErrorName, message: string, mayHaveTakenEffect = false): VoterChangeRefusal {
  return { ok: false, error, message, mayHaveTakenEffect };
}

/**
 * Whether an observer has caught up enough to be added: it fetched at the leader's log end at
 * least once in this epoch, and fetched within the last fetch timeout.
 */
export function isCaughtUp(observer: ObserverProgress | undefined, nowMs: number, fetchTimeoutMs: number): boolean {
  return observer !== undefined && observer.lastCaughtUpMs >= 0 && nowMs - observer.lastFetchMs < fetchTimeoutMs;
}

/**
 * The voter set `change` leads to from `current`; `unchanged` when it asks for what already is
 * (an update to the same endpoints); or why it cannot be made. `caughtUp` says whether a replica
 * has caught up as an observer.
 */
export function plannedVoterSet(
  current: VoterSet,
  change: VoterChange,
  caughtUp: (id: number, directoryId: string | null) => boolean,
): VoterSet | 'unchanged' | VoterChangeRefusal {
  switch (change.type) {
    case 'add': {
      const { voter } = change;
      if (current.has(voter.id)) {
        return refusal('DUPLICATE_VOTER', `node ${voter.id} is already a voter (${current.describe()})`);
      }
      if (!caughtUp(voter.id, voter.directoryId)) {
        return refusal('REQUEST_TIMED_OUT', `${describeVoter(voter.id, voter.directoryId)} has not caught up as an observer of this leader yet`);
      }
      return current.withVoter(voter)!;
    }
    case 'remove': {
      const next = current.withoutVoter(change.id, change.directoryId);
      if (next !== undefined) return next;
      const what = describeVoter(change.id, change.directoryId);
      return current.size === 1 && current.isVoter(change.id, change.directoryId)
        ? refusal('INVALID_REQUEST', `${what} is the only voter: a quorum needs one`)
        : refusal('VOTER_NOT_FOUND', `${what} is not a voter (${current.describe()})`);
    }
    case 'update': {
      const { voter } = change;
      const existing = current.get(voter.id);
      if (existing === undefined || existing.directoryId !== voter.directoryId) {
        return refusal('VOTER_NOT_FOUND', `${describeVoter(voter.id, voter.directoryId)} is not a voter (${current.describe()})`);
      }
      if (sameEndpoints(existing.endpoints, voter.endpoints)) return 'unchanged';
      return current.withEndpoints(voter.id, voter.directoryId, voter.endpoints)!;
    }
  }
}
