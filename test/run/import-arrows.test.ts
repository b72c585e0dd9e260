/**
 * The run pipeline's place among the parts: nothing imports src/run/ but src/cli/ and src/selftest/
 * (so sim/ and harness/ stay worlds' mechanisms, usable without the pipeline, and the arrows point
 * one way).
 * Read from the sources' own import lines, static and dynamic.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');
const RUN = join(SRC, 'run');
/**
 * The parts allowed to import run/: itself, the command line that wires it, and selftest/, which
 * drives runs of quorumd's bug switches for `quorumcheck selftest` (cli/ -> selftest/ -> run/).
 */
const ALLOWED = [RUN, join(SRC, 'cli'), join(SRC, 'selftest')];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative module a file imports (import ... from, export ... from, import()), resolved to a path. */
function importedPaths(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => resolve(dirname(file), specifier));
}

function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}

describe('who imports run/', () => {
  it('finds an import of run/ when there is one (the scan itself can fail)', () => {
    const file = join(SRC, 'sim', 'x.ts');
    const paths = importedPaths(file, "import { a } from '../run/pipeline.js';\nconst m = await import('../run/world.js');\nexport { b } from './y.js';");
    expect(paths.filter((path) => inside(path, RUN))).toHaveLength(2);
  });

  it('nothing outside run/, cli/ and selftest/ imports run/: sim/ and harness/ least of all', () => {
    const offenders: string[] = [];
    const scanned = sourceFiles(SRC).filter((file) => !ALLOWED.some((folder) => inside(file, folder)));
    for (const file of scanned) {
      for (const path of importedPaths(file, readFileSync(file, 'utf8'))) {
        if (inside(path, RUN)) offenders.push(`${relative(SRC, file)} -> ${relative(SRC, path)}`);
      }
    }
    expect(scanned.some((file) => inside(file, join(SRC, 'sim')))).toBe(true);
    expect(scanned.some((file) => inside(file, join(SRC, 'harness')))).toBe(true);
    expect(offenders).toEqual([]);
  });
});
