/**
 * The process and clock fault mechanisms on real containers, with small stand-in programs: a
 * greeter (answers each connection with its start count) and a clock (answers with its wall
 * clock). Partitions and packet loss are covered with the cluster (test/harness/cluster).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuorumCluster } from '../../../src/harness/cluster/quorum-cluster.js';
import type { StartedQuorumCluster } from '../../../src/harness/cluster/started-quorum-cluster.js';
import { ClockFaults, strobePeriodMsMin } from '../../../src/harness/nemesis/clock-faults.js';
import { startNode, stopNode } from '../../../src/harness/nemesis/graceful-stop.js';
import { killNode, restartNode } from '../../../src/harness/nemesis/process-kill.js';
import { pauseNode, resumeNode } from '../../../src/harness/nemesis/process-pause.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';
import { clockNodeProgram, clockSkewMs, waitForSkew } from '../cluster/clock-node-program.js';
import { echoNodeProgram } from '../cluster/echo-node-program.js';
import { readGreeting } from '../cluster/tcp-greeting.js';
import { eventually } from '../support/eventually.js';

const engine = await dockerEngineForTests();

describe.skipIf(!engine.available)('process faults', () => {
  let cluster: StartedQuorumCluster;
  beforeAll(async () => {
    cluster = await new QuorumCluster({ image: await quorumdImageForTests(), nodeCount: 2, program: echoNodeProgram() }).start();
  }, imageBuildTimeoutMs);
  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(['freezer', 'signal'] as const)('pause (%s) silences a node with its port still open; resume brings it back', async (mode) => {
    const node = cluster.node(2);
    await pauseNode(cluster, 2, mode);
    try {
      expect(await node.isPaused()).toBe(mode === 'freezer');
      await expect(readGreeting(node.bridgeAddress, 9092, 1_000)).rejects.toThrow(/no greeting/);
    } finally {
      await resumeNode(cluster, 2, mode);
    }
    expect(await readGreeting(node.bridgeAddress, 9092)).toMatch(/^node2 /);
  });

  it('kill -9 ends the node at once; restart brings it back from its own disk', async () => {
    const node = cluster.node(1);
    await killNode(cluster, 1);
    expect(await node.isRunning()).toBe(false);
    await restartNode(cluster, 1);
    expect(await eventually(() => readGreeting(node.bridgeAddress, 9092))).toBe(`node1 ${node.bridgeAddress} start 2`);
  });

  it('a graceful stop leaves the container; start brings the node back', async () => {
    const node = cluster.node(2);
    await stopNode(cluster, 2, 2_000);
    expect(await node.isRunning()).toBe(false);
    await startNode(cluster, 2);
    expect(await eventually(() => readGreeting(node.bridgeAddress, 9092))).toMatch(/^node2 .* start 2$/);
  });
});

describe.skipIf(!engine.available)('clock faults', () => {
  let cluster: StartedQuorumCluster;
  let clocks: ClockFaults;
  const hourMs = 3_600_000;
  beforeAll(async () => {
    cluster = await new QuorumCluster({ image: await quorumdImageForTests(), nodeCount: 2, clockSkew: true, program: clockNodeProgram() }).start();
    clocks = new ClockFaults(cluster);
  }, imageBuildTimeoutMs);
  afterAll(async () => {
    await clocks?.reset();
    await cluster?.stop();
  });

  const skewMs = (nodeId: number): Promise<number> => clockSkewMs(cluster.node(nodeId).bridgeAddress);
  /** Tolerances are far below the offsets: the point is the direction and size of the jump. */
  const near = (targetMs: number) => (skew: number): boolean => Math.abs(skew - targetMs) < 60_000;

  it('bump moves one node\'s clock by the delta and keeps it there; a second bump adds to it', async () => {
    await clocks.bump(1, hourMs);
    expect(await waitForSkew(() => skewMs(1), near(hourMs))).toBeCloseTo(hourMs, -5);
    await clocks.bump(1, -2 * hourMs);
    expect(await waitForSkew(() => skewMs(1), near(-hourMs))).toBeCloseTo(-hourMs, -5);
    expect(Math.abs(await skewMs(2))).toBeLessThan(60_000);
    expect(clocks.offsets()).toEqual({ 1: -hourMs });
  });

  it('skew gives each node its own offset; reset puts every clock back', async () => {
    await clocks.skew(new Map([[1, 2 * hourMs], [2, -3 * hourMs]]));
    expect(await waitForSkew(() => skewMs(1), near(2 * hourMs))).toBeCloseTo(2 * hourMs, -5);
    expect(await waitForSkew(() => skewMs(2), near(-3 * hourMs))).toBeCloseTo(-3 * hourMs, -5);
    await clocks.reset();
    expect(await waitForSkew(() => skewMs(1), near(0))).toBeCloseTo(0, -5);
    expect(await waitForSkew(() => skewMs(2), near(0))).toBeCloseTo(0, -5);
    expect(clocks.offsets()).toEqual({});
  });

  it('strobe flips a clock between its offset and offset + delta, then stops by itself', { timeout: 30_000 }, async () => {
    await clocks.strobe(2, { deltaMs: hourMs, periodMs: 300, durationMs: 6_000 });
    const seen = new Set<string>();
    const endMs = Date.now() + 5_000;
    while (Date.now() < endMs) {
      const skew = await skewMs(2);
      seen.add(near(hourMs)(skew) ? 'ahead' : near(0)(skew) ? 'true' : `other ${skew}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect([...seen].sort()).toEqual(['ahead', 'true']);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await waitForSkew(() => skewMs(2), near(0))).toBeCloseTo(0, -5);
  });

  it('refuses a strobe faster than a timer can keep, and offsets beyond a day', async () => {
    await expect(clocks.strobe(1, { deltaMs: 1_000, periodMs: 5, durationMs: 1_000 })).rejects.toThrow(new RegExp(`at least ${strobePeriodMsMin} ms`));
    await expect(clocks.bump(1, 2 * 86_400_000)).rejects.toThrow(/within ±86400000/);
  });
});
