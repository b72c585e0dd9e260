/**
 * The Docker world keeps the World contract (src/run/world.ts) with real containers: every fault
 * is in force when its promise resolves and healAll undoes them all, clients complete every
 * operation, the leader comes from DescribeQuorum, node logs land in the run directory layout as
 * one consistent cut on the world's clock, a voter kept out after the heal fails the quorum check
 * at its bound (the recovery phase peeks at the event files live), a node dying on its own halts the world, and bad
 * set-up input is a WorldSetupError that leaves nothing running.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEventLogs } from '../../../src/checker/invariants/event-log-reader.js';
import { describeViolation } from '../../../src/checker/invariants/violation.js';
import { parseClockAnchor, parseNodeLogLine } from '../../../src/history/node-log-line.js';
import { completeGrudge, HEALED } from '../../../src/faults/grudge.js';
import { docker } from '../../../src/harness/docker/docker-cli.js';
import { listLabelledResources } from '../../../src/harness/docker/resource-labels.js';
import { judgeRun } from '../../../src/run/judge.js';
import { resolveRunOptions } from '../../../src/run/options.js';
import { executeRun, planRun } from '../../../src/run/pipeline.js';
import { SILENT } from '../../../src/run/progress.js';
import { openDockerWorld, type DockerWorld } from '../../../src/run/worlds/docker-world.js';
import { planTopology, WorldSetupError } from '../../../src/run/world.js';
import { dockerEngineForTests, imageBuildTimeoutMs, quorumdImageForTests } from '../../support/docker-context.js';
import { eventually } from '../../harness/support/eventually.js';

const engine = await dockerEngineForTests();
const log = (line: string): void => console.log(`[docker world] ${line}`);

describe.skipIf(!engine.available)('the docker world', () => {
  let world: DockerWorld;
  let runDir: string;

  beforeAll(async () => {
    const image = await quorumdImageForTests();
    world = await openDockerWorld({ topology: planTopology(3, 'combined'), nodeConfig: {}, seed: 7, log }, { image });
    runDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-docker-world-'));
  }, imageBuildTimeoutMs);

  afterAll(async () => {
    await world?.[Symbol.asyncDispose]();
    if (runDir !== undefined) await rm(runDir, { recursive: true, force: true });
  });

  it('names the system and image, and keeps a monotonic clock starting near 0', async () => {
    expect(world.kind).toBe('docker');
    expect(world.system).toBe('quorumd');
    expect(world.systemVersion).toMatch(/^image quorumd:/);
    const before = world.clock.nowMs();
    await world.clock.sleep(50);
    expect(world.clock.nowMs() - before).toBeGreaterThanOrEqual(49);
  });

  it('reports a leader and completes client operations', { timeout: 90_000 }, async () => {
    const leader = await eventually(async () => (await world.leader()) ?? Promise.reject(new Error('no leader yet')));
    expect([1, 2, 3]).toContain(leader.nodeId);
    const client = await world.openClient(1);
    try {
      const created = await eventually(async () => {
        const completion = await client.invoke({ f: 'create-topic', value: { name: 'alpha', partitions: 1 } });
        return completion.type === 'ok' ? completion : Promise.reject(new Error(JSON.stringify(completion)));
      });
      expect(created).toMatchObject({ type: 'ok', value: { created: true } });
      expect(await client.invoke({ f: 'list-topics', value: {} })).toMatchObject({ type: 'ok', value: { topics: ['alpha'] } });
    } finally {
      await client.close();
    }
  });

  it('isolating the leader makes the others elect a new one; healing restores every link', { timeout: 90_000 }, async () => {
    const before = await eventually(async () => (await world.leader()) ?? Promise.reject(new Error('no leader')));
    const others = [1, 2, 3].filter((id) => id !== before.nodeId);
    await world.applyGrudge(completeGrudge([[before.nodeId], others]));
    try {
      const after = await eventually(async () => {
        const found = await world.leader();
        return found !== null && found.epoch > before.epoch && others.includes(found.nodeId) ? found : Promise.reject(new Error(`still ${JSON.stringify(found)}`));
      });
      expect(others).toContain(after.nodeId);
    } finally {
      await world.applyGrudge(HEALED);
    }
    for (const node of world.cluster.nodes) expect(await node.packetFilterRules()).toEqual([]);
  });

  it('every fault is in force when it resolves, and healAll undoes them all', { timeout: 120_000 }, async () => {
    await world.applyGrudge(completeGrudge([[1], [2, 3]]));
    await world.setPacketLoss([2], 0.2);
    await world.kill(3);
    await world.pause(2);
    await world.setClockOffset(1, 60_000);
    expect(await world.cluster.node(3).isRunning()).toBe(false);
    expect(await world.cluster.node(1).packetFilterRules()).toHaveLength(2);
    expect((await world.cluster.node(2).packetFilterRules()).some((rule) => rule.includes('statistic'))).toBe(true);
    await world.healAll();
    for (const node of world.cluster.nodes) {
      expect(await node.isRunning()).toBe(true);
      expect(await node.isPaused()).toBe(false);
      expect(await node.packetFilterRules()).toEqual([]);
    }
    await world.stop(2);
    expect(await world.cluster.node(2).isRunning()).toBe(false);
    await world.strobeClock(1, 1_000, 50, 500);
    await world.healAll();
    expect(await world.cluster.node(2).isRunning()).toBe(true);
    // The cluster serves again after the heal.
    const client = await world.openClient(2);
    try {
      await eventually(async () => {
        const completion = await client.invoke({ f: 'describe-topic', value: { name: 'alpha' } });
        return completion.type === 'ok' ? completion : Promise.reject(new Error(JSON.stringify(completion)));
      });
    } finally {
      await client.close();
    }
  });

  it('collects node logs into the run directory, on the world\'s clock, and they hold the Raft invariants', { timeout: 60_000 }, async () => {
    const collected = await world.collectNodeLogs(runDir);
    expect(collected.map((node) => node.nodeId)).toEqual([1, 2, 3]);
    const nowNs = world.clock.nowMs() * 1e6;
    for (const node of collected) {
      expect(node.missing).toBeNull();
      expect(node.logFile).toBe(`nodes/${node.nodeId}.log`);
      expect(node.eventsFile).toBe(`nodes/${node.nodeId}.events.jsonl`);
      expect(node.events.length).toBeGreaterThan(0);
      expect(node.events.every((event) => event.timeNs >= 0 && event.timeNs <= nowNs)).toBe(true);
      const text = await readFile(path.join(runDir, node.logFile!), 'utf8');
      expect(text).toContain('Kafka listener');
      // The clock anchors are on the world's clock too.
      const anchorsNs = text.split('\n').map((line) => parseNodeLogLine(line)).filter((entry) => entry !== null)
        .map((entry) => parseClockAnchor(entry.message)).filter((anchor) => anchor !== null);
      expect(anchorsNs.length).toBeGreaterThanOrEqual(1);
      expect(anchorsNs.every((anchorNs) => anchorNs >= 0 && anchorNs <= nowNs), String(anchorsNs)).toBe(true);
    }
    const violations = await checkEventLogs(collected.map((node) => path.join(runDir, node.eventsFile!)), [1, 2, 3]);
    expect(violations.map(describeViolation)).toEqual([]);
    expect(await world.collectNodeLogs(null)).toHaveLength(3); // read only: nothing more written
  });

  it('a voter kept out after the heal keeps the recovery phase going to the quorum bound, where quorum-after-heal fails naming it', { timeout: 120_000 }, async () => {
    const options = resolveRunOptions({ env: 'docker', nodes: 3, roles: 'combined', nemesis: ['partition'], timeLimitMs: 2_000, concurrency: 2 }, 7);
    const plan = planRun(options);
    let keptOut: number | null = null;
    // healAll heals, then cuts off one follower for good: the others are back, it never is.
    const keepingOneOut = new Proxy(world, {
      get(target, property) {
        if (property === 'healAll') {
          return async () => {
            await target.healAll();
            const leader = await eventually(async () => (await target.leader()) ?? Promise.reject(new Error('no leader')));
            keptOut = [1, 2, 3].find((id) => id !== leader.nodeId)!;
            await target.applyGrudge(completeGrudge([[keptOut], [1, 2, 3].filter((id) => id !== keptOut)]));
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    try {
      const record = await executeRun(plan, keepingOneOut, SILENT, null, { seed: 7, nodes: [1, 2, 3], kinds: ['partition'], timeLimitMs: 2_000, entries: [] });
      const recovery = record.recovery!;
      expect(recovery.ok, recovery.message).toBe(true); // two of three elect and acknowledge
      expect(recovery.quorum.quorumMs).toBeNull();
      expect(recovery.quorum.watchedUntilMs).toBeGreaterThanOrEqual(recovery.healedAtMs + recovery.quorum.boundMs);
      const quorum = judgeRun(record).checks.find((check) => check.name === 'quorum-after-heal');
      expect(quorum?.verdict, quorum?.message).toBe('invalid');
      expect(quorum?.message).toContain(`node ${keptOut}`);
    } finally {
      await world.applyGrudge(HEALED);
    }
  });

  it('with a watch after the heal (--watch-after-heal) the phase goes on past StableLeadership\'s window start, and the rule is judged over it', { timeout: 120_000 }, async () => {
    // The window starts 13 s after the heal here (10 s restart allowance + fetch + election timeouts).
    const options = resolveRunOptions({ env: 'docker', nodes: 3, roles: 'combined', nemesis: ['partition'], timeLimitMs: 2_000, concurrency: 2, watchAfterHealMs: 16_000 }, 7);
    const record = await executeRun(planRun(options), world, SILENT, null, { seed: 7, nodes: [1, 2, 3], kinds: ['partition'], timeLimitMs: 2_000, entries: [] });
    const recovery = record.recovery!;
    expect(recovery.ok, recovery.message).toBe(true);
    expect(recovery.quorum.quorumMs, 'every voter was seen back, as without the watch').not.toBeNull();
    expect(recovery.quorum.watchedUntilMs - recovery.healedAtMs).toBeGreaterThanOrEqual(16_000);
    const judgement = judgeRun(record);
    // In Docker, CheckQuorum (one clock needed) and the acknowledged-write rules (no commit offsets) are not judged, nor is
    // AtMostOneUncommittedVoterSet without a voter change (and the snapshot rules where no snapshot came in 2 s).
    const notJudged = judgement.notJudged?.map((entry) => entry.rule) ?? [];
    expect(notJudged).toEqual(expect.arrayContaining(['AtMostOneUncommittedVoterSet', 'CheckQuorum', 'NoAcknowledgedWriteLost', 'AppliedBeforeAcknowledged']));
    expect(notJudged).not.toContain('StableLeadership');
    const stable = judgement.checks.find((check) => check.name === 'StableLeadership');
    expect(stable?.verdict, stable?.message).toBe('valid');
    expect(stable?.message).toMatch(/judged from 13\.0 s after the heal, when leadership must have settled, until 1[6-9]\.\d s; judged on 1 leadership a majority settled on in that window$/);
  });

  it('halts when a node dies on its own (a crash is a finding, not a fault)', { timeout: 30_000 }, async () => {
    await docker(['kill', '--signal', 'KILL', world.cluster.node(2).containerId]);
    await expect(Promise.race([world.halted, world.clock.sleep(15_000).then(() => 'not halted')]))
      .resolves.toMatch(/^node 2 exited on its own \(exit code 137\)/);
  });
});

describe.skipIf(!engine.available)('docker world set-up errors', () => {
  let image: string;
  beforeAll(async () => {
    image = await quorumdImageForTests();
  }, imageBuildTimeoutMs);

  const ours = async (): Promise<number> => (await listLabelledResources()).filter((resource) => resource.pid === process.pid).length;

  it('a node setting quorumd refuses is named, before anything starts', async () => {
    const opening = openDockerWorld({ topology: planTopology(3, 'combined'), nodeConfig: { 'metadata.read.consistancy': 'cached' }, seed: 1 }, { image });
    await expect(opening).rejects.toThrow(WorldSetupError);
    await expect(opening).rejects.toThrow(/--node-config metadata\.read\.consistancy: unknown setting/);
    expect(await ours()).toBe(0);
  });

  it('a missing image is named and nothing is left running', async () => {
    const opening = openDockerWorld({ topology: planTopology(3, 'combined'), nodeConfig: {}, seed: 1 }, { image: 'quorumd:no-such-build' });
    await expect(opening).rejects.toThrow(/could not be set up: image quorumd:no-such-build does not exist in the local engine/);
    expect(await ours()).toBe(0);
  });
});
