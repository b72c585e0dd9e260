/**
 * The Raft invariants of Kafka in KRaft mode judged from outside, the path `quorumcheck run
 * --system kafka-kraft` takes: DescribeQuorum answers polled during a run (and the controllers'
 * logged state changes) -> node events -> judgeObservedInvariants -> the run's checks, with each
 * rule judged or not and why. The answers are crafted: two controllers each named leader of
 * epoch 4 by different brokers must break SingleLeader; the same run without that is valid.
 */
import { describe, expect, it } from 'vitest';
import { judgeObservedInvariants } from '../../src/checker/invariants/observed-invariants.js';
import { INVARIANT_RULES } from '../../src/checker/invariants/violation.js';
import { kraftObservedInvariants, zookeeperModeObservedInvariants } from '../../src/harness/systems/apache-kafka/kafka-observed-invariants.js';
import { describeQuorumEvents, type DescribeQuorumAnswer } from '../../src/harness/systems/kafka/describe-quorum-poll.js';
import { observedSources } from '../../src/harness/systems/observed-sources.js';
import { judgeRun } from '../../src/run/judge.js';
import { resolveRunOptions } from '../../src/run/options.js';
import { planRun, type RunRecord } from '../../src/run/pipeline.js';

const secondNs = 1_000_000_000;

function answer(atS: number, askedNode: number, leaderId: number, epoch: number): DescribeQuorumAnswer {
  return { atNs: atS * secondNs, askedNode, leaderId, epoch };
}

/** Leader 1 in epoch 3, then 2 in epoch 4, as every broker sees it. */
const agreeing: DescribeQuorumAnswer[] = [
  answer(1, 1, 1, 3), answer(1, 2, 1, 3), answer(1, 3, 1, 3),
  answer(2, 1, 2, 4), answer(2, 2, 2, 4), answer(2, 3, 1, 3),
  answer(3, 1, 2, 4), answer(3, 2, 2, 4), answer(3, 3, 2, 4),
];
/** Broker 3, cut off from 2, is told by controller 3 that 3 leads epoch 4 too. */
const splitBrain = [...agreeing, answer(4, 3, 3, 4)];

function record(answers: readonly DescribeQuorumAnswer[]): RunRecord {
  const plan = planRun(resolveRunOptions({ env: 'docker', nodes: 3, roles: 'combined', nemesis: ['partition'], timeLimitMs: 10_000 }, 7));
  return {
    plan, history: [], resolved: [], acknowledged: [], counts: { operations: 0, ok: 0, fail: 0, info: 0 },
    nemesisActions: 0, setupMs: 100, recovery: null, halted: null, runMs: 10_000, endedAtMs: 10_000, nodeLogs: [], missing: [],
    nodeEvents: false,
    observed: { sources: observedSources(kraftObservedInvariants, null, answers), notJudged: kraftObservedInvariants.notJudged },
    worldFigures: {},
  };
}

describe('invariants judged from outside (Kafka in KRaft mode)', () => {
  it('polled DescribeQuorum answers become one became-leader per leader and epoch', () => {
    const streams = describeQuorumEvents(splitBrain);
    expect(streams.map((stream) => stream.map((event) => [event.node, event.epoch, event.timeNs / secondNs]))).toEqual([
      [[1, 3, 1]], [[2, 4, 2]], [[3, 4, 4]],
    ]);
  });

  it('two leaders named for one epoch break SingleLeader in the run\'s checks, with the node and time', () => {
    const judgement = judgeRun(record(splitBrain));
    const check = judgement.checks.find((entry) => entry.name === 'SingleLeader');
    expect(check?.verdict).toBe('invalid');
    expect(check?.message).toMatch(/epoch 4 has two leaders: node 2 .* and node 3/);
    expect(check?.message).toContain('DescribeQuorum polled');
    expect(check?.firstViolation).toMatchObject({ node: 3, timeNs: 4 * secondNs, kind: 'became-leader' });
    expect(judgement.verdict).toBe('invalid');
  });

  it('agreeing answers hold SingleLeader; every other rule is said to be not judged, and why', () => {
    const judgement = judgeRun(record(agreeing));
    expect(judgement.checks.find((entry) => entry.name === 'SingleLeader')?.verdict).toBe('valid');
    const observed = judgement.observedInvariants!;
    expect(observed.map((rule) => rule.rule)).toEqual([...INVARIANT_RULES]);
    expect(observed.filter((rule) => rule.judged).map((rule) => rule.rule)).toEqual(['SingleLeader']);
    // Not judged rules are no checks: the run's verdict is not made unknown by what Kafka cannot show.
    expect(judgement.checks.map((entry) => entry.name)).not.toContain('MonotonicHighWatermark');
    expect(observed.find((rule) => rule.rule === 'MonotonicHighWatermark')?.message).toMatch(/^not judged: Kafka logs no high-watermark/);
    // Without the controllers' logs (none read here), the rules only they judge are not judged.
    expect(observed.find((rule) => rule.rule === 'SingleVote')).toMatchObject({ judged: false, verdict: null });
  });

  it('the controllers\' logged state changes judge SingleVote and MonotonicEpoch besides', () => {
    const node2 = [
      { timeNs: 1, node: 2, kind: 'epoch-changed' as const, epoch: 5, state: 'follower' as const, leaderId: 1, votedFor: 1 },
      { timeNs: 2, node: 2, kind: 'epoch-changed' as const, epoch: 4, state: 'follower' as const, leaderId: 3, votedFor: null },
    ];
    const judged = judgeObservedInvariants(observedSources(kraftObservedInvariants, [node2], agreeing), [1, 2, 3], kraftObservedInvariants.notJudged);
    expect(judged.find((rule) => rule.rule === 'MonotonicEpoch')).toMatchObject({ judged: true, verdict: 'invalid' });
    expect(judged.find((rule) => rule.rule === 'SingleVote')).toMatchObject({ judged: true, verdict: 'valid' });
  });

  it('ZooKeeper mode judges none, each rule with its reason', () => {
    const judged = judgeObservedInvariants(observedSources(zookeeperModeObservedInvariants, null, null), [1, 2, 3], zookeeperModeObservedInvariants.notJudged);
    expect(judged.every((rule) => !rule.judged && rule.message.includes('no Raft quorum'))).toBe(true);
  });

  it('a source naming a rule that does not exist is refused by name', () => {
    expect(() => judgeObservedInvariants([{ how: 'x', rules: ['SingleLeaders'], streams: [] }], [1])).toThrow(/unknown invariants: SingleLeaders/);
  });
});
