// The topics model judged on whole histories by a brute-force search of every order (small
// histories only): generated histories are linearizable by construction, a corrupted read is not,
// and the per-topic projection of list-topics is exactly as weak as topics.ts says.
import { describe, expect, it } from 'vitest';
import { ILLEGAL, type Call, type Model } from '../../../src/checker/model.js';
import { topicsModel, topicsModelUnpartitioned } from '../../../src/checker/models/topics.js';
import { generateTopicHistory } from '../../support/generate-topic-history.js';

/**
 * Is there an order of the calls, consistent with real time, in which every call with a known
 * outcome is stepped legally (calls with unknown outcome may be left out)? Depth-first over every
 * candidate, memoized on (linearized set, state hash) — exhaustive, so only for small histories.
 */
function bruteForceLinearizable<S>(model: Model<S>, calls: readonly Call[]): boolean {
  if (calls.length > 30) throw new Error(`brute force is for small histories, got ${calls.length} calls`);
  const seen = new Set<string>();
  const search = (done: bigint, state: S): boolean => {
    const remaining = calls.filter((c) => (done & (1n << BigInt(c.id))) === 0n);
    if (remaining.every((c) => !c.outputKnown)) return true;
    const memoKey = `${done}:${model.hash(state)}:${model.describeState(state)}`;
    if (seen.has(memoKey)) return false;
    seen.add(memoKey);
    const earliestCompletion = Math.min(...remaining.map((c) => c.completeTimeNs));
    for (const candidate of remaining) {
      if (candidate.invokeTimeNs > earliestCompletion) continue;
      const next = model.step(state, candidate);
      if (next !== ILLEGAL && search(done | (1n << BigInt(candidate.id)), next)) return true;
    }
    return false;
  };
  return search(0n, model.init());
}

function partitionedLinearizable(calls: readonly Call[]): boolean {
  const parts = topicsModel.partition?.(calls) ?? new Map([['all', [...calls]]]);
  return [...parts.values()].every((part) => bruteForceLinearizable(topicsModel, part));
}

const seeds = Array.from({ length: 40 }, (_, i) => 1000 + i);

describe('generated topic histories', () => {
  it.each(seeds)('seed %i: linearizable by construction, whole and per topic', (seed) => {
    const { calls } = generateTopicHistory({ seed, calls: 14, clients: 3, topicNames: 2, infoRate: 0.15, failRate: 0.05 });
    expect(bruteForceLinearizable(topicsModelUnpartitioned, calls), `reproduce with seed ${seed}`).toBe(true);
    expect(partitionedLinearizable(calls), `reproduce with seed ${seed}`).toBe(true);
  });

  it.each(seeds)('seed %i: one corrupted read makes it non-linearizable, whole and per topic', (seed) => {
    const { calls, corruptedCallId } = generateTopicHistory({ seed, calls: 14, clients: 3, topicNames: 2, corruptRead: true });
    expect(corruptedCallId).toBeDefined();
    expect(bruteForceLinearizable(topicsModelUnpartitioned, calls), `reproduce with seed ${seed}`).toBe(false);
    expect(partitionedLinearizable(calls), `reproduce with seed ${seed}`).toBe(false);
  });

  it('is deterministic for a seed and pairs every invocation', () => {
    const first = generateTopicHistory({ seed: 7, calls: 200, clients: 5 });
    const second = generateTopicHistory({ seed: 7, calls: 200, clients: 5 });
    expect(second).toEqual(first);
    const invokes = first.operations.filter((op) => op.type === 'invoke').length;
    const fails = first.operations.filter((op) => op.type === 'fail').length;
    expect(invokes).toBe(200);
    expect(first.calls.length).toBe(invokes - fails);
    expect(first.calls.map((c) => c.id)).toEqual(first.calls.map((_, i) => i));
    expect(new Set(first.calls.map((c) => c.f)).size).toBe(7);
  });

  it('ends calls in info and fail at the rates asked, and never in info when asked for none', () => {
    const noInfo = generateTopicHistory({ seed: 9, calls: 4000, clients: 5, infoRate: 0, failRate: 0.05 });
    expect(noInfo.operations.filter((op) => op.type === 'info')).toHaveLength(0);
    expect(noInfo.calls.every((c) => c.outputKnown)).toBe(true);
    const fails = noInfo.operations.filter((op) => op.type === 'fail').length;
    expect(fails / 4000).toBeGreaterThan(0.035);
    expect(fails / 4000).toBeLessThan(0.065);
    const someInfo = generateTopicHistory({ seed: 9, calls: 4000, clients: 5, infoRate: 0.1, failRate: 0 });
    const infos = someInfo.operations.filter((op) => op.type === 'info').length;
    expect(infos / 4000).toBeGreaterThan(0.085);
    expect(infos / 4000).toBeLessThan(0.115);
  });
});

