/**
 * Messages by which a node that is not the active controller forwards a client's metadata
 * operation to it (as KRaft brokers forward admin requests), so clients may talk to any node and
 * never see NOT_CONTROLLER.
 *
 * Every answer names the incarnation that asked. A node's ids (forward ids, query ids) start again
 * from 1 when it restarts, and an answer to the previous incarnation can still be on its way (or
 * held by a paused leader): matched by id alone, it would answer a different request of the new
 * incarnation (the simulator found a create answered DUPLICATE_BROKER_REGISTRATION so, seed 1728).
 */
import type { ClientError } from './client-response.js';
import type { MetadataOperation } from './metadata/index.js';
import type { QuorumDescription } from './quorum-description.js';
import type { VoterChange, VoterChangeResult } from './raft/voter-changes.js';

export interface ForwardRequest {
  type: 'forward-request';
  clusterId: string;
  /**
   * The epoch of the leader the request is for. A leader acts only on requests for its own epoch,
   * so a copy delayed past a restart or a change of leader can never be executed again.
   */
  epoch: number;
  /** The forwarding node's incarnation: with `forwardId` it names the request uniquely. */
  incarnationId: string;
  forwardId: number;
  operation: MetadataOperation;
}

/**
 * `ok`: the answer, given once the write's record (or every record the answer depended on) is
 * committed; apply up to `applyOffset` before answering the client.
 * `not-controller`: this node is not the active controller; nothing was done.
 * `unknown`: the write was appended but leadership was lost before it committed.
 * `failed`: nothing was done (a refusal whose premises could not be committed).
 */
export interface ForwardResponse {
  type: 'forward-response';
  /** The `incarnationId` of the request: an answer for another incarnation is dropped. */
  incarnationId: string;
  forwardId: number;
  outcome: 'ok' | 'not-controller' | 'unknown' | 'failed';
  result?: unknown;
  error?: ClientError;
  applyOffset?: number;
  committedOffset?: number;
  committedEpoch?: number;
  epoch: number;
  leaderId: number | null;
}

/** A node asks the leader for its view of the quorum (DescribeQuorum may reach any node). */
export interface DescribeQuorumQuery {
  type: 'describe-quorum-query';
  clusterId: string;
  /** The asking node's incarnation, echoed in the answer. */
  incarnationId: string;
  queryId: number;
}

export interface DescribeQuorumAnswer {
  type: 'describe-quorum-answer';
  /** The query's `incarnationId`: an answer for another incarnation is dropped. */
  incarnationId: string;
  queryId: number;
  /** Null when the asked node is not the leader. */
  description: QuorumDescription | null;
}

/** A node asks the leader to change the voter set (AddRaftVoter, RemoveRaftVoter may reach any controller). */
export interface VoterChangeQuery {
  type: 'voter-change-query';
  clusterId: string;
  /**
   * The epoch whose leader the asker sends it to. Only that leader, in that epoch, makes the
   * change: a copy the network delivers late (or again) to a node leading a later epoch is
   * refused, as a forwarded write is (ForwardRequest.epoch), and as KRaft's UpdateRaftVoter,
   * sent from node to node, carries CurrentLeaderEpoch (KIP-853: AddRaftVoter and RemoveRaftVoter
   * carry none, since an admin client sends them to the leader over its own connection).
   */
  epoch: number;
  incarnationId: string;
  queryId: number;
  change: VoterChange;
}

export interface VoterChangeAnswer {
  type: 'voter-change-answer';
  incarnationId: string;
  queryId: number;
  result: VoterChangeResult;
}

export type ForwardMessage =
  | ForwardRequest | ForwardResponse | DescribeQuorumQuery | DescribeQuorumAnswer | VoterChangeQuery | VoterChangeAnswer;

const FORWARD_MESSAGE_TYPES = new Set([
  'forward-request', 'forward-response', 'describe-quorum-query', 'describe-quorum-answer', 'voter-change-query', 'voter-change-answer',
]);

export function isForwardMessage(message: unknown): message is ForwardMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && FORWARD_MESSAGE_TYPES.has(type);
}
