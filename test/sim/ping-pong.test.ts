/**
 * KIP-996's "ping-pong" partition, as Kafka's RaftEventSimulationTest runs it: 5 voters linked
 * only A–C, B–D, C–D, C–E, D–E. The leader at C still has a majority (A, D, E), while B hears only
 * D. Without pre-vote B keeps standing in new epochs, D follows it into them and leaves C, and
 * leadership flaps between C and D for as long as the partition lasts; with pre-vote, D (which
 * still hears from its leader) refuses B's pre-votes and nothing changes. StableLeadership judges
 * it: from the moment the partition is in place, the settled leader must keep leading.
 *
 * Each scenario runs with quorumd as it is and with the pre-vote-off bug switch, which must fail.
 */
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../../src/checker/invariants/invariant-checker.js';
import type { Violation } from '../../src/checker/invariants/violation.js';
import { grudgeFromLinks } from '../../src/faults/grudge.js';
import { pingPong } from '../../src/faults/partition-shapes.js';
import { quorumNodeCore } from '../../src/sim/quorum-node-core.js';
import { simClusterConfig } from '../../src/sim/sim-cluster-config.js';
import { Simulation, type SimulationOutcome } from '../../src/sim/simulation.js';

const VOTERS = [1, 2, 3, 4, 5];
const PRE_VOTE_OFF = { bugSwitches: ['pre-vote-off'], unsafeBugSwitchesEnabled: true };
const SEEDS = [1, 2, 3];

/** Every StableLeadership violation in the run, judged from `settledAtMs`; and the run's leaders. */
function judge(outcome: SimulationOutcome, settledAtMs: number): { violations: Violation[]; leaders: number } {
  const checker = new InvariantChecker({ voters: VOTERS });
  checker.expectStableLeadership(settledAtMs * 1e6);
  for (const event of outcome.events) checker.observe(event);
  return {
    violations: checker.finish([]).filter((violation) => violation.rule === 'StableLeadership'),
    leaders: outcome.events.filter((event) => event.kind === 'became-leader').length,
  };
}

function simulation(seed: number, core: Readonly<Record<string, unknown>>): Simulation {
  const config = simClusterConfig({ seed, voters: VOTERS, observers: [], conditions: [], core });
  return new Simulation(config, quorumNodeCore(core));
}

/** Kafka's leadershipWillNotChangeDuringNetworkPartitionIfMajorityStillReachable: the leader sits at C. */
function leaderAtC(seed: number, core: Readonly<Record<string, unknown>>): { outcome: SimulationOutcome; leader: number | null } {
  const sim = simulation(seed, core);
  const partitionAtMs = 5_000;
  let leader: number | null = null;
  sim.at(partitionAtMs, (controls) => {
    leader = controls.leader();
    if (leader === null) return;
    // A, B, D, E follow the leader around the ring of ids, as Kafka places them.
    const at = (step: number): number => VOTERS[(VOTERS.indexOf(leader!) + step) % VOTERS.length]!;
    const [a, b, c, d, e] = [at(1), at(2), leader, at(3), at(4)];
    controls.partition(grudgeFromLinks(VOTERS, [[a, c], [b, d], [c, d], [c, e], [d, e]]));
  });
  return { outcome: sim.runScript(40_000), leader };
}

/** Kafka's leadershipAssignedOnlyOnceWithNetworkPartitionIfThereExistsMajority: partitioned from the start. */
function partitionedFromTheStart(seed: number, core: Readonly<Record<string, unknown>>): SimulationOutcome {
  const sim = simulation(seed, core);
  sim.at(0, (controls) => controls.partition(pingPong(VOTERS)));
  return sim.runScript(40_000);
}

describe('the ping-pong partition (KIP-996)', () => {
  it.each(SEEDS)('a leader at C keeps leading with pre-vote, and flaps without it (seed %i)', (seed) => {
    const healthy = leaderAtC(seed, {});
    expect(healthy.leader, 'a leader was elected before the partition').not.toBeNull();
    expect(healthy.outcome.violations).toEqual([]);
    const stable = judge(healthy.outcome, 5_000);
    expect(stable.violations.map((violation) => violation.message)).toEqual([]);
    expect(stable.leaders, 'one election, before the partition').toBe(1);

    const broken = leaderAtC(seed, PRE_VOTE_OFF);
    const flapping = judge(broken.outcome, 5_000);
    expect(flapping.violations.length, 'pre-vote off: StableLeadership must fail').toBeGreaterThan(0);
    expect(flapping.leaders).toBeGreaterThan(1);
  });

  it.each(SEEDS)('partitioned from the start, one leader is elected and keeps leading; without pre-vote it flaps (seed %i)', (seed) => {
    const healthy = partitionedFromTheStart(seed, {});
    expect(healthy.violations).toEqual([]);
    const stable = judge(healthy, 0);
    expect(stable.violations.map((violation) => violation.message)).toEqual([]);
    expect(stable.leaders).toBe(1);
    // The leader is one of C, D, E: the nodes that hear a majority.
    const leader = healthy.events.find((event) => event.kind === 'became-leader')!.node;
    expect([3, 4, 5]).toContain(leader);

    const flapping = judge(partitionedFromTheStart(seed, PRE_VOTE_OFF), 0);
    expect(flapping.violations.length, 'pre-vote off: StableLeadership must fail').toBeGreaterThan(0);
  });
});
