/**
 * A core that passes every call on to `core` unchanged, except those `watch` gives: a simulator
 * probe's hooks (what arrives, what is sent) without spelling out the rest of the interface.
 */
import type { ConsensusCore } from '../../src/sim/consensus-core.js';

export type CoreWatch = Partial<Omit<ConsensusCore, 'committedImage' | 'leaderId'>>;

export function watchedCore(core: ConsensusCore, watch: CoreWatch): ConsensusCore {
  return {
    tick: (nowMs) => core.tick(nowMs),
    receive: (envelope, nowMs) => core.receive(envelope, nowMs),
    submit: (request, nowMs) => core.submit(request, nowMs),
    describeQuorum: (requestId, nowMs, timeoutMs) => core.describeQuorum(requestId, nowMs, timeoutMs),
    changeVoters: (requestId, change, nowMs, timeoutMs) => core.changeVoters(requestId, change, nowMs, timeoutMs),
    shutdown: (nowMs) => core.shutdown(nowMs),
    hasReady: () => core.hasReady(),
    ready: () => core.ready(),
    advance: () => core.advance(),
    nextWakeMs: () => core.nextWakeMs(),
    debugState: () => core.debugState(),
    ...watch,
    get committedImage() { return core.committedImage; },
    get leaderId() { return core.leaderId; },
  };
}
