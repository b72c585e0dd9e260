/**
 * What a kafkajs call came to, as the shared mapping (src/history/kafka-completion.ts) reads it:
 * a Kafka answer by error name, or a transport outcome. kafkajs wraps errors (retriers wrap the
 * last attempt's error as `cause`, createTopics aggregates per-topic errors), so the name is
 * found by walking the wrappers. What counts as never sent:
 * - `connection-refused`: the connection could not be opened (refused, unreachable, connect
 *   timeout): kafkajs sends a request only on an open connection;
 * - `not-sent`: kafkajs gave up before the operation's own request: it knew no broker to send it
 *   to, or (for create-topic, create-partitions and alter-config, whose kafkajs code refreshes
 *   metadata first and never after) that metadata refresh timed out.
 * A connection closed after it was open, any other timeout, or an unknown error may have reached
 * the server: `timeout`, `connection-closed` or `retries-exhausted`, which the mapping makes `info`.
 */
import type { KafkaOutcome } from '../../../history/kafka-completion.js';

/** Writes whose kafkajs call sends Metadata only before its own request (deleteTopics also refreshes after). */
const METADATA_ONLY_BEFORE: ReadonlySet<string> = new Set(['create-topic', 'create-partitions', 'alter-config']);

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

export function kafkajsOutcome(f: string, error: unknown): KafkaOutcome {
  const chain = errorChain(error);
  for (const link of chain) {
    const name = kafkaErrorName(link);
    if (name !== null) return { kind: 'answer', errorName: name, ...(link.message === undefined ? {} : { message: link.message }) };
  }
  const detail = chain.map((link) => `${link.name ?? 'Error'}: ${link.message ?? ''}`.trim()).join(' <- ');
  if (chain.some(neverConnected)) return { kind: 'transport', outcome: 'connection-refused', detail };
  if (chain.some(noBrokerToAsk)) return { kind: 'transport', outcome: 'not-sent', detail };
  const timedOut = chain.find((link) => link.name === 'KafkaJSRequestTimeoutError');
  if (timedOut !== undefined) {
    const metadataOnly = METADATA_ONLY_BEFORE.has(f) && /^Request Metadata\(/.test(timedOut.message ?? '');
    return { kind: 'transport', outcome: metadataOnly ? 'not-sent' : 'timeout', detail };
  }
  if (chain.some(everyBrokerRefused)) {
    return { kind: 'transport', outcome: 'retries-exhausted', detail: `kafkajs asked every broker and none answered without an error (${detail})` };
  }
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
  return link.name === 'KafkaJSConnectionError' && /^Connection (timeout|error: connect )/.test(link.message ?? '');
}

/** kafkajs refused the call before sending anything: no broker (or no controller) it knew of. */
function noBrokerToAsk(link: KafkajsLikeError): boolean {
  return link.name === 'KafkaJSBrokerNotFound' || link.name === 'KafkaJSMetadataNotLoaded' || link.name === 'KafkaJSNoBrokerAvailableError';
}

/**
 * kafkajs' metadata reads (fetchTopicMetadata) try each broker in turn, swallow every error and,
 * when all failed, read a property of null: the TypeError is that, not a bug of ours.
 */
function everyBrokerRefused(link: KafkajsLikeError): boolean {
  return link.name === 'TypeError' && /reading 'topicMetadata'/.test(link.message ?? '');
}
