/**
 * The one mapping of a Kafka client's outcome to a history completion (ok / fail / info), for
 * every client that records topic operations: the simulator's clients (through the same Kafka
 * request handlers the real server runs) and kafkajs clients against containers alike. It reads
 * Kafka error *names* (Kafka's `Errors` enum, as kafkajs reports them in `error.type`) and the
 * client's transport outcomes, so it imports nothing but the history vocabulary.
 *
 * The rules, Jepsen's:
 *  - `ok`: the operation took effect or was answered. A definite answer that carries
 *    information about the state (TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION,
 *    INVALID_PARTITIONS) is an `ok` whose value is `{error: NAME}`, so the model checks it.
 *  - `fail`: only when the operation certainly did not happen: refused before it could take
 *    effect (NOT_CONTROLLER, INVALID_REQUEST, INVALID_CONFIG, INVALID_REPLICATION_FACTOR, ...), or
 *    the connection was refused or the client gave up before sending, so the request was never sent. A read that was not answered had
 *    no effect either, but its timeouts stay `info` so histories say what the client saw.
 *  - `info`: it may have happened: a timeout (REQUEST_TIMED_OUT or the client's own), a
 *    connection closed after the request was sent, retries exhausted, or any error this table
 *    does not know.
 */
import type { TopicErrorName, TopicFunction } from './topic-operations.js';

/**
 * What a client saw when no Kafka answer arrived. `not-sent`: the client gave up before sending
 * the operation's request (a lookup it needed first failed, it knew no broker to send it to).
 */
export const TRANSPORT_OUTCOMES = ['timeout', 'connection-closed', 'connection-refused', 'not-sent', 'retries-exhausted'] as const;
export type TransportOutcome = (typeof TRANSPORT_OUTCOMES)[number];

/**
 * A client's outcome: a Kafka answer (`errorName` null or `NONE` on success, with the success
 * value already in the history's vocabulary), or a transport outcome.
 */
export type KafkaOutcome =
  | { kind: 'answer'; errorName: string | null; value?: unknown; message?: string }
  | { kind: 'transport'; outcome: TransportOutcome; detail?: string };

export type KafkaCompletion =
  | { type: 'ok'; value: unknown }
  | { type: 'fail'; error: string }
  | { type: 'info'; error: string };

/** Definite answers that say something about the state: `ok` with `{error}` for the model. */
export const INFORMATIVE_ERRORS: ReadonlySet<string> = new Set<TopicErrorName>([
  'TOPIC_ALREADY_EXISTS',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'INVALID_PARTITIONS',
]);

/** Refusals that certainly had no effect: `fail`. */
export const NO_EFFECT_ERRORS: ReadonlySet<string> = new Set([
  'NOT_CONTROLLER',
  'INVALID_REQUEST',
  'INVALID_CONFIG',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_TOPIC_EXCEPTION',
  'POLICY_VIOLATION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'UNSUPPORTED_VERSION',
  'TOPIC_DELETION_DISABLED',
  'THROTTLING_QUOTA_EXCEEDED',
  'INVALID_UPDATE_VERSION',
]);

/**
 * Reads that could not be answered: the broker says so definitely (no leader to take a read
 * index from), and a read has no effect, so these are `fail` for reads. For writes they are not
 * definite and stay `info`.
 */
export const UNANSWERED_READ_ERRORS: ReadonlySet<string> = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'BROKER_NOT_AVAILABLE',
]);

const READS: ReadonlySet<TopicFunction> = new Set<TopicFunction>(['describe-topic', 'describe-configs', 'list-topics']);

export function isReadFunction(f: string): boolean {
  return READS.has(f as TopicFunction);
}

/** The history completion of `f` for a client's outcome. */
export function kafkaCompletion(f: TopicFunction | string, outcome: KafkaOutcome): KafkaCompletion {
  if (outcome.kind === 'transport') {
    const error = outcome.detail === undefined ? outcome.outcome : `${outcome.outcome}: ${outcome.detail}`;
    const neverSent = outcome.outcome === 'connection-refused' || outcome.outcome === 'not-sent';
    return neverSent ? { type: 'fail', error } : { type: 'info', error };
  }
  const name = outcome.errorName;
  if (name === null || name === 'NONE') return { type: 'ok', value: outcome.value ?? null };
  if (INFORMATIVE_ERRORS.has(name)) return { type: 'ok', value: { error: name } };
  if (NO_EFFECT_ERRORS.has(name)) return { type: 'fail', error: name };
  if (isReadFunction(f) && UNANSWERED_READ_ERRORS.has(name)) return { type: 'fail', error: name };
  return { type: 'info', error: name };
}
