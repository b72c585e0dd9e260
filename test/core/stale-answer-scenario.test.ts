/**
 * The incarnation checks, shown in the simulator: an answer meant for a node's previous
 * incarnation reaches its next one, whose forward of the same id is open. The stale-answer
 * regression seeds (simulator-regressions.test.ts) reach that situation but stay valid without
 * the checks: every stale answer they meet is a not-controller refusal of a broker registration,
 * which the new registration takes harmlessly and retries (read with a probe over 30018, 30830,
 * 32535, 32680 and 32891). This scripted run makes the stale answer one that lies:
 * - follower F creates topic `taken` through leader L; then L is paused and F asks again: the
 *   forward waits in L's queue;
 * - F is killed and restarted: its forward ids start again from 1, its broker registration first,
 *   then a client's creates of `fresh-1`, `fresh-2`, ... go to L, paused, in that order;
 * - L resumes, refuses F's old create (TOPIC_ALREADY_EXISTS, answered once its NoOp commits) and
 *   answers it to F's previous incarnation, under a forward id that names one of the new creates.
 * A core without the checks (modelled by the probe, which rewrites the answer's incarnation on the
 * way in) answers that create TOPIC_ALREADY_EXISTS for a topic nobody created: the second run
 * asserts it does, so the scenario cannot pass vacuously; the real core answers every create ok.
 * The bug switch incarnation-check-off, run the same way, must lie exactly as that probe does.
 */
import { describe, expect, it } from 'vitest';
import type { ClientResponse } from '../../src/core/host-interface.js';
import type { MetadataOperation } from '../../src/core/metadata/index.js';
import { quorumNodeCore } from '../../src/sim/quorum-node-core.js';
import { simClusterConfig } from '../../src/sim/sim-cluster-config.js';
import { Simulation, type ScriptControls } from '../../src/sim/simulation.js';
import { staleAnswerProbe, type StaleAnswerProbe } from '../support/stale-answer-probe.js';

const FRESH_TOPICS = 12;
/**
 * Seeds whose drawn message delays bring the stale refusal to the follower before the new
 * forward's own answer (of seeds 1-12: 1, 6, 7, 9 and 11; in the others the real answer comes
 * first and the stale one finds no open forward). The first assertion says when a seed drifts.
 */
const SEEDS = [1, 6, 7];
const CALL_TIMEOUT_MS = 10_000;

interface Played {
  probe: StaleAnswerProbe;
  /** Each fresh topic's create, as the client heard it: 'created', the error code, or how the call ended. */
  fresh: Map<string, string>;
  leader: number;
  follower: number;
}

/**
 * Runs the simulation to `endMs` a millisecond at a time, letting the clients' promises settle in
 * between (runScript runs in one go, and a client call answers through a promise).
 */
async function runTo(sim: Simulation, endMs: number): Promise<void> {
  for (let t = sim.nowMs(); t <= endMs; t++) {
    sim.runUntil(t);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The bug switch that removes the checks from the core itself (bug-switches.ts). */
const CHECKS_OFF = { bugSwitches: ['incarnation-check-off'], unsafeBugSwitchesEnabled: true };

async function play(seed: number, withoutIncarnationChecks: boolean, core: Readonly<Record<string, unknown>> = {}): Promise<Played> {
  const config = simClusterConfig({ seed, voters: [1, 2, 3], observers: [], conditions: [], core });
  const probe = staleAnswerProbe(quorumNodeCore(config.core), { withoutIncarnationChecks });
  const sim = new Simulation(config, probe.makeCore);
  const fresh = new Map<string, string>();
  let leader = 0;
  let follower = 0;
  const call = (node: number, operation: MetadataOperation, heard: (what: string) => void): void => {
    sim.clientCall(node, CALL_TIMEOUT_MS, (port) => port.submit(operation), (outcome) => {
      if (outcome.kind !== 'answer') return heard(outcome.kind);
      const response = outcome.value as ClientResponse;
      if (response.outcome !== 'ok') return heard(`${response.outcome} ${response.error.code}`);
      const result = response.result as { ok: boolean; error?: string };
      heard(result.ok ? 'created' : String(result.error));
    });
  };
  sim.at(3_000, (controls: ScriptControls) => {
    leader = controls.leader()!;
    follower = [1, 2, 3].find((id) => id !== leader)!;
    call(follower, { type: 'createTopic', name: 'taken', numPartitions: 1, replicationFactor: 3 }, () => undefined);
  });
  sim.at(4_000, (controls) => {
    controls.pause(leader);
    call(follower, { type: 'createTopic', name: 'taken', numPartitions: 1, replicationFactor: 3 }, () => undefined);
  });
  sim.at(4_100, (controls) => controls.crash(follower));
  sim.at(4_200, (controls) => controls.restart(follower));
  sim.at(4_400, () => {
    for (let i = 1; i <= FRESH_TOPICS; i++) {
      const name = `fresh-${i}`;
      call(follower, { type: 'createTopic', name, numPartitions: 1, replicationFactor: 3 }, (what) => fresh.set(name, what));
    }
  });
  sim.at(4_800, (controls) => controls.resume(leader));
  await runTo(sim, 20_000);
  expect(sim.crashDetail).toBeNull();
  return { probe, fresh, leader, follower };
}

describe('an answer meant for a restarted node\'s previous incarnation (scripted simulator run)', () => {
  for (const seed of SEEDS) {
    it(`is not taken by the new incarnation's forward of the same id: every fresh create is answered created (seed ${seed})`, async () => {
      const real = await play(seed, false);
      expect(real.leader).not.toBe(0);
      expect(real.probe.meetings.get('forward-response') ?? 0, 'the stale answer met an open forward of the same id').toBeGreaterThan(0);
      expect([...real.fresh.values()]).toEqual(Array.from({ length: FRESH_TOPICS }, () => 'created'));
      // The same run on a core without the checks: a fresh create takes the stale refusal.
      const blind = await play(seed, true);
      expect([...blind.fresh.entries()].filter(([, what]) => what === 'TOPIC_ALREADY_EXISTS').map(([name]) => name),
        'without the incarnation checks a fresh topic is answered TOPIC_ALREADY_EXISTS').toHaveLength(1);
      // The bug switch is that core: the same run with it on, and no probe rewriting, lies the same way.
      const switched = await play(seed, false, CHECKS_OFF);
      expect([...switched.fresh.entries()].filter(([, what]) => what === 'TOPIC_ALREADY_EXISTS').map(([name]) => name),
        'with incarnation-check-off a fresh topic is answered TOPIC_ALREADY_EXISTS').toEqual([...blind.fresh.entries()]
        .filter(([, what]) => what === 'TOPIC_ALREADY_EXISTS').map(([name]) => name));
    });
  }
});
