/**
 * Proof that a run's checks can fail, in the simulator: a disk that lies about fsync loses a
 * node's durable quorum state in a kill, and the invariant checks catch the node going back in
 * epoch (the same seeds with an honest disk raise no violation, so what is caught is the lie); a
 * deliberately wrong answer in a recorded history is caught by the linearizability check; a
 * cluster that stays cut apart after "healing" fails availability after heal, and one that leaves
 * a voter cut off fails quorum after heal.
 */
import { describe, expect, it } from 'vitest';
import { completeGrudge } from '../../src/faults/grudge.js';
import { resolveRunOptions } from '../../src/run/options.js';
import { runOnce, type RunReport, type WorldMaker } from '../../src/run/run-once.js';
import { SILENT } from '../../src/run/progress.js';
import { checkTopicsLinearizability } from '../../src/run/checks/linearizability.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';
import type { RunOptionsInput } from '../../src/run/options.js';

const SAFETY_RULES = ['MonotonicEpoch', 'SingleVote', 'SingleLeader'];

async function run(seed: number, input: RunOptionsInput, makeWorld: WorldMaker = simWorldMaker()): Promise<RunReport> {
  return runOnce({
    options: resolveRunOptions({ env: 'sim', nodes: 3, roles: 'combined', conditions: [], ...input }, seed),
    makeWorld, sink: SILENT, runsRoot: 'runs/test', writeDirectory: 'never',
  });
}

function failing(report: RunReport): string[] {
  return report.judgement.checks.filter((check) => check.verdict === 'invalid').map((check) => check.name);
}

describe('the checks can fail', () => {
  it.each([1, 2, 3, 4, 5])('a disk that lies about fsync is caught (seed %i)', async (seed) => {
    const input: RunOptionsInput = { nemesis: ['kill'], timeLimitMs: 20_000, concurrency: 2 };
    const lying = await run(seed, input, simWorldMaker({ hooks: { lyingFsync: 'quorum-state' } }));
    expect(lying.verdict, `seed ${seed}`).toBe('invalid');
    expect(failing(lying).some((rule) => SAFETY_RULES.includes(rule)), `seed ${seed}: ${failing(lying).join(', ')}`).toBe(true);
    const honest = await run(seed, input);
    expect(failing(honest), `seed ${seed}`).toEqual([]);
  });

  it('a history with a wrong answer injected is not linearizable, and the operation is named (seed 11)', async () => {
    const report = await run(11, { nemesis: [], timeLimitMs: 5_000 });
    const history = report.record.history.map((op) => ({ ...op }));
    const created = history.find((op) => op.type === 'ok' && op.f === 'create-topic' && (op.value as { created?: boolean }).created === true);
    expect(created, 'seed 11 has no successful create').toBeDefined();
    const name = (history.find((op) => op.type === 'invoke' && op.process === created!.process && op.index < created!.index && op.f === 'create-topic')!.value as { name: string }).name;
    const describe = history.find((op) => op.index > created!.index && op.type === 'ok' && op.f === 'describe-topic' &&
      (op.value as { name?: string }).name === name && typeof (op.value as { partitions?: unknown }).partitions === 'number');
    expect(describe, `seed 11 has no describe of ${name} after its create`).toBeDefined();
    expect(checkTopicsLinearizability(history, 10_000).verdict).toBe('valid');
    describe!.value = { error: 'UNKNOWN_TOPIC_OR_PARTITION' };
    const judged = checkTopicsLinearizability(history, 10_000);
    expect(judged.verdict).toBe('invalid');
    const topic = judged.topics.find((entry) => entry.verdict === 'invalid');
    expect(topic?.topic).toBe(name);
    expect(topic?.failure?.call).toContain(name);
  });

  it('a cluster that stays cut apart after healing fails availability after heal (seed 21)', async () => {
    const everyoneAlone = completeGrudge([[1], [2], [3]]);
    const neverHeals: WorldMaker = async (plan, log) => {
      const world = await simWorldMaker()(plan, log);
      const healAll = world.healAll.bind(world);
      world.healAll = async () => {
        await healAll();
        await world.applyGrudge(everyoneAlone);
      };
      return world;
    };
    const report = await run(21, { nemesis: [], timeLimitMs: 3_000 }, neverHeals);
    expect(report.verdict).toBe('invalid');
    const availability = report.judgement.checks.find((check) => check.name === 'availability-after-heal')!;
    expect(availability.verdict).toBe('invalid');
    expect(availability.message).toMatch(/^no write acknowledged within 22000 ms of healing every fault/);
    const healed = await run(21, { nemesis: [], timeLimitMs: 3_000 });
    expect(healed.judgement.checks.find((check) => check.name === 'availability-after-heal')!.verdict).toBe('valid');
  });

  it('a voter left cut off after healing fails quorum-after-heal while the write still succeeds (seed 21)', async () => {
    // Nodes 1 and 2 keep a majority and accept the probe's write; node 3 never hears from them again.
    const thirdAlone = completeGrudge([[1, 2], [3]]);
    const oneStaysOut: WorldMaker = async (plan, log) => {
      const world = await simWorldMaker()(plan, log);
      const healAll = world.healAll.bind(world);
      world.healAll = async () => {
        await healAll();
        await world.applyGrudge(thirdAlone);
      };
      return world;
    };
    const report = await run(21, { nemesis: [], timeLimitMs: 3_000 }, oneStaysOut);
    expect(report.judgement.checks.find((check) => check.name === 'availability-after-heal')!.verdict).toBe('valid');
    const quorum = report.judgement.checks.find((check) => check.name === 'quorum-after-heal')!;
    expect(quorum.verdict).toBe('invalid');
    expect(quorum.message).toMatch(/^not every voter back in the quorum of leader node [12] in epoch \d+ within 12000 ms of healing: node 3 \(/);
    expect(report.judgement.quorum?.quorumMs).toBeNull();
    const healed = await run(21, { nemesis: [], timeLimitMs: 3_000 });
    expect(healed.judgement.checks.find((check) => check.name === 'quorum-after-heal')!.verdict).toBe('valid');
    expect(healed.judgement.quorum?.quorumMs).toBeGreaterThanOrEqual(0);
  });
});
