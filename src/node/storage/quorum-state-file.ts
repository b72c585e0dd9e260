/**
 * The quorum state (epoch, vote, known leader) in its own file, as KRaft's `quorum-state`:
 * replaced atomically, and durable before the host lets a vote leave the node. Field names are
 * Kafka's (`leaderEpoch`, `votedId`, `leaderId`, -1 for none).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuorumStateRecord } from '../../core/host-interface.js';
import { writeFileAtomic } from './atomic-file.js';

export const QUORUM_STATE_FILE = 'quorum-state';
const QUORUM_STATE_VERSION = 1;

interface QuorumStateJson {
  version: number;
  clusterId: string;
  leaderEpoch: number;
  leaderId: number;
  votedId: number;
}

export function writeQuorumState(dir: string, clusterId: string, state: QuorumStateRecord): void {
  const json: QuorumStateJson = {
    version: QUORUM_STATE_VERSION, clusterId, leaderEpoch: state.epoch,
    leaderId: state.leaderId ?? -1, votedId: state.votedFor ?? -1,
  };
  writeFileAtomic(join(dir, QUORUM_STATE_FILE), `${JSON.stringify(json)}\n`);
}

/** Null when the node never persisted a quorum state; a damaged file is an error, never ignored. */
export function readQuorumState(dir: string, clusterId: string): QuorumStateRecord | null {
  const path = join(dir, QUORUM_STATE_FILE);
  if (!existsSync(path)) return null;
  let json: QuorumStateJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as QuorumStateJson;
  } catch (error) {
    throw new Error(`${path}: not a quorum-state file: ${(error as Error).message}`, { cause: error });
  }
  if (json.version !== QUORUM_STATE_VERSION || !Number.isInteger(json.leaderEpoch) ||
    !Number.isInteger(json.leaderId) || !Number.isInteger(json.votedId)) {
    throw new Error(`${path}: unexpected content ${JSON.stringify(json)}`);
  }
  if (json.clusterId !== clusterId) {
    throw new Error(`${path}: belongs to cluster ${json.clusterId}, but meta.properties says ${clusterId} (INCONSISTENT_CLUSTER_ID)`);
  }
  return {
    epoch: json.leaderEpoch,
    leaderId: json.leaderId === -1 ? null : json.leaderId,
    votedFor: json.votedId === -1 ? null : json.votedId,
  };
}
