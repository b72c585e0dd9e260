/**
 * StableLeadership judged on containers' node event logs (nightly: two 5-node clusters, about a
 * minute each). KIP-996's ping-pong partition, as the simulator runs it (test/sim/ping-pong.test.ts),
 * around the leader C: links A–C, B–D, C–D, C–E, D–E only, so C keeps a majority (A, D, E) while B
 * hears only D. With pre-vote, D (which hears from its leader) refuses B's pre-votes and C leads
 * throughout, the partition and the heal after it; with the pre-vote-off bug switch B stands again
 * and again in new epochs, D follows it, and leadership flaps: the rule must fail.
 *
 * The rule is armed when leadership must have settled after the partition is in place
 * (leadershipSettledAtMs: a fetch timeout for a follower that lost its leader just before, and an
 * election timeout; no node restarts here, so no restart allowance), on the world's clock, which
 * the nodes' event stamps share.
 */
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../src/checker/invariants/invariant-checker.js';
import { describeViolation, type Violation } from '../src/checker/invariants/violation.js';
import { grudgeFromLinks, HEALED } from '../src/faults/grudge.js';
import { mergeStreams } from '../src/run/checks/invariants.js';
import { leadershipSettledAtMs } from '../src/run/recovery.js';
import { openDockerWorld } from '../src/run/worlds/docker-world.js';
import { planTopology } from '../src/run/world.js';
import { eventually } from '../test/harness/support/eventually.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../test/support/docker-context.js';
import { conformanceLevel } from './support/topologies.js';

const engine = await dockerEngineForTests();
const level = conformanceLevel();

const VOTERS = [1, 2, 3, 4, 5];
/** How long the partition is held: several election timeouts, for B to stand again and again. */
const HOLD_MS = 20_000;
/** Watched after the heal: B comes back and must find the leader without an election. */
const AFTER_HEAL_MS = 5_000;

interface Judged {
  leader: number;
  violations: Violation[];
  leaders: number;
}

async function pingPong(nodeConfig: Record<string, string>): Promise<Judged> {
  const image = await quorumdImageForTests();
  await using world = await openDockerWorld({ topology: planTopology(5, 'combined'), nodeConfig, seed: 996, log: () => {} }, { image });
  const first = await eventually(async () => (await world.leader()) ?? Promise.reject(new Error('no leader yet')), 120);
  // A, B, D, E follow the leader around the ring of ids, as Kafka places them.
  const at = (step: number): number => VOTERS[(VOTERS.indexOf(first.nodeId) + step) % VOTERS.length]!;
  const [a, b, c, d, e] = [at(1), at(2), first.nodeId, at(3), at(4)];
  await world.applyGrudge(grudgeFromLinks(VOTERS, [[a, c], [b, d], [c, d], [c, e], [d, e]]));
  const settledAtMs = leadershipSettledAtMs(nodeConfig, world.clock.nowMs());
  await world.clock.sleep(HOLD_MS);
  await world.applyGrudge(HEALED);
  await world.clock.sleep(AFTER_HEAL_MS);
  const logs = await world.collectNodeLogs(null);
  const checker = new InvariantChecker({ voters: VOTERS });
  checker.expectStableLeadership(Math.round(settledAtMs * 1e6));
  mergeStreams(logs.map((log) => log.events), (event) => checker.observe(event));
  return {
    leader: c,
    violations: checker.finish([]).filter((violation) => violation.rule === 'StableLeadership'),
    leaders: logs.flatMap((log) => log.events).filter((event) => event.kind === 'became-leader' && event.timeNs >= settledAtMs * 1e6).length,
  };
}

describe.skipIf(!engine.available || level !== 'nightly')('StableLeadership in containers (KIP-996 ping-pong)', () => {
  it('holds with pre-vote: the leader keeps leading through the partition and the heal', { timeout: imageBuildTimeoutMs + 180_000 }, async () => {
    const judged = await pingPong({});
    expect(judged.violations.map(describeViolation)).toEqual([]);
    expect(judged.leaders, `leaders elected after leadership settled (leader ${judged.leader})`).toBe(0);
  });

  it('fails with pre-vote-off: leadership flaps while the partition is held', { timeout: imageBuildTimeoutMs + 180_000 }, async () => {
    const judged = await pingPong({ 'unsafe.bug.switches': 'pre-vote-off', 'unsafe.bug.switches.enable': 'true' });
    expect(judged.violations.length, `leader ${judged.leader}; ${judged.leaders} leaders elected after it settled`).toBeGreaterThan(0);
    console.log(`pre-vote-off in containers: ${describeViolation(judged.violations[0]!)}`);
  });
});
