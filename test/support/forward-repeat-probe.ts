/**
 * Watches a simulated run for the situation behind CI sweep seed 508450: the network delivers a
 * forwarded write to the leader again after the leader planned it and then lost leadership (it
 * resigned when its clock jumped). Wraps the core factory, so it sees exactly the messages each
 * core receives, and counts such late repeats. The core must drop them (the first copy is
 * answered on its own); the regression test asserts the repeat happened, so a seed that no
 * longer reaches the situation fails instead of passing vacuously.
 */
import type { PeerEnvelope } from '../../src/core/host-interface.js';
import type { CoreFactory } from '../../src/sim/consensus-core.js';
import { watchedCore } from './watched-core.js';

export interface ForwardRepeatProbe {
  makeCore: CoreFactory;
  /** Forward requests received again by a node that led when the first copy came and no longer does. */
  readonly lateRepeats: { count: number };
}

interface ForwardRequestLike {
  type?: unknown;
  incarnationId?: unknown;
  forwardId?: unknown;
}

export function forwardRepeatProbe(inner: CoreFactory): ForwardRepeatProbe {
  const lateRepeats = { count: 0 };
  const makeCore: CoreFactory = (start) => {
    const core = inner(start);
    /** Forward requests this incarnation received while leading, "from/incarnation/forward id". */
    const receivedLeading = new Set<string>();
    const receive = (envelope: PeerEnvelope, nowMs: number): void => {
      const message = envelope.message as ForwardRequestLike;
      if (message.type === 'forward-request') {
        const key = `${envelope.from}/${String(message.incarnationId)}/${String(message.forwardId)}`;
        const leading = core.debugState().state === 'leader';
        if (leading) receivedLeading.add(key);
        else if (receivedLeading.has(key)) lateRepeats.count += 1;
      }
      core.receive(envelope, nowMs);
    };
    return watchedCore(core, { receive });
  };
  return { makeCore, lateRepeats };
}
