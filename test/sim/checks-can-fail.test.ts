/**
 * Proof that the simulator's checks can fail: a disk that lies about fsync loses a node's durable
 * quorum state in a crash, and the invariants catch the node going back in epoch (it could then
 * vote twice in one epoch). The same seeds with an honest disk raise no violation, so what is
 * caught is the lie and nothing else. A deliberately wrong answer in a recorded history is caught
 * by the linearizability check.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/checker/check.js';
import { topicsModel } from '../../src/checker/models/topics.js';
import { completeGrudge } from '../../src/faults/grudge.js';
import { runSeed } from '../../src/sim/run-seed.js';

const SEEDS = [1, 2, 3, 4, 5];
const SAFETY_RULES = ['MonotonicEpoch', 'SingleVote', 'SingleLeader'];

describe('the checks can fail', () => {
  it.each(SEEDS)('a disk that lies about fsync is caught (seed %i)', async (seed) => {
    const options = { seed, voters: 3, observers: 0, faults: ['crash'] as const, safetyPhaseMs: 20_000, checkLinearizability: false };
    const lying = await runSeed({ ...options, hooks: { lyingFsync: 'quorum-state' } });
    expect(lying.verdict, `seed ${seed}`).toBe('invalid');
    expect(lying.outcome.violations.map((violation) => violation.rule).some((rule) => SAFETY_RULES.includes(rule)), `seed ${seed}`).toBe(true);
    const honest = await runSeed(options);
    expect(honest.outcome.violations, `seed ${seed}`).toEqual([]);
  });

  it('a history with a wrong answer injected is not linearizable (seed 11)', async () => {
    const result = await runSeed({ seed: 11, voters: 3, observers: 0, faults: [], safetyPhaseMs: 5_000, checkLinearizability: false });
    const history = result.outcome.history.map((op) => ({ ...op }));
    // The first successful create-topic is answered again, later, as if the topic never existed:
    // a describe after it that says UNKNOWN_TOPIC_OR_PARTITION.
    const created = history.find((op) => op.type === 'ok' && op.f === 'create-topic' &&
      (op.value as { created?: boolean }).created === true);
    expect(created, 'seed 11 has no successful create').toBeDefined();
    const describe = history.find((op) => op.index > created!.index && op.type === 'ok' && op.f === 'describe-topic' &&
      typeof (op.value as { partitions?: unknown }).partitions === 'number');
    expect(describe, 'seed 11 has no describe of an existing topic after a create').toBeDefined();
    expect((await checkHistory(history, topicsModel, { parallel: false })).verdict).toBe('valid');
    describe!.value = { error: 'UNKNOWN_TOPIC_OR_PARTITION' };
    expect((await checkHistory(history, topicsModel, { parallel: false })).verdict).toBe('invalid');
  });
});

describe('the liveness phase can fail', () => {
  it('a cluster that stays partitioned after the faults heal fails liveness (seed 21)', async () => {
    // Every node cut off from every other: no majority, so no leader and no committed write.
    const everyoneAlone = completeGrudge([[1], [2], [3]]);
    const result = await runSeed({
      seed: 21, voters: 3, observers: 0, faults: [], safetyPhaseMs: 3_000, checkLinearizability: false,
      hooks: { partitionDuringLiveness: everyoneAlone },
    });
    expect(result.verdict).toBe('invalid');
    expect(result.outcome.liveness?.ok).toBe(false);
    expect(result.reasons.join('\n')).toContain('no write committed within 30000 ms of healing every fault');
    const healed = await runSeed({ seed: 21, voters: 3, observers: 0, faults: [], safetyPhaseMs: 3_000, checkLinearizability: false });
    expect(healed.outcome.liveness?.ok).toBe(true);
  });
});
