/**
 * `quorumcheck run --env docker --system kafka-kraft` judges Kafka's Raft invariants from outside:
 * SingleLeader, SingleVote and MonotonicEpoch from the state changes the controllers log, and
 * SingleLeader also from DescribeQuorum polled during the run; results.json's observedInvariants
 * names every other rule as not judged, with why. Partitions and kills for 30 s on 3 combined
 * nodes. Measured once (2026-12-01, load average 8-14): 91 s wall, 66 logged events, 56 poll rounds.
 * Nightly only (`npm run conformance`): a real Kafka run takes minutes.
 */
import { describe, expect, it } from 'vitest';
import { dockerEngineForTests } from '../../test/support/docker-context.js';
import { SMOKE_TOPOLOGY, caseTimeoutMs, conformanceLevel } from '../support/topologies.js';
import { describeOutcome, leftoversOf, runConformanceCase } from '../support/conformance-run.js';

const engine = await dockerEngineForTests();
const timeLimitS = 30;

describe.skipIf(!engine.available || conformanceLevel() !== 'nightly')('Kafka in KRaft mode: invariants judged from outside', () => {
  it('a run judges SingleLeader, SingleVote and MonotonicEpoch and says why the others are not judged', { timeout: caseTimeoutMs(timeLimitS) + 300_000 }, async () => {
    const outcome = await runConformanceCase({
      name: 'kafka-kraft-invariants', topology: SMOKE_TOPOLOGY, nemesis: ['partition', 'kill'], timeLimitS, seed: 4242,
      extraArgs: ['--system', 'kafka-kraft'],
    }, caseTimeoutMs(timeLimitS) + 300_000);
    const account = describeOutcome(outcome);
    expect(await leftoversOf(outcome.pid), account).toEqual([]);
    const results = outcome.results;
    expect(results, account).not.toBeNull();
    for (const rule of ['SingleLeader', 'SingleVote', 'MonotonicEpoch']) {
      const check = results!.checks.find((entry) => entry.name === rule);
      expect(check?.verdict, `${rule}\n${account}`).toBe('valid');
      expect(check?.message, account).toMatch(/judged from outside: held over the state changes the controllers log \([1-9]\d* events\)/);
    }
    expect(results!.checks.find((entry) => entry.name === 'SingleLeader')?.message, account).toMatch(/DescribeQuorum polled from every broker during the run \([1-9]\d* events\)/);
    const observed = results!.observedInvariants ?? [];
    expect(observed.filter((rule) => rule.judged).map((rule) => rule.rule)).toEqual(['SingleLeader', 'SingleVote', 'MonotonicEpoch']);
    for (const rule of observed.filter((entry) => !entry.judged)) expect(rule.message, rule.rule).toMatch(/^not judged: \S/);
    expect(results!.missing.some((line) => line.startsWith('MonotonicHighWatermark: not judged')), account).toBe(true);
  });
});
