/**
 * The recovery phase, after the fault phase (TigerBeetle's liveness phase, Jepsen's final
 * generator): every fault is healed, then a leader must be elected and a write acknowledged
 * within a bound derived from the timeouts, or the run fails its availability check. The probe's
 * writes (the workload's: create-topic `recovery-N`, names outside the topic pool; or a write of
 * a fresh value to the first register key) are recorded in the history like any other operation,
 * so linearizability covers them too.
 *
 * The bound, from the nodes' settings (Kafka's names, quorumd's defaults):
 *   restart allowance of the world (processes starting again)
 *   + controller.quorum.fetch.timeout.ms          a follower notices the leader is gone
 *   + 3 × (election.timeout.ms + election.backoff.max.ms)   up to three election rounds
 *   + broker.session.timeout.ms                   a fenced broker registers again
 *   + the client's request timeout                the write itself
 *
 * Then every voter must be back in the quorum, following the leader in its epoch and fetching
 * from it (checks/quorum-rejoin.ts reads that off the node events), within the quorum bound:
 *   restart allowance + controller.quorum.fetch.timeout.ms + 3 × (election.timeout.ms +
 *   election.backoff.max.ms) (a leader, as above) + controller.quorum.fetch.timeout.ms (a voter
 *   that lost the leader gives up on it and finds the new one) + controller.quorum.request.timeout.ms
 *   (it fetches, or installs the leader's snapshot).
 * The phase ends once every voter is seen back, or at the quorum bound: a world with live node
 * events (the simulator) is watched as it runs; one whose events are files in its nodes (Docker)
 * is peeked at every half second, and a live view that shows every voter back is confirmed on one
 * consistent cut (nodes stopped for the read) before the phase ends. The judge decides all the same,
 * on the events collected after the run, with the same rule and bound (checks/quorum-after-heal.ts);
 * a voter that never comes back keeps the phase going until the bound, where the judge fails it.
 */
import type { HistoryRecorder } from '../history/history-recorder.js';
import type { NodeEvent } from '../history/node-event.js';
import { mergeStreams } from './checks/invariants.js';
import { QuorumRejoinTracker } from './checks/quorum-rejoin.js';
import type { ClientPool } from './clients.js';
import type { World } from './world.js';

export interface RecoveryOutcome {
  ok: boolean;
  /** World time at which every fault was healed. */
  healedAtMs: number;
  /** ms from healing until a leader was first seen, or null. */
  leaderMs: number | null;
  /** ms from healing until the first acknowledged write, or null. */
  recoveryMs: number | null;
  boundMs: number;
  /** The world's restart allowance (World.restartAllowanceMs) the bounds include. */
  restartAllowanceMs: number;
  attempts: number;
  message: string;
  /** Every voter back in the quorum: its bound, the voters expected, how long the run watched. */
  quorum: QuorumWatch;
}

export interface QuorumWatch {
  boundMs: number;
  /** The voter set at the end (the leader's, with membership faults; else the topology's controllers). */
  voters: number[];
  /** World ms until which the run went on after the heal (the judge reads the events up to here). */
  watchedUntilMs: number;
  /** ms from the heal until the last voter was back as the run saw it live, or null (not seen, or no live events). */
  quorumMs: number | null;
}

const NODE_DEFAULTS_MS = {
  'controller.quorum.fetch.timeout.ms': 2_000,
  'controller.quorum.election.timeout.ms': 1_000,
  'controller.quorum.election.backoff.max.ms': 1_000,
  'controller.quorum.request.timeout.ms': 2_000,
  'broker.session.timeout.ms': 9_000,
} as const;

/** Pause between probe attempts, so a leaderless moment is not a busy loop. */
const PROBE_PAUSE_MS = 200;
/** How often the quorum watch looks at the live node events. */
const QUORUM_POLL_MS = 100;
/** How often it reads the nodes' event files where events are files (a read of every node's file). */
const QUORUM_PEEK_MS = 500;

/** One of the nodes' timeouts: the setting given, else quorumd's default. */
export function nodeTimeoutMs(nodeConfig: Readonly<Record<string, string>>, key: keyof typeof NODE_DEFAULTS_MS): number {
  const value = Number(nodeConfig[key]);
  return nodeConfig[key] !== undefined && Number.isFinite(value) && value > 0 ? value : NODE_DEFAULTS_MS[key];
}

