/**
 * What a kafkajs call came to, as the shared mapping (src/history/kafka-completion.ts) reads it:
 * a Kafka answer by error name, or a transport outcome. kafkajs wraps errors (retriers wrap the
 * last attempt's error as `cause`, createTopics aggregates per-topic errors), so the name is
 * found by walking the wrappers. What counts as "never sent":
 * - the connection could not be opened (refused, unreachable, connect timeout): kafkajs sends a
 *   request only on an open connection, so nothing reached the server;
 * - kafkajs refused the call itself before any request (no broker known, metadata not loaded).
 * A connection closed after it was open, a request timeout, or an unknown error may have reached
 * the server: `timeout` or `connection-closed`, which the mapping makes `info`.
 */
import type { KafkaOutcome } from '../../../history/kafka-completion.js';

interface KafkajsLikeError {
  name?: string;
  message?: string;
  type?: string;
  code?: string;
  cause?: unknown;
  errors?: unknown[];
}

/** Connection errors raised while opening a socket (Node's codes and kafkajs' own message). */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function kafkajsOutcome(error: unknown): KafkaOutcome {
  const chain = errorChain(error);
  for (const link of chain) {
    const name = kafkaErrorName(link);
    if (name !== null) return { kind: 'answer', errorName: name, ...(link.message === undefined ? {} : { message: link.message }) };
  }
  const detail = chain.map((link) => `${link.name ?? 'Error'}: ${link.message ?? ''}`.trim()).join(' <- ');
  if (chain.some(neverConnected)) return { kind: 'transport', outcome: 'connection-refused', detail };
  if (chain.some((link) => link.name === 'KafkaJSRequestTimeoutError')) return { kind: 'transport', outcome: 'timeout', detail };
  if (chain.some((link) => link.name === 'KafkaJSNumberOfRetriesExceeded')) return { kind: 'transport', outcome: 'retries-exhausted', detail };
  if (chain.some((link) => link.name === 'KafkaJSConnectionClosedError' || link.name === 'KafkaJSConnectionError')) {
    return { kind: 'transport', outcome: 'connection-closed', detail };
  }
  return { kind: 'transport', outcome: 'timeout', detail: `not a Kafka answer: ${detail}` };
}

/** The error and every error it wraps, outermost first (cycles cut). */
function errorChain(error: unknown): KafkajsLikeError[] {
  const chain: KafkajsLikeError[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !chain.includes(current as KafkajsLikeError) && chain.length < 10) {
    const link = current as KafkajsLikeError;
    chain.push(link);
    // createTopics answers per topic: one topic per call here, so its error is the answer.
    current = link.cause ?? (Array.isArray(link.errors) ? link.errors[0] : undefined);
  }
  return chain;
}

/** A Kafka protocol error carries Kafka's error name in `type` (kafkajs' own errors have none). */
function kafkaErrorName(link: KafkajsLikeError): string | null {
  return typeof link.type === 'string' && /^[A-Z][A-Z_]+$/.test(link.type) ? link.type : null;
}

function neverConnected(link: KafkajsLikeError): boolean {
  if (typeof link.code === 'string' && NOT_CONNECTED_CODES.has(link.code)) return true;
  const message = link.message ?? '';
  if (link.name === 'KafkaJSConnectionError' && /^Connection (timeout|error: connect )/.test(message)) return true;
  // kafkajs refused before sending anything.
  return link.name === 'KafkaJSBrokerNotFound' || link.name === 'KafkaJSMetadataNotLoaded' || link.name === 'KafkaJSNoBrokerAvailableError';
}
