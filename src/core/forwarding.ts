/**
 * Messages by which a node that is not the active controller forwards a client's metadata
 * operation to it (as KRaft brokers forward admin requests), so clients may talk to any node and
 * never see NOT_CONTROLLER.
 */
import type { MetadataOperation } from './metadata/index.js';

export interface ForwardRequest {
  type: 'forward-request';
  clusterId: string;
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

export function isForwardMessage(message: unknown): message is ForwardRequest | ForwardResponse {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'forward-request' || type === 'forward-response';
}
