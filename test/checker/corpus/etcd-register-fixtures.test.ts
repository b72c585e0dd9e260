/**
 * The register histories recorded from etcd under partitions (fixtures/etcd-register), checked with
 * etcd-keyed: each must get the verdict verdicts.json gives it, key by key. Where verdicts.json
 * still says `unknown` (a checker of the day gave up), its README expects the history valid, since
 * it was recorded with linearizable reads (Jepsen found etcd's key-value operations strict
 * serializable): the check must now decide it valid.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../src/checker/check.js';
import { etcdKeyedModel } from '../../../src/checker/models/register.js';
import { loadHistory } from '../../../src/history/load.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/etcd-register/', import.meta.url));
const TIME_LIMIT_MS = 30_000;

interface RecordedVerdict {
  verdict: 'valid' | 'invalid' | 'unknown';
  perKey: Record<string, 'valid' | 'invalid' | 'unknown'>;
  reads: 'linearizable' | 'serializable';
}

const verdicts = JSON.parse(readFileSync(`${FIXTURES}verdicts.json`, 'utf8')) as Record<string, RecordedVerdict>;

/** The verdict to expect: the recorded one, or valid for undecided linearizable-read histories. */
function expected(recorded: 'valid' | 'invalid' | 'unknown', reads: RecordedVerdict['reads']): 'valid' | 'invalid' {
  if (recorded !== 'unknown') return recorded;
  if (reads !== 'linearizable') throw new Error('verdicts.json: an undecided history with serializable reads has no expected verdict');
  return 'valid';
}

describe('etcd register histories recorded under partitions (fixtures/etcd-register)', () => {
  for (const [file, recorded] of Object.entries(verdicts)) {
    const want = expected(recorded.verdict, recorded.reads);
    it(`${file} is ${want} under etcd-keyed (verdicts.json: ${recorded.verdict}, ${recorded.reads} reads)`, { timeout: 4 * TIME_LIMIT_MS }, async () => {
      const { operations } = await loadHistory(`${FIXTURES}${file}`);
      const result = await checkHistory(operations, etcdKeyedModel(), { timeLimitMs: TIME_LIMIT_MS });
      expect(result.verdict, result.cause ?? '').toBe(want);
      expect(result.partitions).toBe(Object.keys(recorded.perKey).length);
      if (want === 'invalid') {
        // The key the witness names must be one the recording found invalid.
        expect(recorded.perKey[result.failure!.partition]).toBe('invalid');
      }
    });
  }

  it('judges each key as verdicts.json does, where it decided', async () => {
    for (const [file, recorded] of Object.entries(verdicts)) {
      const { operations } = await loadHistory(`${FIXTURES}${file}`);
      const keys = Object.keys(recorded.perKey);
      for (const key of keys) {
        const ofKey = operations.filter((op) => op.process === 'nemesis' || (op.value as [string, unknown] | null)?.[0] === key);
        const result = await checkHistory(ofKey.map((op, index) => ({ ...op, index })), etcdKeyedModel(), { timeLimitMs: TIME_LIMIT_MS });
        expect(result.verdict, `${file} ${key}`).toBe(expected(recorded.perKey[key]!, recorded.reads));
      }
    }
  }, 20 * TIME_LIMIT_MS);
});
