/**
 * Where each bug switch shows: the run options (cluster, faults, conditions) under which the
 * suite catches it within a few seeds, per world. A switch that a sweep of default seeds catches
 * only once in thousands is a gap in the suite; its scenario here is the fault, workload or check
 * that closes the gap, never a reason to drop the switch.
 *
 * `crashAfterVote` (simulator only): a voter crashes right after it grants a vote and is back a
 * few ms later, the moment a vote that was not yet durable is forgotten (selftest-world.ts). In
 * containers the vote-kill nemesis does it (`--nemesis vote-kill`, an ordinary fault of the run),
 * and a container takes seconds to come back, so candidates there stay longer in their epoch.
 */
import { BUG_SWITCH_NAMES, type BugSwitch } from '../core/bug-switches.js';
import type { RunEnv } from '../history/run-directory-format.js';
import type { RunOptionsInput } from '../run/options.js';

export interface SwitchScenario {
  /** The run options besides the switch (env, seed and node config are added per run). */
  input: RunOptionsInput;
  /** Why these options: what must happen for the bug to show. */
  why: string;
  /** Crash a voter right after each vote it grants (simulator only). */
  crashAfterVote?: boolean;
}

/** Seconds of faults in a simulated selftest run: long enough for several leader changes. */
const SIM_TIME_LIMIT_MS = 20_000;
/** Against containers: each run costs a cluster's start, so runs are short and few. */
const DOCKER_TIME_LIMIT_MS = 30_000;

/**
 * Timeouts short enough that a partition of a few seconds outlasts a fetch timeout, an election
 * and the check-quorum bound (the fetch timeout stays above quorumd's 500 ms fetch max wait).
 */
const QUICK_TIMEOUTS: Readonly<Record<string, string>> = {
  'controller.quorum.fetch.timeout.ms': '800',
  'controller.quorum.election.timeout.ms': '400',
  'controller.quorum.election.backoff.max.ms': '400',
};

const SIM: Readonly<Record<BugSwitch, SwitchScenario>> = {
  'vote-before-persist': {
    input: { nodes: 5, roles: 'combined', nemesis: ['kill'], conditions: [], concurrency: 3, rate: 50 },
    crashAfterVote: true,
    why: 'leaders are killed, so elections happen, and a voter crashes right after it votes: the vote it forgot may go to a second candidate',
  },
  'vote-without-log-check': {
    input: {
      nodes: 3, roles: 'combined', nemesis: ['partition', 'kill'], partitionShapes: ['isolate-one'], conditions: [], concurrency: 4, rate: 200,
      faultLines: 2, nodeConfig: QUICK_TIMEOUTS,
    },
    why: 'a voter cut off falls behind while the leader is killed: when it returns, the voter left may elect it, and it cuts committed records away',
  },
  'commit-without-majority': {
    input: { nodes: 3, roles: 'combined', nemesis: ['partition'], conditions: [], concurrency: 4, rate: 100 },
    why: 'with 3 voters the leader counts itself a majority: its high watermark passes records no follower has',
  },
  'commit-before-own-epoch': {
    input: { nodes: 5, roles: 'combined', nemesis: ['kill', 'partition'], conditions: [], concurrency: 4, rate: 100, faultLines: 2 },
    why: 'leaders change while records of their predecessors are uncommitted, which a new leader must not commit before a record of its own epoch',
  },
  'check-quorum-off': {
    input: {
      nodes: 3, roles: 'combined', nemesis: ['partition'], partitionShapes: ['isolate-leader'], conditions: [], concurrency: 4, rate: 100,
      nodeConfig: QUICK_TIMEOUTS,
    },
    why: 'the leader is cut off for seconds (short timeouts, so a new leader is elected well within the partition): it must resign, or it keeps leading',
  },
  'pre-vote-off': {
    input: { nodes: 5, roles: 'combined', nemesis: ['partition'], conditions: [], concurrency: 3, rate: 50 },
    why: 'a voter cut off from the leader stands again and again; without pre-vote it disrupts the leader when it returns',
  },
  'read-without-read-index': {
    input: { nodes: 3, roles: 'combined', nemesis: ['partition'], conditions: [], concurrency: 4, rate: 200 },
    why: 'a node cut off from the leader answers reads from its stale image',
  },
  'ack-before-apply': {
    input: { nodes: 3, roles: 'combined', nemesis: [], conditions: ['loss'], concurrency: 4, rate: 200 },
    why: 'lost fetches delay a follower\'s high watermark, while the leader\'s answer to a forwarded write gets through',
  },
  'incarnation-check-off': {
    // Kills (a third of them behind a paused leader) and pauses, many clients: the default draw
    // caught it at seed 7 of 16 until leaders answered read rounds only to the voters a read waits
    // on (then first at seed 103); these options catch it at seeds 8, 20, 23 and 29 of 1-30.
    input: { nodes: 3, nemesis: ['kill', 'pause'], concurrency: 5, rate: 400 },
    why: 'kills behind a paused leader under 400 operations a second: a node killed twice behind the paused leader forwards ' +
      'under the same ids in both new incarnations, and the leader\'s answers to the first reach the second',
  },
};

