/**
 * Watches a simulated run for the situation behind seed 613403057 (now 613403259): a leader holds a caught-up
 * follower's fetch (nothing new to send), its log start moves past the fetch's offset meanwhile
 * (a snapshot of entries it appended without waking held fetches, a voter change for one), and the
 * held fetch is answered later. The answer must point at the snapshot; the leader once sliced its
 * log below the log start and stopped on an assertion. Counts held fetches answered with a
 * snapshot pointer, so the regression test can assert the run still reaches the situation.
 */
import type { PeerEnvelope } from '../../src/core/host-interface.js';
import type { ConsensusCore, CoreFactory } from '../../src/sim/consensus-core.js';

export interface ParkedFetchProbe {
  makeCore: (inner: CoreFactory) => CoreFactory;
  /** Fetches answered with a snapshot pointer at a later time than they arrived. */
  readonly heldThenPointedAtSnapshot: () => number;
}

interface Message {
  type?: unknown;
  fetchId?: unknown;
  snapshotId?: unknown;
}

export function parkedFetchProbe(): ParkedFetchProbe {
  let count = 0;
  const makeCore = (inner: CoreFactory): CoreFactory => (start) => {
    const core = inner(start);
    /** "follower/fetchId" -> when the fetch arrived. */
    const arrived = new Map<string, number>();
    let nowMs = start.nowMs;
    // Notes the latest time the core was given and passes the time on unchanged.
    const at = (ms: number): number => {
      nowMs = Math.max(nowMs, ms);
      return ms;
    };
    const watched: ConsensusCore = {
      tick: (ms) => core.tick(at(ms)),
      receive: (envelope: PeerEnvelope, ms) => {
        const message = envelope.message as Message;
        if (message.type === 'fetch') arrived.set(`${envelope.from}/${String(message.fetchId)}`, ms);
        core.receive(envelope, at(ms));
      },
      submit: (request, ms) => core.submit(request, at(ms)),
      describeQuorum: (requestId, ms, timeoutMs) => core.describeQuorum(requestId, at(ms), timeoutMs),
      changeVoters: (requestId, change, ms, timeoutMs) => core.changeVoters(requestId, change, at(ms), timeoutMs),
      shutdown: (ms) => core.shutdown(at(ms)),
      get committedImage() { return core.committedImage; },
      get leaderId() { return core.leaderId; },
      hasReady: () => core.hasReady(),
      ready: () => {
        const ready = core.ready();
        for (const envelope of ready.messages) {
          const message = envelope.message as Message;
          if (message.type !== 'fetch-response') continue;
          const key = `${envelope.to}/${String(message.fetchId)}`;
          const arrivedMs = arrived.get(key);
          arrived.delete(key);
          if (message.snapshotId !== undefined && arrivedMs !== undefined && arrivedMs < nowMs) count += 1;
        }
        return ready;
      },
      advance: () => core.advance(),
      nextWakeMs: () => core.nextWakeMs(),
      debugState: () => core.debugState(),
    };
    return watched;
  };
  return { makeCore, heldThenPointedAtSnapshot: () => count };
}
