/**
 * The SimDriver runs a simulation for asynchronous callers: simulated time advances only while
 * some world promise is pending, continuations run at the simulated time their promise settled,
 * and a wait no event will ever end halts the driver instead of simulating forever.
 */
import { describe, expect, it } from 'vitest';
import { quorumNodeCore } from '../../src/sim/quorum-node-core.js';
import { simClusterConfig } from '../../src/sim/sim-cluster-config.js';
import { SimDriver } from '../../src/sim/sim-driver.js';
import { Simulation } from '../../src/sim/simulation.js';

function simulation(): Simulation {
  return new Simulation(simClusterConfig({ seed: 5, voters: [1, 2, 3], observers: [], conditions: [] }), quorumNodeCore());
}

describe('SimDriver (seed 5)', () => {
  it('continuations run at the simulated time their promise settled, chains included', async () => {
    const sim = simulation();
    const driver = new SimDriver(sim, { simulatedMsMax: 60_000 });
    const seen: number[] = [];
    const chain = async (): Promise<void> => {
      await driver.sleep(100);
      seen.push(sim.nowMs());
      await Promise.resolve();
      await (async () => { await null; })();
      seen.push(sim.nowMs());
      await driver.sleep(250);
      seen.push(sim.nowMs());
    };
    await Promise.all([chain(), driver.sleep(50).then(() => seen.push(sim.nowMs()))]);
    expect(seen).toEqual([50, 100, 100, 350]);
    driver.stop();
  });

  it('simulated time stands still while nothing waits on it (real IO, the checker)', async () => {
    const sim = simulation();
    const driver = new SimDriver(sim, { simulatedMsMax: 60_000 });
    await driver.sleep(1_000);
    const atMs = sim.nowMs();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sim.nowMs()).toBe(atMs);
    await driver.sleep(10);
    expect(sim.nowMs()).toBe(atMs + 10);
    driver.stop();
  });

  it('a wait no event will end halts the driver with a reason', async () => {
    const sim = simulation();
    const driver = new SimDriver(sim, { simulatedMsMax: 5_000 });
    void driver.wait<void>(() => undefined);
    expect(await driver.halted).toMatch(/^the run was still waiting after 5000 simulated ms/);
  });
});
