/**
 * Reads the expected verdicts of the shared test corpora from their manifests
 * (/work/shared/corpora/{knossos,porcupine}/MANIFEST.md), so that no verdict is written in test
 * code: each table row names a history file, its expected verdict and the model it is checked
 * with. Knossos' model cell is Clojure (`(model/cas-register 0)`), read with our EDN reader;
 * Porcupine's names Go models, mapped to ours as the manifest's Formats section describes them.
 * A row's last column may add checks made by specific upstream tests (another initial value, a
 * budget that makes `unknown` acceptable, the failing operation); those are parsed too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEdn } from '../../../src/history/edn/edn-reader.js';
import { ednToJson } from '../../../src/history/edn/edn-to-json.js';
import { EdnSymbol } from '../../../src/history/edn/edn-value.js';

export { CORPORA_DIR } from '../../support/corpora-dir.js';
import { CORPORA_DIR } from '../../support/corpora-dir.js';

export type ExpectedVerdict = 'valid' | 'invalid';

export interface CorpusCase {
  corpus: 'knossos' | 'porcupine';
  /** The path as the manifest writes it, relative to the corpus directory. */
  file: string;
  absolutePath: string;
  /** null: the manifest gives no verdict (not a history, or an empty file). */
  expected: ExpectedVerdict | null;
  /** The expected verdict is only implied (e.g. by a bad/ directory), not asserted upstream. */
  inferred: boolean;
  /** Registry name and options of our model. */
  model: string;
  modelOptions: Record<string, unknown>;
  /** Where the verdict comes from, for test names. */
  rule: string;
  /** A time limit under which upstream expects `unknown` (a budget applies). */
  budgetTimeLimitMs?: number;
  /** The index of the operation upstream names as the one that cannot be linearized. */
  failingOpIndex?: number;
  /** The reason upstream gives for the failure, word for word. */
  failureReason?: string;
  /** Not a history at all (e.g. an HTML rendering listed for completeness). */
  notAHistory: boolean;
}

function tableRows(manifestText: string): string[][] {
  return manifestText
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.slice(2, line.lastIndexOf('|')).split(' | ').map((cell) => cell.trim()));
}

function parseExpected(cell: string): { expected: ExpectedVerdict | null; inferred: boolean } {
  const match = /^(?:\*\*)?(valid|invalid)\b/.exec(cell);
  if (match === null) return { expected: null, inferred: false };
  return { expected: match[1] as ExpectedVerdict, inferred: /inferred|NOT asserted/.test(cell) };
}

function unquote(cell: string): string {
  return cell.replace(/^`|`$/g, '');
}

