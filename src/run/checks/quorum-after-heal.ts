/**
 * Liveness after the heal, beyond a leader and a write: every voter back in the quorum, following
 * the leader in its epoch and fetching from it, within the quorum bound (recovery.ts), judged on
 * the node events of every node (the same in both worlds; checks/quorum-rejoin.ts).
 */
import type { RunCheck } from '../../history/run-directory-format.js';
import type { RecoveryOutcome } from '../recovery.js';
import type { CollectedNodeLog } from '../world.js';
import { mergeStreams } from './invariants.js';
import { QuorumRejoinTracker, type QuorumRejoin } from './quorum-rejoin.js';

export const QUORUM_CHECK = 'quorum-after-heal';

export interface QuorumJudgement {
  check: RunCheck;
  /** What the events show (null: the run never reached its recovery phase). */
  rejoin: QuorumRejoin | null;
}

export function checkQuorumAfterHeal(recovery: RecoveryOutcome | null, logs: readonly CollectedNodeLog[]): QuorumJudgement {
  const tracker = recovery === null ? null : new QuorumRejoinTracker(recovery.healedAtMs);
  if (tracker !== null) mergeStreams(logs.map((log) => log.events), (event) => tracker.observe(event));
  return judgeQuorumAfterHeal(recovery, logs, tracker);
}

/**
 * The check from a tracker already fed every event of `logs` in mergeStreams order (made with the
 * recovery's healedAtMs; null when the run never reached recovery), so the judge can feed it in
 * the same pass over the logs as the invariants.
 */
export function judgeQuorumAfterHeal(recovery: RecoveryOutcome | null, logs: readonly CollectedNodeLog[], tracker: QuorumRejoinTracker | null): QuorumJudgement {
  if (recovery === null || tracker === null) return { check: { name: QUORUM_CHECK, verdict: 'unknown', message: 'the run stopped before its recovery phase' }, rejoin: null };
  const { quorum, healedAtMs } = recovery;
  const rejoin = tracker.result(quorum.voters);
  const deadlineMs = healedAtMs + quorum.boundMs;
  const late = rejoin.voters.filter((voter) => voter.backAtMs === null || voter.backAtMs > deadlineMs);
  const missing = logs.filter((log) => log.missing !== null && quorum.voters.includes(log.nodeId));
  const leader = rejoin.leader === null ? 'no leader' : `leader node ${rejoin.leader.nodeId} in epoch ${rejoin.leader.epoch}`;
  if (late.length === 0) {
    return {
      check: {
        name: QUORUM_CHECK, verdict: 'valid',
        message: `every voter (${quorum.voters.join(', ')}) back in the quorum of ${leader} ${Math.round(rejoin.quorumMs ?? 0)} ms after healing (bound ${quorum.boundMs} ms)`,
      },
      rejoin,
    };
  }
  const named = late.map((voter) => `node ${voter.nodeId} (${voter.backAtMs === null ? voter.lastSeen : `back only ${Math.round(voter.backAtMs - healedAtMs)} ms after healing`})`).join('; ');
  // A voter not seen back is a verdict only if the run watched until the bound, with every voter's events.
  if (missing.length > 0 || (quorum.watchedUntilMs < deadlineMs && late.every((voter) => voter.backAtMs === null))) {
    const why = missing.length > 0 ? `the event logs of ${missing.map((log) => `node ${log.nodeId}`).join(', ')} are missing` : `the run watched only ${Math.round(quorum.watchedUntilMs - healedAtMs)} ms after healing`;
    return { check: { name: QUORUM_CHECK, verdict: 'unknown', message: `not every voter seen back in the quorum of ${leader}: ${named}; ${why} (bound ${quorum.boundMs} ms)` }, rejoin };
  }
  const message = `not every voter back in the quorum of ${leader} within ${quorum.boundMs} ms of healing: ${named}`;
  return {
    check: {
      name: QUORUM_CHECK, verdict: 'invalid', message,
      firstViolation: { node: late[0]!.nodeId, timeNs: Math.round(deadlineMs * 1e6), kind: 'voter not back in the quorum', detail: message },
    },
    rejoin,
  };
}
