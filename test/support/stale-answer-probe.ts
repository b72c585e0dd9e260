/**
 * Watches a simulated run for the situation behind seeds 1728, 101009 and 101984: an answer meant
 * for a node's previous incarnation reaches its next one while that incarnation has a request of
 * its own open under the same id (ids start again from 1 at every start). Wraps the core factory,
 * so it sees exactly the messages each core sends and receives, and counts such meetings per kind
 * of answer. The core must drop those answers; the regression tests assert the meeting happened,
 * so a seed that no longer reaches the situation fails instead of passing vacuously.
 */
import type { PeerEnvelope } from '../../src/core/host-interface.js';
import type { ConsensusCore, CoreFactory } from '../../src/sim/consensus-core.js';
import { watchedCore } from './watched-core.js';

/** Request type → [answer type, the field holding the id]. */
const ANSWERED_BY: Record<string, readonly [string, string]> = {
  'forward-request': ['forward-response', 'forwardId'],
  'describe-quorum-query': ['describe-quorum-answer', 'queryId'],
  'read-index': ['read-index-response', 'readId'],
  fetch: ['fetch-response', 'fetchId'],
  'voter-change-query': ['voter-change-answer', 'queryId'],
};

export type StaleAnswerKind = 'forward-response' | 'describe-quorum-answer' | 'read-index-response' | 'fetch-response' | 'voter-change-answer';

export interface StaleAnswerProbeOptions {
  /**
   * Models a core without its incarnation checks: every answer for an earlier incarnation is
   * handed to the core as if it named the current one (its id rewritten on the way in), so it is
   * taken by whatever request of the same id is open. A regression seed must be invalid so, or it
   * does not test the checks.
   */
  withoutIncarnationChecks?: boolean;
}

export interface StaleAnswerProbe {
  makeCore: CoreFactory;
  /** Answers for an earlier incarnation that met an open request of the same id, by answer type. */
  readonly meetings: Map<StaleAnswerKind, number>;
}

interface Message {
  type?: unknown;
  incarnationId?: unknown;
  [field: string]: unknown;
}

export function staleAnswerProbe(inner: CoreFactory, options: StaleAnswerProbeOptions = {}): StaleAnswerProbe {
  const meetings = new Map<StaleAnswerKind, number>();
  const makeCore: CoreFactory = (start) => {
    const core = inner(start);
    let incarnationId: unknown;
    /** Open requests of this incarnation, "answer type/id". */
    const open = new Set<string>();
    const watched = watchedCore(core, { receive: (envelope, nowMs) => receive(envelope, nowMs), ready: () => ready() });
    const ready = (): ReturnType<ConsensusCore['ready']> => {
      const ready = core.ready();
      for (const envelope of ready.messages) {
        const message = envelope.message as Message;
        const answeredBy = ANSWERED_BY[String(message.type)];
        if (answeredBy === undefined) continue;
        incarnationId ??= message.incarnationId;
        open.add(`${answeredBy[0]}/${String(message[answeredBy[1]])}`);
      }
      return ready;
    };
    const receive = (envelope: PeerEnvelope, nowMs: number): void => {
      const message = envelope.message as Message;
      const request = Object.values(ANSWERED_BY).find(([answer]) => answer === message.type);
      if (request !== undefined) {
        const key = `${request[0]}/${String(message[request[1]])}`;
        if (message.incarnationId === incarnationId) {
          open.delete(key);
        } else if (open.has(key)) {
          const kind = request[0] as StaleAnswerKind;
          meetings.set(kind, (meetings.get(kind) ?? 0) + 1);
        }
        if (options.withoutIncarnationChecks === true && incarnationId !== undefined && message.incarnationId !== incarnationId) {
          return core.receive({ ...envelope, message: { ...message, incarnationId } as PeerEnvelope['message'] }, nowMs);
        }
      }
      core.receive(envelope, nowMs);
    };
    return watched;
  };
  return { makeCore, meetings };
}