function at(id: number, process: number, f: string, input: unknown, output: unknown, invokeTimeNs: number, completeTimeNs: number): Call {
  return {
    id, process, f, input, output, outputKnown: output !== undefined,
    invokeIndex: id, completeIndex: output === undefined ? null : id, invokeTimeNs, completeTimeNs,
  };
}

describe('list-topics', () => {
  // a exists, b does not; process 0 deletes a and then creates b while process 1 lists.
  const tornList = [
    at(0, 0, 'create-topic', { name: 'a', partitions: 1 }, { created: true }, 0, 1),
    at(1, 0, 'delete-topic', { name: 'a' }, { deleted: true }, 2, 3),
    at(2, 1, 'list-topics', {}, { topics: ['a', 'b'] }, 2, 9),
    at(3, 0, 'create-topic', { name: 'b', partitions: 1 }, { created: true }, 4, 5),
  ];

  it('the unpartitioned model catches a torn list; the per-topic rule cannot, as documented', () => {
    expect(bruteForceLinearizable(topicsModelUnpartitioned, tornList)).toBe(false);
    expect(partitionedLinearizable(tornList)).toBe(true);
  });

  it('the per-topic rule catches a list that misses a topic that certainly existed', () => {
    const missing = [...tornList.slice(0, 1), at(1, 1, 'list-topics', {}, { topics: [] }, 2, 3)];
    expect(partitionedLinearizable(missing)).toBe(false);
  });

  it('a timed-out create may explain a listed topic', () => {
    const history = [
      at(0, 0, 'create-topic', { name: 'a', partitions: 1 }, undefined, 0, Infinity),
      at(1, 1, 'list-topics', {}, { topics: ['a'] }, 5, 6),
      at(2, 1, 'list-topics', {}, { topics: [] }, 7, 8),
    ];
    expect(partitionedLinearizable(history.slice(0, 2))).toBe(true);
    // Once seen, the topic cannot vanish again without a delete.
    expect(partitionedLinearizable(history)).toBe(false);
  });
});

describe('topics-no-partition with the real search', () => {
  it.each([21, 22, 23])('seed %i: agrees with the per-topic check on generated histories without lists', async (seed) => {
    const { checkCallsSync } = await import('../../../src/checker/check.js');
    for (const corruptRead of [false, true]) {
      const generated = generateTopicHistory({ seed, calls: 400, clients: 4, topicNames: 3, corruptRead });
      // Without lists the per-topic check is exact, so both must agree (and the corruption must
      // survive the filter for the history to be invalid).
      const corruptedList = generated.calls.find((c) => c.id === generated.corruptedCallId)?.f === 'list-topics';
      const noLists = generated.calls.filter((c) => c.f !== 'list-topics').map((c, id) => ({ ...c, id }));
      const whole = checkCallsSync(noLists, topicsModelUnpartitioned, { timeLimitMs: 20_000 });
      const perTopic = checkCallsSync(noLists, topicsModel, { timeLimitMs: 20_000 });
      expect(whole.verdict, `reproduce with seed ${seed}`).toBe(perTopic.verdict);
      expect(whole.verdict, `reproduce with seed ${seed}`).toBe(corruptRead && !corruptedList ? 'invalid' : 'valid');
    }
  });
});
