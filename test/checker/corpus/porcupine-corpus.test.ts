/**
 * Every history of the Porcupine corpus, checked with the model its manifest gives, must get the
 * manifest's verdict; `unknown` is a disagreement. The etcd logs go through the etcd model (a nil
 * read means empty, a failed cas is checked), the kv logs through both kv models. kv without
 * partitioning is checked last: Porcupine itself gives up on c50 after 30 s (ANCHOR-TIMINGS.md),
 * and there is no upstream c50 no-partition test, so those two get a generous limit.
 */
import { describe, expect, it } from 'vitest';
import { loadHistory } from '../../../src/history/load.js';
import { caseTitle, checkCorpusCase } from './corpus-check.js';
import { porcupineCases, type CorpusCase } from './manifest.js';

const TIME_LIMIT_MS = 30_000;
const SLOW_TIME_LIMIT_MS = 120_000;

const cases = porcupineCases();
const isSlow = (c: CorpusCase): boolean => c.model === 'kv-no-partition' && c.file.includes('/c50-');
const ordered = [...cases.filter((c) => !isSlow(c)), ...cases.filter(isSlow)];

describe('Porcupine corpus (expected verdicts from porcupine/MANIFEST.md)', () => {
  it('lists the 103 etcd logs and 6 kv logs the manifest announces', () => {
    const files = new Set(cases.map((c) => c.file));
    expect([...files].filter((f) => f.startsWith('test_data/jepsen/')).length).toBe(103);
    expect([...files].filter((f) => f.startsWith('test_data/kv/')).length).toBe(6);
  });

  for (const corpusCase of ordered) {
    if (corpusCase.expected === null) {
      it(`${corpusCase.file} has no verdict in the manifest (${corpusCase.rule}) and reads as an empty history`, async () => {
        const loaded = await loadHistory(corpusCase.absolutePath);
        expect(loaded.kind).toBe('porcupine-etcd');
        expect(loaded.operations).toEqual([]);
      });
      continue;
    }
    const limitMs = isSlow(corpusCase) ? SLOW_TIME_LIMIT_MS : TIME_LIMIT_MS;
    it(caseTitle(corpusCase), { timeout: limitMs + 30_000 }, async () => {
      const result = await checkCorpusCase(corpusCase, limitMs);
      expect(result.verdict, result.cause ?? '').toBe(corpusCase.expected);
    });
  }
});