/**
 * Candidates stay in their epoch 8 to 16 s: a voter killed right after its vote is back within that
 * (3 to 6 s for a container at load 25 to 40), while a rival candidate of the same epoch still asks it.
 */
const SLOW_ELECTIONS: Readonly<Record<string, string>> = {
  'controller.quorum.election.timeout.ms': '8000',
};

const DOCKER: Readonly<Partial<Record<BugSwitch, SwitchScenario>>> = {
  'vote-before-persist': {
    input: {
      nodes: 5, roles: 'combined', nemesis: ['partition', 'vote-kill'], partitionShapes: ['isolate-leader'], timeLimitMs: DOCKER_TIME_LIMIT_MS,
      concurrency: 5, rate: 100, nodeConfig: SLOW_ELECTIONS,
    },
    why: 'the leader is cut off, so its followers, fetching in step (100 writes a second), time out together and two may stand in one ' +
      'epoch; every vote kills its voter at once (vote-kill), and a voter that forgot its vote may give it again to the rival when it is back',
  },
  'vote-without-log-check': {
    input: {
      nodes: 3, roles: 'combined', nemesis: ['partition', 'kill'], partitionShapes: ['isolate-one'], timeLimitMs: DOCKER_TIME_LIMIT_MS,
      concurrency: 4, rate: 20, faultLines: 2, nodeConfig: QUICK_TIMEOUTS,
    },
    why: SIM['vote-without-log-check'].why,
  },
  'commit-without-majority': {
    input: { nodes: 3, roles: 'combined', nemesis: ['partition'], timeLimitMs: DOCKER_TIME_LIMIT_MS, concurrency: 4, rate: 20 },
    why: SIM['commit-without-majority'].why,
  },
  'commit-before-own-epoch': {
    input: {
      nodes: 3, roles: 'combined', nemesis: ['kill', 'partition'], timeLimitMs: DOCKER_TIME_LIMIT_MS, concurrency: 5, rate: 50,
      faultLines: 2, nodeConfig: QUICK_TIMEOUTS,
    },
    why: SIM['commit-before-own-epoch'].why,
  },
  'read-without-read-index': {
    input: { nodes: 3, roles: 'combined', nemesis: ['partition'], timeLimitMs: DOCKER_TIME_LIMIT_MS, concurrency: 4, rate: 20 },
    why: SIM['read-without-read-index'].why,
  },
};

/** The switches a world runs, in order: every one in the simulator; against containers, those with a scenario there. */
export function switchesFor(env: RunEnv): BugSwitch[] {
  return env === 'sim' ? [...BUG_SWITCH_NAMES] : BUG_SWITCH_NAMES.filter((name) => DOCKER[name] !== undefined);
}

export function scenarioFor(env: RunEnv, name: BugSwitch): SwitchScenario {
  const scenario = env === 'sim' ? SIM[name] : DOCKER[name];
  if (scenario === undefined) throw new RangeError(`bug switch ${name} has no scenario against containers (they run: ${switchesFor('docker').join(', ')})`);
  return { ...scenario, input: { ...(env === 'sim' ? { timeLimitMs: SIM_TIME_LIMIT_MS } : {}), ...scenario.input, env } };
}
