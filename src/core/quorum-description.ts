/**
 * What `kafka-metadata-quorum describe --status / --replication` shows, as the leader knows it:
 * the leader, its epoch, the high watermark, each voter's and observer's replication progress,
 * and, since KIP-853, their directory ids and the voters' endpoints. Only the leader has this
 * view; other nodes ask it (quorum-node.ts forwards the question).
 */
import type { LeaderState, ReplicaProgress } from './raft/leader-state.js';
import type { VoterEndpoint } from './raft/voter-set.js';

export interface ReplicaDescription {
  nodeId: number;
  /** Kafka's base64 UUID text; null when unknown (kraft.version 0). */
  directoryId: string | null;
  logEndOffset: number;
  /** Host time (ms) of the replica's last fetch; -1 when unknown. */
  lastFetchTimestampMs: number;
  /** Host time (ms) at which the replica was last fully caught up; -1 when never. */
  lastCaughtUpTimestampMs: number;
}

export interface VoterDescription extends ReplicaDescription {
  /** The listeners the voter set lists for it (empty under kraft.version 0). */
  endpoints: readonly VoterEndpoint[];
}

export interface QuorumDescription {
  clusterId: string;
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  /** 0: static voters; 1: voters in the log (KIP-853). */
  kraftVersion: number;
  voters: VoterDescription[];
  observers: ReplicaDescription[];
}

export function describeQuorum(
  clusterId: string,
  leader: LeaderState,
  epoch: number,
  highWatermark: number,
  leaderLogEndOffset: number,
  kraftVersion: number,
  nowMs: number,
): QuorumDescription {
  const voters: VoterDescription[] = leader.voters.voters.map((voter) => {
    if (voter.id === leader.nodeId) {
      return {
        nodeId: voter.id, directoryId: voter.directoryId, endpoints: voter.endpoints,
        logEndOffset: leaderLogEndOffset, lastFetchTimestampMs: nowMs, lastCaughtUpTimestampMs: nowMs,
      };
    }
    return { ...describeReplica(voter.id, voter.directoryId, leader.voterProgress.get(voter.id)!), endpoints: voter.endpoints };
  });
  const observers = [...leader.observerProgress.values()]
    .sort((a, b) => a.id - b.id || (a.directoryId ?? '').localeCompare(b.directoryId ?? ''))
    .map((observer) => describeReplica(observer.id, observer.directoryId, observer));
  // A leader that removed itself still leads until the removal commits; it is listed as an observer then.
  if (!leader.voters.isVoter(leader.nodeId, leader.directoryId)) {
    observers.push({
      nodeId: leader.nodeId, directoryId: leader.directoryId, logEndOffset: leaderLogEndOffset,
      lastFetchTimestampMs: nowMs, lastCaughtUpTimestampMs: nowMs,
    });
  }
  return { clusterId, leaderId: leader.nodeId, leaderEpoch: epoch, highWatermark, kraftVersion, voters, observers };
}

function describeReplica(nodeId: number, directoryId: string | null, progress: ReplicaProgress): ReplicaDescription {
  return {
    nodeId,
    directoryId,
    logEndOffset: progress.matchOffset,
    lastFetchTimestampMs: progress.knowsEpoch ? progress.lastFetchMs : -1,
    lastCaughtUpTimestampMs: progress.lastCaughtUpMs,
  };
}
