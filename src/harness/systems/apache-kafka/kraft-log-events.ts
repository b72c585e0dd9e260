/**
 * Node events read from a KRaft controller's own log, for the Raft invariants judged from
 * outside. Kafka's raft client logs every durable state change at INFO:
 *
 *   [2026-12-01 16:45:46,542] INFO [RaftManager id=1] Completed transition to
 *     FollowerState(fetchTimeoutMs=2000, epoch=1, leader=2, ..., votedKey=Optional[ReplicaKey(id=2, ...)], ...)
 *     from UnattachedState(...) (org.apache.kafka.raft.QuorumState)
 *
 * From these lines: `epoch-changed` (state, epoch, leader, vote), `vote-granted` (a vote for
 * another node, once per epoch), `became-leader`, and `restarted` (a transition "from null" after
 * earlier events: the process started again from its quorum-state file). That judges SingleLeader,
 * SingleVote and MonotonicEpoch. Kafka logs no flushed offsets or committed records at INFO, so
 * MajorityReachedHighWatermark, MonotonicHighWatermark and ConsistentCommittedData cannot be judged
 * from outside this way, and no high-watermark event is emitted (it would be judged against flushes
 * nobody reported).
 *
 * Times are the log's wall clock (containers share the kernel's clock) in ns, to the millisecond.
 */
import type { NodeEvent, RaftStateName } from '../../../history/node-event.js';

const STATE_NAMES: Readonly<Record<string, RaftStateName>> = {
  UnattachedState: 'unattached',
  VotedState: 'unattached',
  ProspectiveState: 'prospective',
  CandidateState: 'candidate',
  Leader: 'leader',
  LeaderState: 'leader',
  FollowerState: 'follower',
  ResignedState: 'resigned',
};

const transitionLine = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})\] INFO \[RaftManager id=(\d+)\] Completed transition to (\w+)\((.*)$/;

export function kraftEventsFromLog(nodeId: number, output: string): NodeEvent[] {
  const events: NodeEvent[] = [];
  const votedIn = new Set<number>();
  for (const line of output.split('\n')) {
    const match = transitionLine.exec(line);
    if (match === null || Number(match[3]) !== nodeId) continue;
    const state = STATE_NAMES[match[4]!];
    if (state === undefined) continue;
    const timeNs = Date.parse(`${match[1]!.replace(' ', 'T')}.${match[2]}Z`) * 1_000_000;
    const rest = match[5]!;
    const fromAt = rest.lastIndexOf(') from ');
    const described = fromAt === -1 ? rest : rest.slice(0, fromAt);
    const fresh = fromAt !== -1 && rest.slice(fromAt + ') from '.length).startsWith('null');
    const epoch = Number(/(?:^|[ ,(])epoch=(\d+)/.exec(described)?.[1] ?? NaN);
    if (!Number.isFinite(epoch)) continue;
    if (fresh && events.length > 0) events.push({ timeNs, node: nodeId, kind: 'restarted', epoch });
    const leaderId = leaderOf(state, described, nodeId);
    const votedFor = voteOf(state, described, nodeId);
    events.push({ timeNs, node: nodeId, kind: 'epoch-changed', epoch, state, leaderId, votedFor });
    if (votedFor !== null && votedFor !== nodeId && !votedIn.has(epoch)) {
      votedIn.add(epoch);
      events.push({ timeNs, node: nodeId, kind: 'vote-granted', epoch, votedFor });
    }
    if (state === 'leader') events.push({ timeNs, node: nodeId, kind: 'became-leader', epoch, leaderId: nodeId });
  }
  return events;
}

function leaderOf(state: RaftStateName, described: string, self: number): number | null {
  if (state === 'leader') return self;
  if (state === 'follower') return numberOrNull(/(?:^|[ ,(])leader=(\d+)/.exec(described)?.[1]);
  if (state === 'unattached' || state === 'prospective') return numberOrNull(/leaderId=OptionalInt\[(\d+)\]/.exec(described)?.[1]);
  return null;
}

function voteOf(state: RaftStateName, described: string, self: number): number | null {
  if (state === 'candidate' || state === 'leader') return self;
  return numberOrNull(/votedKey=Optional\[ReplicaKey\(id=(\d+)/.exec(described)?.[1] ?? /votedId=(\d+)/.exec(described)?.[1]);
}

function numberOrNull(text: string | undefined): number | null {
  return text === undefined ? null : Number(text);
}
