/**
 * How simulated clients and brokers talk to nodes: send an operation to a node and hear back
 * exactly once, with the node's response, a refusal (the node is down: connection refused, so the
 * request certainly had no effect), or a timeout (the answer is unknown).
 */
import type { ClientResponse } from '../core/host-interface.js';

export type RequestOutcome =
  | { kind: 'response'; response: ClientResponse }
  | { kind: 'refused' }
  | { kind: 'timeout' };

export interface RequestChannel {
  nowMs(): number;
  /** Run `action` after `delayMs` of simulated time. */
  after(delayMs: number, action: () => void): void;
  request(nodeId: number, operation: unknown, timeoutMs: number, onDone: (outcome: RequestOutcome) => void): void;
}
