import { describe, expect, it } from 'vitest';
import { isolate } from '../../src/faults/partition-shapes.js';
import { SeededRandom } from '../../src/sim/random.js';
import { QUIET_NETWORK, SimNetwork } from '../../src/sim/sim-network.js';

const SEED = 4242;

/** The delays of the copies `drawDelivery` says arrive. */
function deliveryDelaysMs(network: SimNetwork): number[] {
  const copies = network.drawDelivery();
  return copies === 0 ? [] : copies === 1 ? [network.firstDelayMs] : [network.firstDelayMs, network.secondDelayMs];
}

describe(`SimNetwork (seed ${SEED})`, () => {
  it('delivers every message once within the delay bounds on a quiet network', () => {
    const network = new SimNetwork({ ...QUIET_NETWORK, delayMsMin: 2, delayMsMax: 9 }, SeededRandom.fromSeed(SEED));
    const delays = Array.from({ length: 1000 }, () => deliveryDelaysMs(network));
    expect(delays.every((copies) => copies.length === 1)).toBe(true);
    const flat = delays.flat();
    expect(Math.min(...flat)).toBe(2);
    expect(Math.max(...flat)).toBe(9);
  });

  it('loses, duplicates and reorders at about the configured rates', () => {
    const network = new SimNetwork({
      delayMsMin: 1, delayMsMax: 5, lossProbability: 0.2, duplicateProbability: 0.1, reorderProbability: 0.1, slowDelayMsMax: 500,
    }, SeededRandom.fromSeed(SEED));
    const copies = Array.from({ length: 10_000 }, () => deliveryDelaysMs(network));
    expect(network.counters.lost / 10_000).toBeCloseTo(0.2, 1);
    expect(copies.filter((c) => c.length === 2).length / 8_000).toBeCloseTo(0.1, 1);
    // Slow copies arrive after fast ones sent later: that is the reordering.
    expect(copies.flat().some((delay) => delay > 100)).toBe(true);
  });

  it('applies the grudge in force at delivery, one direction at a time', () => {
    const network = new SimNetwork(QUIET_NETWORK, SeededRandom.fromSeed(SEED));
    expect(network.deliverable(1, 2)).toBe(true);
    network.partition(new Map([[2, new Set([1])]]));
    expect(network.deliverable(1, 2)).toBe(false);
    expect(network.deliverable(2, 1)).toBe(true);
    network.partition(isolate([1, 2, 3], 3));
    expect([network.deliverable(3, 1), network.deliverable(1, 3), network.deliverable(1, 2)]).toEqual([false, false, true]);
    expect(network.counters.droppedByPartition).toBe(3);
  });

  it('rejects a bad configuration by name', () => {
    expect(() => new SimNetwork({ ...QUIET_NETWORK, lossProbability: 2 }, SeededRandom.fromSeed(1))).toThrow('lossProbability must be in [0, 1]');
    expect(() => new SimNetwork({ ...QUIET_NETWORK, delayMsMax: 0 }, SeededRandom.fromSeed(1))).toThrow('delayMsMax');
  });
});