/**
 * When leadership must have settled after the heal at `healedAtMs` (StableLeadership): nodes the
 * heal started again have come back (the world's restart allowance: 0 in the simulator, where a
 * restart is instant; in Docker a container's process start and its node's recovery, 10 s), a
 * follower that lost its leader just before the heal still has its fetch timeout run out, and the
 * election that may start then takes up to an election timeout. In Docker with quorumd's defaults
 * that is 13 s after the heal, and the recovery phase watches until the quorum bound (22 s).
 */
export function leadershipSettledAtMs(nodeConfig: Readonly<Record<string, string>>, healedAtMs: number, restartAllowanceMs = 0): number {
  return healedAtMs + restartAllowanceMs + nodeTimeoutMs(nodeConfig, 'controller.quorum.fetch.timeout.ms') +
    nodeTimeoutMs(nodeConfig, 'controller.quorum.election.timeout.ms');
}

/**
 * When StableLeadership starts judging with quorumd's default timeouts, in words, for
 * `quorumcheck run --help`: `dockerRestartAllowanceMs` is the Docker world's restart allowance.
 */
export function stableLeadershipWindowNote(dockerRestartAllowanceMs: number): string {
  return `${leadershipSettledAtMs({}, 0) / 1000} s after the heal in the simulator, ${leadershipSettledAtMs({}, 0, dockerRestartAllowanceMs) / 1000} s in Docker`;
}

export function recoveryBoundMs(nodeConfig: Readonly<Record<string, string>>, requestTimeoutMs: number, restartAllowanceMs: number): number {
  const setting = (key: keyof typeof NODE_DEFAULTS_MS): number => nodeTimeoutMs(nodeConfig, key);
  return restartAllowanceMs + setting('controller.quorum.fetch.timeout.ms') +
    3 * (setting('controller.quorum.election.timeout.ms') + setting('controller.quorum.election.backoff.max.ms')) +
    setting('broker.session.timeout.ms') + requestTimeoutMs;
}

/** The quorum bound (see the module comment): within it of the heal, every voter is back. */
export function quorumBoundMs(nodeConfig: Readonly<Record<string, string>>, restartAllowanceMs: number): number {
  const setting = (key: keyof typeof NODE_DEFAULTS_MS): number => nodeTimeoutMs(nodeConfig, key);
  return restartAllowanceMs + 2 * setting('controller.quorum.fetch.timeout.ms') +
    3 * (setting('controller.quorum.election.timeout.ms') + setting('controller.quorum.election.backoff.max.ms')) +
    setting('controller.quorum.request.timeout.ms');
}

/**
 * `watchAfterHealMs` (--watch-after-heal): once the write and the quorum are settled, the phase goes
 * on until at least that long after the heal, the healed cluster left to itself, so that rules
 * judged from when leadership has settled (StableLeadership) have events to judge. 0: it ends as
 * soon as every voter is back.
 */
export async function recover(
  world: World, recorder: HistoryRecorder, clients: ClientPool, boundMs: number, quorumBound: number, watchAfterHealMs = 0,
): Promise<RecoveryOutcome> {
  const clock = world.clock;
  await world.healAll();
  const healedAtMs = clock.nowMs();
  recorder.nemesis('heal-all', { nodes: world.topology.nodes.map((node) => node.id) }, healedAtMs);
  const deadlineMs = healedAtMs + boundMs;
  let leaderMs: number | null = null;
  let attempts = 0;
  let lastAnswer = 'no answer yet';
  let process = clients.freshProcess();
  let client = await world.openClient(process);
  try {
    while (clock.nowMs() < deadlineMs) {
      if (leaderMs === null && (await world.leader()) !== null) leaderMs = clock.nowMs() - healedAtMs;
      attempts += 1;
      const completion = await clients.invokeRecorded(process, client, clients.source.probe(attempts));
      lastAnswer = completion.type === 'ok' ? `ok ${JSON.stringify(completion.value)}` : `${completion.type} ${completion.error}`;
      const doneMs = clock.nowMs();
      if (clients.source.acknowledges(completion) && doneMs <= deadlineMs) {
        const recoveryMs = doneMs - healedAtMs;
        return {
          ok: true, healedAtMs, leaderMs: leaderMs ?? recoveryMs, recoveryMs, boundMs, restartAllowanceMs: world.restartAllowanceMs, attempts,
          message: `a leader and an acknowledged write ${Math.round(recoveryMs)} ms after healing every fault (bound ${boundMs} ms)`,
          quorum: await watchAfterHeal(world, healedAtMs, watchAfterHealMs, await watchQuorum(world, healedAtMs, quorumBound)),
        };
      }
      if (completion.type === 'info') {
        await client.close();
        process = clients.freshProcess();
        client = await world.openClient(process);
      }
      await clock.sleep(PROBE_PAUSE_MS);
    }
  } finally {
    await client.close();
  }
  const leader = await world.leader();
  return {
    ok: false, healedAtMs, leaderMs, recoveryMs: null, boundMs, restartAllowanceMs: world.restartAllowanceMs, attempts,
    message: `no write acknowledged within ${boundMs} ms of healing every fault (leader now: ` +
      `${leader === null ? 'none' : `node ${leader.nodeId}, epoch ${leader.epoch}`}; ${attempts} attempts, the last answered: ${lastAnswer})`,
    quorum: await watchAfterHeal(world, healedAtMs, watchAfterHealMs,
      { boundMs: quorumBound, voters: await currentVoters(world), watchedUntilMs: world.clock.nowMs(), quorumMs: null }),
  };
}

