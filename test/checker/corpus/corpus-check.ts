/**
 * Checking one corpus case with the real pipeline: loadHistory (format detected from the file),
 * pairing, the registry's model, and checkHistory.
 */
import { checkHistory } from '../../../src/checker/check.js';
import { modelByName } from '../../../src/checker/models/index.js';
import type { CheckResult } from '../../../src/checker/verdict.js';
import { pairCalls } from '../../../src/history/calls.js';
import { loadHistory } from '../../../src/history/load.js';
import type { CorpusCase } from './manifest.js';

export async function checkCorpusCase(corpusCase: CorpusCase, timeLimitMs: number): Promise<CheckResult> {
  const { operations } = await loadHistory(corpusCase.absolutePath);
  const model = modelByName(corpusCase.model, corpusCase.modelOptions);
  return checkHistory(pairCalls(operations), model, { timeLimitMs });
}

export function caseTitle(corpusCase: CorpusCase): string {
  const options = Object.keys(corpusCase.modelOptions).length === 0 ? '' : ` ${JSON.stringify(corpusCase.modelOptions)}`;
  const inferred = corpusCase.inferred ? ' (verdict inferred by the manifest, not asserted upstream)' : '';
  return `${corpusCase.file} is ${corpusCase.expected} under ${corpusCase.model}${options}${inferred} [${corpusCase.rule}]`;
}
