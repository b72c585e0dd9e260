/**
 * What a node answers a client, and what that answer means for a history.
 *
 * Every request ends in one of three outcomes, the one history format's three (Jepsen's):
 *
 *   core outcome   history   meaning
 *   ------------   -------   ---------------------------------------------------------------
 *   ok             ok        it took effect (a write) or was answered (a read). `result` is the
 *                            answer, typed by the operation; it may be a definite refusal that
 *                            tells something about the state (a MetadataError such as
 *                            TOPIC_ALREADY_EXISTS), which the model then checks.
 *   failed         fail      it certainly did not take effect: refused before anything was sent
 *                            to the controller, or by a controller that appended nothing.
 *   unknown        info      it may or may not take effect: a write reached a controller and
 *                            then the answer was lost (timeout, leadership lost after appending).
 *
 * `HISTORY_TYPE_OF_OUTCOME` is that table as code; a client that records a history through the
 * Kafka front goes core → Kafka error (kafka/handlers/kafka-answer.ts) → history
 * (history/kafka-completion.ts), and the two steps compose to the same table.
 *
 * Errors are values with a stable `code` (tests, handlers and histories branch on it) and a
 * `message` for people; nothing parses the message.
 */
import type {
  MetadataOperation, MetadataReadOperation, MetadataWriteOperation, ReadReplies, ReadResult, WriteReplies, WriteResult,
} from './metadata/index.js';
import type { QuorumDescription } from './quorum-description.js';
import type { VoterChangeResult } from './raft/voter-changes.js';

/** The codes a client error can carry, each Kafka's name for it. */
export type ClientErrorCode =
  /** Not answered within the request's timeout. */
  | 'REQUEST_TIMED_OUT'
  /** No active controller took the write (a leader change, or none known): nothing was done. */
  | 'NOT_CONTROLLER'
  /** No leader to ask (DescribeQuorum, a read index, a voter change): nothing was done. */
  | 'NOT_LEADER_OR_FOLLOWER'
  /** The request came from, or was sent to, another cluster. */
  | 'INCONSISTENT_CLUSTER_ID'
  /** The request is malformed (the message names what). */
  | 'INVALID_REQUEST'
  /** The node is stopping (a host's answer to requests in flight). */
  | 'NODE_SHUTTING_DOWN'
  /** Voter changes (KIP-853). */
  | 'DUPLICATE_VOTER'
  | 'VOTER_NOT_FOUND'
  | 'UNSUPPORTED_VERSION';

export interface ClientError {
  readonly code: ClientErrorCode;
  readonly message: string;
}

export function clientError(code: ClientErrorCode, message: string = code): ClientError {
  return { code, message };
}

/** What an answered request's `result` holds, by the kind of request. */
export type ClientResults =
  & { [K in MetadataWriteOperation['type']]: WriteResult<WriteReplies[K]> }
  & { [K in MetadataReadOperation['type']]: ReadResult<ReadReplies[K]> }
  & { describeQuorum: QuorumDescription; changeVoters: VoterChanged };

/** A voter change committed. */
export interface VoterChanged {
  ok: true;
}

export type ClientRequestKind = keyof ClientResults;

/** Any request's result, for code that handles every kind alike. */
export type AnyClientResult = WriteResult | ReadResult | QuorumDescription | VoterChanged;

/** The result of kind `K`: precise for one kind, any result for the union of all. */
export type ClientResultOf<K extends ClientRequestKind> = ClientRequestKind extends K ? AnyClientResult : ClientResults[K];

/** The request kind of an operation: its `type`. */
export type KindOf<Op extends MetadataOperation> = Op['type'];

/** An answered request: done, or definitely answered. */
export interface ClientAnswered<K extends ClientRequestKind = ClientRequestKind> {
  requestId: number;
  outcome: 'ok';
  result: ClientResultOf<K>;
  /** For committed writes: where the record landed, to check "no acknowledged write lost". */
  committedOffset?: number;
  committedEpoch?: number;
}

/** A request without an answer that certainly did not take effect. */
export interface ClientFailed {
  requestId: number;
  outcome: 'failed';
  error: ClientError;
}

/** A request without an answer that may have taken effect. */
export interface ClientUnknown {
  requestId: number;
  outcome: 'unknown';
  error: ClientError;
}

export type ClientUnanswered = ClientFailed | ClientUnknown;

/** The answer to a client request; `K` narrows `result` to the request's own kind. */
export type ClientResponse<K extends ClientRequestKind = ClientRequestKind> = ClientAnswered<K> | ClientUnanswered;

/** An answer without its request id, as the parts of a node pass it around before it goes out. */
export type OkAnswer<K extends ClientRequestKind = ClientRequestKind> = Omit<ClientAnswered<K>, 'requestId'>;
export type ClientAnswer<K extends ClientRequestKind = ClientRequestKind> = OkAnswer<K> | Omit<ClientFailed, 'requestId'> | Omit<ClientUnknown, 'requestId'>;

export type ClientOutcome = ClientResponse['outcome'];

/** The table above: each core outcome's history completion type. */
export const HISTORY_TYPE_OF_OUTCOME = { ok: 'ok', failed: 'fail', unknown: 'info' } as const satisfies Record<ClientOutcome, 'ok' | 'fail' | 'info'>;

const VOTER_CHANGE_ERRORS: ReadonlySet<string> = new Set<ClientErrorCode>([
  'DUPLICATE_VOTER', 'VOTER_NOT_FOUND', 'UNSUPPORTED_VERSION', 'REQUEST_TIMED_OUT', 'NOT_LEADER_OR_FOLLOWER', 'INVALID_REQUEST',
]);

/** A voter change's result as a client answer: `unknown` when the new voter set was written and may still commit. */
export function voterChangeAnswer(result: VoterChangeResult): ClientAnswer<'changeVoters'> {
  if (result.ok) return { outcome: 'ok', result: { ok: true } };
  const code = VOTER_CHANGE_ERRORS.has(result.error) ? result.error as ClientErrorCode : 'NOT_LEADER_OR_FOLLOWER';
  return { outcome: result.mayHaveTakenEffect ? 'unknown' : 'failed', error: clientError(code, result.message) };
}
