/**
 * What `kafka-metadata-quorum describe --status / --replication` shows, as the leader knows it:
 * the leader, its epoch, the high watermark, and each voter's and observer's replication progress.
 * Only the leader has this view; other nodes ask it (quorum-node.ts forwards the question).
 */
import type { LeaderState, ReplicaProgress } from './raft/leader-state.js';

export interface ReplicaDescription {
  nodeId: number;
  logEndOffset: number;
  /** Host time (ms) of the replica's last fetch; -1 when unknown. */
  lastFetchTimestampMs: number;
  /** Host time (ms) at which the replica was last fully caught up; -1 when never. */
  lastCaughtUpTimestampMs: number;
}

export interface QuorumDescription {
  clusterId: string;
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: ReplicaDescription[];
  observers: ReplicaDescription[];
}

export function describeQuorum(
  clusterId: string,
  leader: LeaderState,
  epoch: number,
  highWatermark: number,
  leaderLogEndOffset: number,
  nowMs: number,
): QuorumDescription {
  const voters: ReplicaDescription[] = leader.voters.map((id) => {
    if (id === leader.nodeId) {
      return { nodeId: id, logEndOffset: leaderLogEndOffset, lastFetchTimestampMs: nowMs, lastCaughtUpTimestampMs: nowMs };
    }
    return describeReplica(id, leader.voterProgress.get(id)!);
  });
  const observers = [...leader.observerProgress.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, progress]) => describeReplica(id, progress));
  return { clusterId, leaderId: leader.nodeId, leaderEpoch: epoch, highWatermark, voters, observers };
}

function describeReplica(nodeId: number, progress: ReplicaProgress): ReplicaDescription {
  return {
    nodeId,
    logEndOffset: progress.matchOffset,
    lastFetchTimestampMs: progress.knowsEpoch ? progress.lastFetchMs : -1,
    lastCaughtUpTimestampMs: progress.lastCaughtUpMs,
  };
}
