/**
 * Raft's Election Safety: at most one leader is elected in an epoch. Checked under the faults that
 * make it hard: leaders crash, so every follower's fetch timeout runs out at nearly the same moment
 * and elections split; and a voter crashes right after it grants a vote and comes back 5 ms later,
 * so a vote that was not durable would be forgotten and could go to a second candidate. The same
 * scenario with the vote-before-persist bug switch must find two leaders in one epoch, or the test
 * no longer tests its rule.
 */
import { describe, expect, it } from 'vitest';
import { TinyCluster } from '../../support/tiny-cluster.js';

const VOTERS = [1, 2, 3, 4, 5];
const SEEDS = Array.from({ length: 20 }, (_, index) => index + 1);
/** Messages take this long, so vote requests of rival candidates cross. */
const LATENCY_MS = 20;
const RUN_MS = 30_000;
const LEADER_CRASH_EVERY_MS = 3_000;
const VOTER_DOWN_MS = 5;

/**
 * Every epoch in which more than one node became leader, as "epoch: nodes", and the error that
 * stopped the run early, if one did: under the bug switch a node may stop on a log the second
 * leader wrote over (its metadata image refuses a record), and the elections until then count.
 */
function electionsWithTwoLeaders(overrides: Record<string, unknown>, seed: number): { twoLeaders: string[]; stoppedBy?: string } {
  const cluster = new TinyCluster(VOTERS, [], overrides, seed, LATENCY_MS);
  let stoppedBy: string | undefined;
  try {
    runWithCrashes(cluster);
  } catch (error) {
    stoppedBy = `${String(error)} at ${cluster.nowMs} ms`;
  }
  const leadersByEpoch = new Map<number, Set<number>>();
  for (const event of cluster.events) {
    if (event.kind !== 'became-leader') continue;
    leadersByEpoch.set(event.epoch, (leadersByEpoch.get(event.epoch) ?? new Set()).add(event.node));
  }
  const twoLeaders = [...leadersByEpoch].filter(([, leaders]) => leaders.size > 1).map(([epoch, leaders]) => `${epoch}: ${[...leaders].join(',')}`);
  return stoppedBy === undefined ? { twoLeaders } : { twoLeaders, stoppedBy };
}

function runWithCrashes(cluster: TinyCluster): void {
  let seenEvents = 0;
  let nextLeaderCrashMs = LEADER_CRASH_EVERY_MS;
  const restarts: { atMs: number; node: number }[] = [];
  while (cluster.nowMs < RUN_MS) {
    const untilMs = Math.min(RUN_MS, nextLeaderCrashMs, ...restarts.map((restart) => restart.atMs));
    cluster.run(untilMs, () => cluster.events.slice(seenEvents).some((event) => event.kind === 'vote-granted'));
    for (const event of cluster.events.slice(seenEvents)) {
      // A crash right after a vote: the voter is back before the election is over.
      if (event.kind === 'vote-granted' && !cluster.down.has(event.node)) {
        cluster.crash(event.node);
        restarts.push({ atMs: cluster.nowMs + VOTER_DOWN_MS, node: event.node });
      }
    }
    seenEvents = cluster.events.length;
    for (const restart of restarts.filter((entry) => entry.atMs <= cluster.nowMs)) {
      restarts.splice(restarts.indexOf(restart), 1);
      if (cluster.down.has(restart.node)) cluster.start(restart.node, true);
    }
    if (cluster.nowMs >= nextLeaderCrashMs) {
      nextLeaderCrashMs += LEADER_CRASH_EVERY_MS;
      for (const leader of cluster.leaders()) {
        cluster.crash(leader);
        restarts.push({ atMs: cluster.nowMs + LEADER_CRASH_EVERY_MS / 2, node: leader });
      }
    }
  }
}

describe('Election Safety', () => {
  it('at most one leader is elected in an epoch, with leaders crashing and voters crashing right after they vote', () => {
    for (const seed of SEEDS) expect(electionsWithTwoLeaders({}, seed), `seed ${seed}`).toEqual({ twoLeaders: [] });
  });

  it('the same scenario finds two leaders in one epoch when votes are not persisted first (vote-before-persist)', () => {
    // With the core's own assertion off (a leader told of a rival in its epoch stops the node),
    // so that it is this test's check that catches the second leader.
    const broken = { bugSwitches: ['vote-before-persist', 'safety-assertions-off'], unsafeBugSwitchesEnabled: true };
    const failing = SEEDS.filter((seed) => electionsWithTwoLeaders(broken, seed).twoLeaders.length > 0);
    // 8 of the 20 when this was written. Since the leader's BeginQuorumEpoch heartbeat, seed 5
    // stops at 2.6 s, after epoch 1 got leaders 2 and 1: a node's metadata image refused a
    // committed record (UnfenceBroker of a broker it never registered).
    expect(failing.length, 'seeds of 20 with two leaders in one epoch').toBeGreaterThanOrEqual(4);
  });
});
