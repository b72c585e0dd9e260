/**
 * The simulator world keeps the World contract (src/run/world.ts): grudges replace each other,
 * kill refuses connections until start, pause holds operations until resume, a graceful stop of
 * the leader makes it resign first, clock steps forward fire timers early, loss drops messages
 * into a node, healAll undoes everything, and collecting the logs ends the simulation. Every
 * scenario runs on a real simulated cluster (seed 31, 3 nodes, no conditions).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeGrudge, describeGrudge, HEALED } from '../../src/faults/grudge.js';
import { isolate } from '../../src/faults/partition-shapes.js';
import { resolveRunOptions } from '../../src/run/options.js';
import { planRun } from '../../src/run/pipeline.js';
import { planTopology } from '../../src/run/world.js';
import { createSimWorld, type SimWorld } from '../../src/run/worlds/sim-world.js';

const SEED = 31;
let world: SimWorld | null = null;

afterEach(async () => {
  await world?.[Symbol.asyncDispose]();
  world = null;
});

async function startWorld(nodes = 3, roles: 'combined' | 'isolated' = 'combined', nodeConfig: Record<string, string> = {}): Promise<SimWorld> {
  world = await createSimWorld({ topology: planTopology(nodes, roles), nodeConfig, seed: SEED, conditions: [], simulatedMsMax: 600_000 });
  for (let waitedMs = 0; (await world.leader()) === null; waitedMs += 100) {
    if (waitedMs > 10_000) throw new Error(`seed ${SEED}: no leader after 10 simulated s`);
    await world.clock.sleep(100);
  }
  return world;
}

describe(`the simulator world (seed ${SEED})`, () => {
  it('applyGrudge replaces the partition in force; HEALED heals it', async () => {
    const w = await startWorld();
    await w.applyGrudge(isolate([1, 2, 3], 1));
    await w.applyGrudge(isolate([1, 2, 3], 2));
    expect(describeGrudge(w.simulation.currentGrudge)).toEqual({ 1: [2], 2: [1, 3], 3: [2] });
    await w.applyGrudge(HEALED);
    expect(describeGrudge(w.simulation.currentGrudge)).toEqual({});
    await expect(w.applyGrudge(completeGrudge([[1], [9]]))).rejects.toThrow('which is not one of 1,2,3');
  });

  it('a killed node refuses connections (fail) until it is started again', async () => {
    const w = await startWorld();
    const leader = (await w.leader())!.nodeId;
    const victim = [1, 2, 3].find((node) => node !== leader)!;
    await w.kill(victim);
    const client = await w.openClient(0);
    const outcomes = new Set<string>();
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const completion = await client.invoke({ f: 'list-topics', value: {} });
      if (completion.node === victim) outcomes.add(`${completion.type} ${completion.type === 'ok' ? '' : completion.error}`);
    }
    expect([...outcomes]).toEqual(['fail connection-refused']);
    await w.start(victim);
    await w.clock.sleep(3_000);
    const logs = await w.collectNodeLogs(null);
    expect(logs.find((log) => log.nodeId === victim)!.events.some((event) => event.kind === 'restarted')).toBe(true);
  });

  it('a paused node answers nothing until resumed: its operations time out (info)', async () => {
    const w = await startWorld();
    for (const node of [1, 2, 3]) await w.pause(node);
    const completion = await (await w.openClient(0)).invoke({ f: 'create-topic', value: { name: 'held', partitions: 1 } });
    expect(completion).toMatchObject({ type: 'info', error: 'timeout' });
    for (const node of [1, 2, 3]) await w.resume(node);
    await w.clock.sleep(2_000);
    expect(await w.leader()).not.toBeNull();
  });

  it('a graceful stop of the leader makes it resign: another node leads within an election timeout', async () => {
    const w = await startWorld();
    const before = (await w.leader())!;
    await w.stop(before.nodeId);
    const stoppedAtMs = w.clock.nowMs();
    while ((await w.leader()) === null && w.clock.nowMs() - stoppedAtMs < 5_000) await w.clock.sleep(10);
    const after = await w.leader();
    expect(after?.nodeId).not.toBe(before.nodeId);
    expect(after!.epoch).toBeGreaterThan(before.epoch);
    // Fetch timeout (2 s) would be the wait without the resignation.
    expect(w.clock.nowMs() - stoppedAtMs).toBeLessThan(2_000);
  });

  it('a clock step forward fires a follower\'s timers at once', async () => {
    const w = await startWorld();
    const leader = (await w.leader())!.nodeId;
    const follower = [1, 2, 3].find((node) => node !== leader)!;
    await w.clock.sleep(500);
    const atMs = w.clock.nowMs();
    await w.setClockOffset(follower, 60_000);
    await w.clock.sleep(1);
    const logs = await w.collectNodeLogs(null);
    const own = logs.find((log) => log.nodeId === follower)!.events;
    const jumped = own.filter((event) => event.timeNs >= atMs * 1e6 && event.kind === 'epoch-changed');
    expect(jumped[0], 'the follower did not start an election when its clock leapt ahead').toMatchObject({ state: 'prospective' });
    expect(jumped[0]!.timeNs).toBe(atMs * 1e6);
  });

  it('packet loss into a node drops messages to it; an empty list stops it', async () => {
    const w = await startWorld();
    const lostBefore = w.figures().messagesLost!;
    await w.setPacketLoss([1], 1);
    await w.clock.sleep(2_000);
    const lostDuring = w.figures().messagesLost! - lostBefore;
    expect(lostDuring).toBeGreaterThan(0);
    await w.setPacketLoss([], 0);
    const lostAfterHeal = w.figures().messagesLost!;
    await w.clock.sleep(2_000);
    expect(w.figures().messagesLost).toBe(lostAfterHeal);
  });

  it('healAll undoes every fault: partitions, loss, kills, stops, pauses, clocks', async () => {
    const w = await startWorld(3, 'isolated');
    await w.applyGrudge(isolate(w.topology.nodes.map((node) => node.id), 101));
    await w.setPacketLoss([2], 0.5);
    await w.kill(1);
    await w.stop(102);
    await w.pause(3);
    await w.strobeClock(2, 500, 10, 10_000);
    await w.healAll();
    expect(describeGrudge(w.simulation.currentGrudge)).toEqual({});
    for (const node of w.topology.nodes) expect(w.simulation.nodeStatus(node.id), `node ${node.id}`).toBe('running');
    const completion = await (await w.openClient(0)).invoke({ f: 'create-topic', value: { name: 'after', partitions: 1 } });
    expect(completion.type).toBe('ok');
  });

  it('collectNodeLogs writes every node\'s files and ends the simulation', async () => {
    const w = await startWorld();
    const directory = await mkdtemp(join(tmpdir(), 'quorumcheck-simworld-'));
    try {
      const logs = await w.collectNodeLogs(directory);
      expect(logs.map((log) => [log.nodeId, log.eventsFile, log.logFile])).toEqual([
        [1, 'nodes/1.events.jsonl', 'nodes/1.log'], [2, 'nodes/2.events.jsonl', 'nodes/2.log'], [3, 'nodes/3.events.jsonl', 'nodes/3.log'],
      ]);
      expect((await readFile(join(directory, 'nodes/1.events.jsonl'), 'utf8')).split('\n')[0]).toContain('"node":1');
      const frozenAtMs = w.clock.nowMs();
      void w.clock.sleep(1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(w.clock.nowMs()).toBe(frozenAtMs);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('applies metadata.snapshot.interval.records as quorumd does: a snapshot once that many records are applied', async () => {
    const snapshotsAfterTopics = async (nodeConfig: Record<string, string>): Promise<number> => {
      const w = await startWorld(3, 'combined', nodeConfig);
      const client = await w.openClient(0);
      for (let topic = 0; topic < 4; topic++) {
        expect((await client.invoke({ f: 'create-topic', value: { name: `t${topic}`, partitions: 3 } })).type).toBe('ok');
      }
      const snapshots = w.simulation.events.filter((event) => event.kind === 'snapshot').length;
      await w[Symbol.asyncDispose]();
      world = null;
      return snapshots;
    };
    // Entries pinned far away (so the seed draws no interval); records alone decide.
    expect(await snapshotsAfterTopics({ 'metadata.snapshot.interval.entries': '100000' })).toBe(0);
    expect(await snapshotsAfterTopics({ 'metadata.snapshot.interval.entries': '100000', 'metadata.snapshot.interval.records': '4' })).toBeGreaterThan(0);
  });

  it('refuses a node-config key it cannot apply, naming it', async () => {
    const plan = planRun(resolveRunOptions({ env: 'sim', nodeConfig: { 'num.network.threads': '3' } }, SEED));
    await expect(createSimWorld({ topology: plan.topology, nodeConfig: plan.options.nodeConfig, seed: SEED, conditions: [], simulatedMsMax: 1 }))
      .rejects.toThrow("node config key 'num.network.threads' is not one the simulator applies");
  });
});
