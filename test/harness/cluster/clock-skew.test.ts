import { beforeAll, describe, expect, it } from 'vitest';
import { faketimeOffset } from '../../../src/harness/cluster/clock-skew.js';
import { QuorumCluster } from '../../../src/harness/cluster/quorum-cluster.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';
import { clockNodeProgram, clockSkewMs, waitForSkew } from './clock-node-program.js';

describe('faketime offsets', () => {
  it("writes libfaketime's relative syntax with millisecond precision", () => {
    expect(faketimeOffset(0)).toBe('+0.000s');
    expect(faketimeOffset(1_250)).toBe('+1.250s');
    expect(faketimeOffset(-5)).toBe('-0.005s');
  });

  it('rejects fractions of a millisecond and skews beyond a day', () => {
    expect(() => faketimeOffset(0.5)).toThrow(/integer number of ms .* got 0.5/);
    expect(() => faketimeOffset(86_400_001)).toThrow(/within ±86400000, got 86400001/);
  });
});

const engine = await dockerEngineForTests();

const clockProgram = clockNodeProgram();

describe.skipIf(!engine.available)('clock skew in a container', () => {
  let image: string;
  beforeAll(async () => {
    image = await quorumdImageForTests();
  }, imageBuildTimeoutMs);

  it("moves the node program's wall clock by the offset, and back", async () => {
    await using cluster = await new QuorumCluster({ image, nodeCount: 1, clockSkew: true, program: clockProgram }).start();
    const node = cluster.node(1);
    const skewMs = (): Promise<number> => clockSkewMs(node.bridgeAddress);
    const hourMs = 3_600_000;
    // Tolerances are far below the offsets: the point is the direction and size of the jump.
    expect(Math.abs(await skewMs())).toBeLessThan(60_000);
    const near = (targetMs: number) => (skew: number): boolean => Math.abs(skew - targetMs) < 60_000;
    await node.setClockOffset(hourMs);
    expect(await waitForSkew(skewMs, near(hourMs))).toBeCloseTo(hourMs, -5);
    await node.setClockOffset(-hourMs);
    expect(await waitForSkew(skewMs, near(-hourMs))).toBeCloseTo(-hourMs, -5);
  });

  it('refuses to skew a node of a cluster started without clock skew', async () => {
    await using cluster = await new QuorumCluster({ image, nodeCount: 1, program: clockProgram }).start();
    await expect(cluster.node(1).setClockOffset(1_000)).rejects.toThrow(/needs a cluster started with clockSkew: true/);
  });
});
