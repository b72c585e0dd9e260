/**
 * The code and styles a page inlines, read once per process: uPlot (the plotting library: small,
 * canvas-based, and fast enough for 100,000 points) and our own browser scripts, which live beside
 * this file as plain JavaScript (type-checked with DOM types by page/tsconfig.json). Inlining keeps
 * every page one self-contained file that opens without a network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cache = new Map<string, string>();

function readOnce(key: string, path: () => string): string {
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(path(), 'utf8');
    cache.set(key, text);
  }
  return text;
}

export function uplotScript(): string {
  return readOnce('uplot.js', () => require.resolve('uplot/dist/uPlot.iife.min.js'));
}

export function uplotStyle(): string {
  return readOnce('uplot.css', () => require.resolve('uplot/dist/uPlot.min.css'));
}

/**
 * One of our browser scripts (page/*.js), by file name: from src/ when run from source, from dist/
 * (where the build copied it) otherwise. What the build adds is dropped: its `export {};` (the
 * package is ESM, so tsc takes the file for a module, but the page runs it as a classic script)
 * and its source-map comment (the page has no map beside it).
 */
export function pageScript(name: 'run-report.js' | 'trend-chart.js'): string {
  return readOnce(name, () => new URL(`./${name}`, import.meta.url).pathname)
    .replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')
    .replace(/\nexport \{\};\s*$/, '\n');
}

/** Text that can sit inside an inline <script> or <style> element: it cannot close it early. */
export function inlineSafe(code: string, element: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
}
