/**
 * The messages controllers exchange, modelled on KRaft's RPCs (KIP-595, KIP-630, KIP-996):
 * Vote (with KIP-996's pre-vote flag), BeginQuorumEpoch, EndQuorumEpoch, Fetch (pull-based
 * replication with LastFetchedEpoch and DivergingEpoch), FetchSnapshot, plus ReadIndex for
 * linearizable reads. Hosts deliver them without looking inside: the simulator passes the objects
 * themselves, the TCP host serializes them.
 *
 * Every response carries the responder's current epoch and known leader, so a stale node learns
 * the newer epoch from any answer, as Kafka's responses do.
 *
 * Fetch and ReadIndex are matched to their answers by ids that start again from 1 when a node
 * restarts (Kafka matches answers on the TCP connection, which dies with the process; our hosts
 * deliver by node id). So those requests carry the asking node's incarnation and the answers echo
 * it: an answer meant for an earlier incarnation is dropped instead of answering a new request
 * that happens to have the same id.
 */
import type { LogEntry } from '../host-interface.js';
import type { VoterEndpoint } from './voter-set.js';

/** Error names carried in responses, as Kafka names them. */
export type RaftErrorName =
  | 'FENCED_LEADER_EPOCH'
  | 'UNKNOWN_LEADER_EPOCH'
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'INCONSISTENT_CLUSTER_ID'
  | 'INCONSISTENT_VOTER_SET'
  | 'SNAPSHOT_NOT_FOUND'
  /** A FetchSnapshot position past the snapshot's end. */
  | 'POSITION_OUT_OF_RANGE'
  /** A Vote meant for another replica key (the directory id differs: a replaced disk). */
  | 'INVALID_VOTER_KEY'
  /** Voter changes (KIP-853): */
  | 'DUPLICATE_VOTER'
  | 'VOTER_NOT_FOUND'
  | 'UNSUPPORTED_VERSION'
  | 'REQUEST_TIMED_OUT'
  | 'INVALID_REQUEST';

export interface VoteRequest {
  type: 'vote-request';
  clusterId: string;
  /** The epoch the candidate stands in (for a pre-vote: the epoch it would stand in). */
  candidateEpoch: number;
  candidateId: number;
  /** The candidate's directory id (KIP-853); null under kraft.version 0. */
  candidateDirectoryId: string | null;
  /**
   * The directory id of the voter this request is for, as the candidate's voter set has it: a
   * replica with another directory (its disk was replaced) must not answer for that voter.
   */
  voterDirectoryId: string | null;
  lastEpoch: number;
  /** The candidate's log end offset. */
  lastEpochEndOffset: number;
  preVote: boolean;
}

export interface VoteResponse {
  type: 'vote-response';
  error?: RaftErrorName;
  epoch: number;
  leaderId: number | null;
  voteGranted: boolean;
  preVote: boolean;
  /** The epoch the request was for, so late answers to older rounds are recognized. */
  candidateEpoch: number;
}

export interface BeginQuorumEpochRequest {
  type: 'begin-quorum-epoch';
  clusterId: string;
  epoch: number;
  leaderId: number;
}

export interface BeginQuorumEpochResponse {
  type: 'begin-quorum-epoch-response';
  error?: RaftErrorName;
  epoch: number;
  leaderId: number | null;
}

export interface EndQuorumEpochRequest {
  type: 'end-quorum-epoch';
  clusterId: string;
  epoch: number;
  leaderId: number;
  /** Voters in the order the resigning leader prefers as its successor. */
  preferredSuccessors: number[];
}

export interface EndQuorumEpochResponse {
  type: 'end-quorum-epoch-response';
  error?: RaftErrorName;
  epoch: number;
  leaderId: number | null;
}

export interface FetchRequest {
  type: 'fetch';
  clusterId: string;
  /** The epoch the fetcher believes current. */
  epoch: number;
  replicaId: number;
  /** The fetcher's directory id (KIP-853): a voter counts only as the directory the voter set names. */
  replicaDirectoryId: string | null;
  /** Everything before this offset is durable on the fetcher. */
  fetchOffset: number;
  /** Epoch of the fetcher's entry at fetchOffset - 1 (0 for an empty log). */
  lastFetchedEpoch: number;
  /** Matches the response to the request, with `incarnationId`. */
  fetchId: number;
  /** The fetcher's incarnation (a random id per process start), echoed in the response. */
  incarnationId: string;
  /** The newest read-index round the fetcher has seen (see ReadIndex): echoes leadership. */
  readRound: number;
  /**
   * The most bytes of entries the answer may carry (Kafka's Fetch MaxBytes; KRaft's raft client
   * asks 8 MiB), counted as RaftStateMachine.bytesOf plus ENTRY_OVERHEAD_BYTES an entry. The
   * first entry goes whatever its size, so the fetcher always progresses. The fetcher sets it
   * below the largest frame it accepts (socket.request.max.bytes), which the answer must fit.
   */
  maxBytes: number;
}

