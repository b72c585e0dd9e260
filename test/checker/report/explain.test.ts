// The failure report in words, on a real check of a stale read.
import { describe, expect, it } from 'vitest';
import { topicsModel } from '../../../src/checker/models/topics.js';
import { explainFailure, explainResult, summarizeResult } from '../../../src/checker/report/explain.js';
import type { CheckResult } from '../../../src/checker/verdict.js';
import { checkStaleRead } from './failing-history.js';

describe('explainResult', () => {
  it('names the part, the prefix in order, the failing call and why each state rejects it', () => {
    const text = explainResult(checkStaleRead('orders', false), topicsModel);
    expect(text).toBe([
      'invalid: the history is not linearizable (model topics, 4 calls in 1 part, ' + text.match(/(\d+) ms/)?.[1] + ' ms)',
      'part orders (4 calls) is not linearizable.',
      'The longest linearizable prefix has 3 calls:',
      '  1. process 0, history index 0..1: create topic orders (3 partitions) → created id id-a',
      '  2. process 1, history index 2..3: describe topic orders → 3 partitions id id-a',
      '  3. process 0, history index 4..5: grow topic orders to 5 partitions → 5 partitions',
      'It could not be followed by: process 1, history index 6..7: describe topic orders → 3 partitions id id-a',
      'Tried against 1 state:',
      "  - in state orders: 5 partitions {} id id-a: can't describe topic orders with 3 partitions: it has 5",
      '',
    ].join('\n'));
  });

  it('limits the prefix and the tried states it prints', () => {
    const failure = checkStaleRead('orders', false).failure!;
    const withMany = { ...failure, triedStates: Array.from({ length: 6 }, (_, i) => ({ state: `s${i}`, reason: `r${i}` })) };
    const text = explainFailure(withMany, topicsModel, { prefixCallsMax: 1, triedStatesMax: 2 });
    expect(text).toContain('The longest linearizable prefix has 3 calls; the last 1 shown:\n  3. process 0');
    expect(text).not.toContain('  1. process 0');
    expect(text).toContain('  - in state s1: r1\n  … and 4 more\n');
  });

  it('describes calls plainly when no model is given', () => {
    const text = explainFailure(checkStaleRead('orders', false).failure!);
    expect(text).toContain('describe-topic {"name":"orders"} → {"name":"orders","partitions":3,"topicId":"id-a"}');
  });
});

describe('summarizeResult', () => {
  const base: CheckResult = { verdict: 'valid', model: 'topics', calls: 1, partitions: 1, elapsedMs: 12.4 };
  it('says valid with its counts, and unknown with its cause', () => {
    expect(summarizeResult(base)).toBe('valid: the history is linearizable (model topics, 1 call in 1 part, 12 ms)');
    expect(summarizeResult({ ...base, verdict: 'unknown', calls: 7, partitions: 2, cause: 'time limit 5 ms spent' }))
      .toBe('unknown: time limit 5 ms spent (model topics, 7 calls in 2 parts, 12 ms)');
  });
});
