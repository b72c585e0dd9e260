/**
 * Messages by which a node that is not the active controller forwards a client's metadata
 * operation to it (as KRaft brokers forward admin requests), so clients may talk to any node and
 * never see NOT_CONTROLLER.
 */
import type { MetadataOperation } from './metadata/index.js';
import type { QuorumDescription } from './quorum-description.js';

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
  forwardId: number;
  outcome: 'ok' | 'not-controller' | 'unknown' | 'failed';
  result?: unknown;
  error?: string;
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
  queryId: number;
}

export interface DescribeQuorumAnswer {
  type: 'describe-quorum-answer';
  queryId: number;
  /** Null when the asked node is not the leader. */
  description: QuorumDescription | null;
}

export type ForwardMessage = ForwardRequest | ForwardResponse | DescribeQuorumQuery | DescribeQuorumAnswer;

const FORWARD_MESSAGE_TYPES = new Set(['forward-request', 'forward-response', 'describe-quorum-query', 'describe-quorum-answer']);

export function isForwardMessage(message: unknown): message is ForwardMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && FORWARD_MESSAGE_TYPES.has(type);
}