/** `(model/cas-register 0)` → cas-register with initial 0; `(model/mutex)` → mutex. */
function knossosModel(cell: string): { model: string; modelOptions: Record<string, unknown> } {
  // The Clojure form is the backticked part: "`(model/mutex)` (report_test.clj:60)".
  const code = /`([^`]+)`/.exec(cell)?.[1] ?? cell;
  const form = readEdn(code);
  if (!Array.isArray(form) || !(form[0] instanceof EdnSymbol) || !form[0].name.startsWith('model/')) {
    throw new Error(`cannot read the Knossos model cell ${cell}`);
  }
  const model = form[0].name.slice('model/'.length);
  return form.length > 1 ? { model, modelOptions: { initial: ednToJson(form[1]!) } } : { model, modelOptions: {} };
}

export function knossosCases(): CorpusCase[] {
  const dir = join(CORPORA_DIR, 'knossos');
  const cases: CorpusCase[] = [];
  for (const [fileCell, expectedCell, modelCell, , ruleCell, assertionsCell] of tableRows(readFileSync(join(dir, 'MANIFEST.md'), 'utf8'))) {
    const file = unquote(fileCell!);
    const { expected, inferred } = parseExpected(expectedCell!);
    const notAHistory = !file.endsWith('.edn');
    const base = {
      corpus: 'knossos' as const, file, absolutePath: join(dir, file), expected, inferred, notAHistory,
      rule: ruleCell === '-' ? 'directory name' : ruleCell!,
    };
    if (notAHistory) {
      cases.push({ ...base, model: '', modelOptions: {} });
      continue;
    }
    const primary: CorpusCase = { ...base, ...knossosModel(modelCell!) };
    const assertions = assertionsCell ?? '';
    const budget = /:time-limit (\d+) ms => \{:valid\? :unknown/.exec(assertions);
    if (budget !== null) primary.budgetTimeLimitMs = Number(budget[1]);
    // "(false; :op = process 70 read 0 index 491)": the completion WGL reports as not linearizable.
    const failingOp = /\(false; :op (?:= )?(?:process \d+ \w+ \S+ )?index (\d+)/.exec(assertions);
    if (failingOp !== null) primary.failingOpIndex = Number(failingOp[1]);
    const reason = /single final path "([^"]+)"/.exec(assertions);
    if (reason !== null) primary.failureReason = reason[1]!;
    cases.push(primary);
    // A variant that repeats the primary check and adds nothing is left out.
    for (const variant of knossosVariantCases(base, assertions)) {
      const repeats = variant.model === primary.model && variant.expected === primary.expected &&
        JSON.stringify(variant.modelOptions) === JSON.stringify(primary.modelOptions);
      if (repeats && variant.failingOpIndex === undefined) continue;
      cases.push(variant);
    }
  }
  return cases;
}

/**
 * Checks of the same file with another initial value, from the assertions column:
 * "(cas-register nil => false; :op process 1 read 3 index 4)".
 */
function knossosVariantCases(base: Omit<CorpusCase, 'model' | 'modelOptions'>, assertions: string): CorpusCase[] {
  const variants: CorpusCase[] = [];
  const pattern = /\((cas-register|multi-register) (nil|-?\d+|\{[^}]*\}) => (?::valid\? )?(false|true|valid|invalid)([^)]*)\)/g;
  for (const match of assertions.matchAll(pattern)) {
    const [, model, initialText, verdictText, rest] = match as unknown as [string, string, string, string, string];
    const expected: ExpectedVerdict = verdictText === 'true' || verdictText === 'valid' ? 'valid' : 'invalid';
    const variant: CorpusCase = {
      ...base,
      expected,
      inferred: false,
      model,
      modelOptions: { initial: ednToJson(readEdn(initialText)) },
      rule: match[0],
    };
    const opIndex = /:op (?:process \d+ \w+ \S+ )?index (\d+)/.exec(rest);
    if (opIndex !== null) variant.failingOpIndex = Number(opIndex[1]);
    variants.push(variant);
  }
  return variants;
}

/** Porcupine's Go models, as the manifest's Formats section describes them, by our names. */
const PORCUPINE_MODELS: Record<string, { model: string; modelOptions: Record<string, unknown> }> = {
  // "Single register, initial value nil"
  etcdModel: { model: 'etcd', modelOptions: { initial: null } },
  kvModel: { model: 'kv', modelOptions: {} },
  kvNoPartitionModel: { model: 'kv-no-partition', modelOptions: {} },
};

/**
 * The part of a rule cell about one Go model: "porcupine_test.go:1473 (kvModel, partitioned);
 * porcupine_test.go:1497 (kvNoPartitionModel)". A model the cell does not mention has no upstream
 * test for this file: the file's verdict still holds, and the title says so.
 */
function ruleFor(cell: string, goModel: string): string {
  const parts = cell.split(';').map((part) => part.trim());
  if (parts.length === 1 && !/\((kv|kvNoPartition)Model/.test(cell)) return cell;
  return parts.find((part) => part.includes(`(${goModel}`)) ?? `no upstream ${goModel} test; the file's verdict`;
}

export function porcupineCases(): CorpusCase[] {
  const dir = join(CORPORA_DIR, 'porcupine');
  const cases: CorpusCase[] = [];
  for (const [fileCell, expectedCell, modelCell, , ruleCell] of tableRows(readFileSync(join(dir, 'MANIFEST.md'), 'utf8'))) {
    const file = unquote(fileCell!);
    const { expected, inferred } = parseExpected(expectedCell!);
    for (const goModel of modelCell!.split('/').map((name) => name.trim())) {
      const model = PORCUPINE_MODELS[goModel];
      if (model === undefined) throw new Error(`the Porcupine manifest names model ${goModel}, which has no counterpart here`);
      cases.push({
        corpus: 'porcupine', file, absolutePath: join(dir, file), expected, inferred, notAHistory: false,
        ...model, modelOptions: { ...model.modelOptions }, rule: ruleFor(ruleCell!, goModel),
      });
    }
  }
  return cases;
}