/** The quorum watch, extended to `watchAfterHealMs` after the heal (--watch-after-heal) if it ended sooner. */
async function watchAfterHeal(world: World, healedAtMs: number, watchAfterHealMs: number, watch: QuorumWatch): Promise<QuorumWatch> {
  const untilMs = healedAtMs + watchAfterHealMs;
  if (world.clock.nowMs() >= untilMs) return watch;
  // A wall timer may fire a fraction of a ms before the monotonic clock says it is due.
  while (world.clock.nowMs() < untilMs) await world.clock.sleep(untilMs - world.clock.nowMs());
  return { ...watch, watchedUntilMs: world.clock.nowMs() };
}

/**
 * After the write: until every voter is back or the quorum bound has passed. With live node
 * events the same tracker the judge uses says when; with event files, the tracker on a peek at
 * them; without either, the bound is waited out.
 */
async function watchQuorum(world: World, healedAtMs: number, quorumBound: number): Promise<QuorumWatch> {
  const clock = world.clock;
  const deadlineMs = healedAtMs + quorumBound;
  let voters = await currentVoters(world);
  const watched = (quorumMs: number | null): QuorumWatch => ({ boundMs: quorumBound, voters, watchedUntilMs: clock.nowMs(), quorumMs });
  // Nodes that give no event stream (etcd, Kafka) have nothing to watch: the quorum is not judged.
  if (world.nodeEvents === false) return watched(null);
  const events = world.liveNodeEvents?.();
  if (events !== undefined) {
    const tracker = new QuorumRejoinTracker(healedAtMs);
    let seen = 0;
    for (;;) {
      while (seen < events.length) tracker.observe(events[seen++]!);
      const { quorumMs } = tracker.result(voters);
      if (quorumMs !== null || clock.nowMs() >= deadlineMs) return watched(quorumMs);
      await clock.sleep(Math.min(QUORUM_POLL_MS, deadlineMs - clock.nowMs()));
      voters = await currentVoters(world, voters);
    }
  }
  if (world.peekNodeEvents === undefined) {
    await clock.sleep(deadlineMs - clock.nowMs());
    return watched(null);
  }
  for (;;) {
    // A live read of one node's file may predate another's: only a consistent cut ends the phase.
    if ((await peekedQuorumMs(world, healedAtMs, voters, false)) !== null) {
      const quorumMs = await peekedQuorumMs(world, healedAtMs, voters, true);
      if (quorumMs !== null) return watched(quorumMs);
    }
    if (clock.nowMs() >= deadlineMs) return watched(null);
    await clock.sleep(Math.min(QUORUM_PEEK_MS, deadlineMs - clock.nowMs()));
    voters = await currentVoters(world, voters);
  }
}

/**
 * ms from the heal until the last of `voters` was back, as the world's event files show it now;
 * null when one is not back yet, or the files could not be read (the watch then goes on, at worst
 * until the bound, as a world without a peek does).
 */
async function peekedQuorumMs(world: World, healedAtMs: number, voters: readonly number[], consistent: boolean): Promise<number | null> {
  let streams: readonly (readonly NodeEvent[])[];
  try {
    streams = await world.peekNodeEvents!({ consistent });
  } catch {
    return null;
  }
  const tracker = new QuorumRejoinTracker(healedAtMs);
  mergeStreams(streams, (event) => tracker.observe(event));
  return tracker.result(voters).quorumMs;
}

/** The voters: the leader's voter set where voters change (membership faults), else the topology's. */
async function currentVoters(world: World, known: readonly number[] = world.topology.controllers): Promise<number[]> {
  if (world.membership === undefined) return [...known];
  const voters = await world.membership.voters();
  return voters === null ? [...known] : voters.map((voter) => voter.nodeId).sort((a, b) => a - b);
}
