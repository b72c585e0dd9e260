/**
 * Watches a simulated run for the situation behind sweep seed 128072785: a node left the follower
 * role while its FetchSnapshot was unanswered (the lost FetchSnapshot's timeout and the fetch
 * timeout fell on the same moment, during a pause of every node), and afterwards, following a
 * known leader, neither fetched nor timed out for the rest of the run.
 *
 * Wraps the core factory. It counts the role changes made with a FetchSnapshot unanswered (the
 * trigger, so a seed that no longer reaches it fails instead of passing vacuously) and measures,
 * per node, the longest a follower of a known leader went without sending a Fetch or
 * FetchSnapshot and without changing role. A live follower fetches at least once per fetch
 * timeout or times out; the regression test asserts the longest silence is within it.
 *
 * Times are each core's own clock, which is simulated time in runs without the clock nemesis.
 * A paused node is ticked on its resume before anything else, so a pause longer than the fetch
 * timeout shows as a timeout, not a silence; the silence is measured after each of the node's
 * drains (when the sim asks its next wake) and at the end of the run (`silenceAt`).
 */
import type { PeerEnvelope, Ready } from '../../src/core/host-interface.js';
import type { ConsensusCore, CoreFactory } from '../../src/sim/consensus-core.js';
import { watchedCore } from './watched-core.js';

export interface SilentFollowerProbe {
  makeCore: CoreFactory;
  /** Role changes of a node whose FetchSnapshot was sent and not answered. */
  readonly snapshotFetchesLeftByRole: { count: number };
  /** The longest silence seen so far: node, since when (ms), how long (ms). */
  readonly longest: { node: number; sinceMs: number; silentMs: number };
  /** Measures every node's silence up to `endMs` (the end of the run) as well. */
  silenceAt(endMs: number): void;
}

interface Watched {
  core: ConsensusCore;
  /** The last moment the core was given. */
  nowMs: number;
  /** The last fetch sent, or the last role, leader or epoch change. */
  activeMs: number;
  role: string;
  snapshotFetchPending: boolean;
}

const FETCHES = new Set(['fetch', 'fetch-snapshot']);

export function silentFollowerProbe(inner: CoreFactory): SilentFollowerProbe {
  const snapshotFetchesLeftByRole = { count: 0 };
  const longest = { node: 0, sinceMs: 0, silentMs: 0 };
  /** The newest incarnation of each node. */
  const watched = new Map<number, Watched>();

  const roleOf = (core: ConsensusCore): string => {
    const state = core.debugState();
    return `${state.state}/${state.epoch}/${state.leaderId ?? '-'}`;
  };
  const measure = (node: number, w: Watched, atMs: number): void => {
    const state = w.core.debugState();
    if (state.state !== 'follower' || state.leaderId === null) return;
    const silentMs = atMs - w.activeMs;
    if (silentMs > longest.silentMs) Object.assign(longest, { node, sinceMs: w.activeMs, silentMs });
  };

  const makeCore: CoreFactory = (start) => {
    const core = inner(start);
    const w: Watched = { core, nowMs: start.nowMs, activeMs: start.nowMs, role: roleOf(core), snapshotFetchPending: false };
    watched.set(start.nodeId, w);
    const at = (nowMs: number): void => { w.nowMs = nowMs; };
    const ready = (): Ready => {
      const out = core.ready();
      for (const envelope of out.messages) {
        const type = (envelope.message as { type?: string }).type ?? '';
        if (!FETCHES.has(type)) continue;
        w.activeMs = w.nowMs;
        if (type === 'fetch-snapshot') w.snapshotFetchPending = true;
      }
      return out;
    };
    const receive = (envelope: PeerEnvelope, nowMs: number): void => {
      at(nowMs);
      if ((envelope.message as { type?: string }).type === 'fetch-snapshot-response') w.snapshotFetchPending = false;
      core.receive(envelope, nowMs);
    };
    const nextWakeMs = (): number => {
      const role = roleOf(core);
      if (role !== w.role) {
        if (w.role.startsWith('follower/') && w.snapshotFetchPending) snapshotFetchesLeftByRole.count += 1;
        w.snapshotFetchPending = false;
        w.role = role;
        w.activeMs = w.nowMs;
      }
      measure(start.nodeId, w, w.nowMs);
      return core.nextWakeMs();
    };
    return watchedCore(core, {
      tick: (nowMs) => { at(nowMs); core.tick(nowMs); },
      receive,
      submit: (request, nowMs) => { at(nowMs); core.submit(request, nowMs); },
      describeQuorum: (requestId, nowMs, timeoutMs) => { at(nowMs); core.describeQuorum(requestId, nowMs, timeoutMs); },
      changeVoters: (requestId, change, nowMs, timeoutMs) => { at(nowMs); core.changeVoters(requestId, change, nowMs, timeoutMs); },
      ready,
      nextWakeMs,
    });
  };

  const silenceAt = (endMs: number): void => {
    for (const [node, w] of watched) measure(node, w, endMs);
  };
  return { makeCore, snapshotFetchesLeftByRole, longest, silenceAt };
}
