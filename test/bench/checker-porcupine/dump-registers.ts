/**
 * Writes the checker benchmark's register corpus (test/bench/checker.ts, registersCorpus) as
 * JSON-lines files into one folder, for Porcupine's side of the comparison (run.sh): the recorded
 * etcd fixtures as they are, and the generated histories under the names the benchmark gives them.
 *
 * Usage: node --import tsx test/bench/checker-porcupine/dump-registers.ts DIR
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatJsonLines } from '../../../src/history/jsonl.js';
import { generateRegisterHistory } from '../../support/generate-register-history.js';
import { GENERATED_REGISTER_CASES } from '../checker-registers.js';

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: dump-registers.ts DIR');
  process.exit(3);
}
mkdirSync(dir, { recursive: true });
const fixtures = fileURLToPath(new URL('../../../fixtures/etcd-register/', import.meta.url));
for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.jsonl'))) copyFileSync(join(fixtures, file), join(dir, file));
for (const { name, seed, staleReads } of GENERATED_REGISTER_CASES) {
  writeFileSync(join(dir, `${name}.jsonl`), formatJsonLines(generateRegisterHistory({ seed, staleReads }).operations));
}
console.log(`wrote the register corpus to ${dir}`);
