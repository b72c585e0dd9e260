/**
 * Turns the core's answers (a ClientResponse whose result is a MetadataError or a reply) into a
 * Kafka error code and message: the core → Kafka step of the one outcome mapping
 * (core/client-response.ts has the table). The rules, from the brief and Kafka's clients:
 * - `ok` with an error result: that error, as the controller named it (TOPIC_ALREADY_EXISTS...);
 * - `unknown`: REQUEST_TIMED_OUT, since the write may or may not have happened;
 * - `failed`: the error it names, except NOT_CONTROLLER, which clients must never see (every
 *   broker forwards writes), and which becomes REQUEST_TIMED_OUT once retries ran out.
 */
import type { ClientError, ClientResponse } from '../../core/host-interface.js';
import { isMetadataError } from '../../core/metadata/index.js';
import { ErrorCode, type ErrorName } from '../protocol/error-codes.js';

export interface KafkaError {
  errorCode: number;
  errorMessage: string;
}

export type KafkaAnswer<Reply> = { ok: true; reply: Reply } | ({ ok: false } & KafkaError);

export const NO_ERROR = Object.freeze({ errorCode: ErrorCode.NONE, errorMessage: null });

export function kafkaError(name: ErrorName, errorMessage: string): KafkaError {
  return { errorCode: ErrorCode[name], errorMessage };
}

export function answerOf<Reply>(response: ClientResponse, what: string): KafkaAnswer<Reply> {
  if (response.outcome === 'unknown') {
    return { ok: false, ...kafkaError('REQUEST_TIMED_OUT', `${what} did not complete in time; it may still take effect`) };
  }
  if (response.outcome === 'failed') return { ok: false, ...failedError(response.error, what) };
  const result = response.result;
  if (isMetadataError(result)) return { ok: false, errorCode: result.code, errorMessage: result.message };
  if (typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === true) {
    return { ok: true, reply: (result as { reply: Reply }).reply };
  }
  return { ok: false, ...kafkaError('UNKNOWN_SERVER_ERROR', `${what}: the node answered without a result`) };
}

/** A `failed` outcome's error, by its code; the message goes to the client as it is. */
function failedError(error: ClientError, what: string): KafkaError {
  if (error.code === 'NOT_CONTROLLER' || error.code === 'REQUEST_TIMED_OUT') {
    return kafkaError('REQUEST_TIMED_OUT', `${what} timed out waiting for the active controller`);
  }
  if (Object.hasOwn(ErrorCode, error.code)) {
    return kafkaError(error.code as ErrorName, error.message === error.code ? `${what} failed: ${error.code}` : error.message);
  }
  return kafkaError('UNKNOWN_SERVER_ERROR', `${what} failed: ${error.code}: ${error.message}`);
}

/** Whether the core refused this before doing anything, for a reason a retry can cure. */
export function isRetriableRefusal(response: ClientResponse): boolean {
  return response.outcome === 'failed' && response.error.code === 'NOT_CONTROLLER';
}
