/**
 * Every history of the Knossos corpus, checked with the model and initial state its manifest
 * gives, must get the manifest's verdict; `unknown` is a disagreement, except under the 1 ms
 * budgets some upstream tests set, where it is what they expect.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseTitle, checkCorpusCase } from './corpus-check.js';
import { knossosCases } from './manifest.js';

/** Ample for every Knossos history (the slowest takes milliseconds); a budget is not the test. */
const TIME_LIMIT_MS = 30_000;

const cases = knossosCases();

describe('Knossos corpus (expected verdicts from knossos/MANIFEST.md)', () => {
  it('lists every history the manifest totals announce', () => {
    // "Totals: 122 .edn histories copied" — counted from the table, not trusted from the prose.
    const histories = new Set(cases.filter((c) => !c.notAHistory).map((c) => c.file));
    expect(histories.size).toBe(122);
    for (const file of histories) expect(existsSync(cases.find((c) => c.file === file)!.absolutePath), file).toBe(true);
  });

  for (const corpusCase of cases) {
    if (corpusCase.notAHistory) continue;
    it(caseTitle(corpusCase), async () => {
      const result = await checkCorpusCase(corpusCase, TIME_LIMIT_MS);
      expect(result.verdict, result.cause ?? '').toBe(corpusCase.expected);
      if (corpusCase.failingOpIndex !== undefined) {
        // Knossos names the completion that cannot be linearized by its history index.
        expect(result.failure?.failingCall.completeIndex).toBe(corpusCase.failingOpIndex);
      }
      if (corpusCase.failureReason !== undefined) {
        expect(result.failure?.triedStates.map((tried) => tried.reason)).toContain(corpusCase.failureReason);
      }
    });
  }

  for (const corpusCase of cases.filter((c) => c.budgetTimeLimitMs !== undefined)) {
    it(`${corpusCase.file} under a ${corpusCase.budgetTimeLimitMs} ms budget is unknown (time limit) or ${corpusCase.expected}, never the opposite`, async () => {
      const result = await checkCorpusCase(corpusCase, corpusCase.budgetTimeLimitMs!);
      // Whether 1 ms suffices depends on the machine; what must hold either way is that a spent
      // budget says so and that no budget turns a verdict around.
      expect(['unknown', corpusCase.expected]).toContain(result.verdict);
      if (result.verdict === 'unknown') expect(result.cause).toMatch(/time limit/);
    });
  }
});
