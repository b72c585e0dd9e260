/**
 * Submits one operation through the port within a deadline, retrying only refusals that
 * certainly did nothing (NOT_CONTROLLER during a leader change), so clients never see
 * NOT_CONTROLLER. An `unknown` outcome is never retried: the write may have happened, and a
 * retry could turn its success into TOPIC_ALREADY_EXISTS.
 */
import type { ClientResponse } from '../../core/host-interface.js';
import type { MetadataOperation } from '../../core/metadata/index.js';
import type { HandlerClock } from './handler-clock.js';
import { isRetriableRefusal } from './kafka-answer.js';
import type { MetadataPort, SubmitOptions } from './metadata-port.js';

/** Wait between retries of a refused write, so a leaderless moment is not a busy loop. */
const RETRY_BACKOFF_MS = 50;

export async function submitWithRetry(
  port: MetadataPort,
  clock: HandlerClock,
  operation: MetadataOperation,
  timeoutMs: number,
  readConsistency?: SubmitOptions['readConsistency'],
): Promise<ClientResponse> {
  const deadlineMs = clock.nowMs() + timeoutMs;
  while (true) {
    const remainingMs = Math.max(1, deadlineMs - clock.nowMs());
    const options: SubmitOptions = readConsistency === undefined ? { timeoutMs: remainingMs } : { timeoutMs: remainingMs, readConsistency };
    const response = await port.submit(operation, options);
    if (!isRetriableRefusal(response) || clock.nowMs() + RETRY_BACKOFF_MS >= deadlineMs) return response;
    await clock.sleep(RETRY_BACKOFF_MS);
  }
}