export interface FetchResponse {
  type: 'fetch-response';
  error?: RaftErrorName;
  epoch: number;
  leaderId: number | null;
  fetchId: number;
  /** The request's `incarnationId`. */
  incarnationId: string;
  highWatermark: number;
  logStartOffset: number;
  entries: LogEntry[];
  /** The fetcher's log diverges: truncate to (at most) endOffset of `epoch` and fetch again. */
  divergingEpoch?: { epoch: number; endOffset: number };
  /** The fetch offset is below the leader's log start: fetch this snapshot first. */
  snapshotId?: { endOffset: number; epoch: number };
  readRound: number;
  /**
   * Where the named leader is reached (Kafka's NodeEndpoints), when the responder's voter set lists
   * it: how an observer that asked a bootstrap server finds its leader (kraft.version 1).
   */
  leaderEndpoints?: VoterEndpoint[];
}

export interface FetchSnapshotRequest {
  type: 'fetch-snapshot';
  clusterId: string;
  epoch: number;
  replicaId: number;
  /** The asker's directory id (kraft.version 1), so the leader credits the right voter's liveness. */
  replicaDirectoryId: string | null;
  snapshotId: { endOffset: number; epoch: number };
  /** The first byte wanted: the length of the asker's partial snapshot (Kafka's Position). */
  position: number;
  /** The most bytes one answer may carry (Kafka's MaxBytes). */
  maxBytes: number;
}

/** A piece of a snapshot, or an error; the follower asks for the next piece until it has all `size` bytes. */
export interface FetchSnapshotResponse {
  type: 'fetch-snapshot-response';
  error?: RaftErrorName;
  epoch: number;
  leaderId: number | null;
  snapshotId?: { endOffset: number; epoch: number };
  /** The whole snapshot's length in bytes. */
  size?: number;
  /** Where `bytes` starts in the snapshot. */
  position?: number;
  bytes?: Uint8Array;
}

/** A node asks the leader for a read index on behalf of a linearizable read. */
export interface ReadIndexRequest {
  type: 'read-index';
  clusterId: string;
  epoch: number;
  readId: number;
  /** The asking node's incarnation, echoed in the response. */
  incarnationId: string;
}

export interface ReadIndexResponse {
  type: 'read-index-response';
  error?: RaftErrorName;
  epoch: number;
  leaderId: number | null;
  readId: number;
  /** The request's `incarnationId`. */
  incarnationId: string;
  /** Apply up to this offset, then answer from the local image. */
  readIndex: number;
}

/**
 * A voter tells the leader its current listeners (Kafka's UpdateRaftVoter, sent by the voter
 * itself): the leader writes a voter set with them.
 */
export interface UpdateVoterRequest {
  type: 'update-voter';
  clusterId: string;
  epoch: number;
  voterId: number;
  voterDirectoryId: string | null;
  endpoints: VoterEndpoint[];
}

export interface UpdateVoterResponse {
  type: 'update-voter-response';
  error?: RaftErrorName;
  epoch: number;
  leaderId: number | null;
}

export type RaftRequest =
  | UpdateVoterRequest
  | VoteRequest
  | BeginQuorumEpochRequest
  | EndQuorumEpochRequest
  | FetchRequest
  | FetchSnapshotRequest
  | ReadIndexRequest;

export type RaftResponse =
  | UpdateVoterResponse
  | VoteResponse
  | BeginQuorumEpochResponse
  | EndQuorumEpochResponse
  | FetchResponse
  | FetchSnapshotResponse
  | ReadIndexResponse;

export type RaftMessage = RaftRequest | RaftResponse;

const RAFT_MESSAGE_TYPES = new Set<string>([
  'vote-request', 'vote-response', 'begin-quorum-epoch', 'begin-quorum-epoch-response',
  'end-quorum-epoch', 'end-quorum-epoch-response', 'fetch', 'fetch-response', 'fetch-snapshot',
  'fetch-snapshot-response', 'read-index', 'read-index-response', 'update-voter', 'update-voter-response',
]);

/** Requests carry the cluster id and are answered; responses carry the responder's epoch and leader. */
export function isRaftRequest(message: RaftMessage): message is RaftRequest {
  switch (message.type) {
    case 'vote-request':
    case 'begin-quorum-epoch':
    case 'end-quorum-epoch':
    case 'fetch':
    case 'fetch-snapshot':
    case 'read-index':
    case 'update-voter':
      return true;
    default:
      return false;
  }
}

export function isRaftMessage(message: unknown): message is RaftMessage {
  return typeof message === 'object' && message !== null &&
    RAFT_MESSAGE_TYPES.has((message as { type?: unknown }).type as string);
}
