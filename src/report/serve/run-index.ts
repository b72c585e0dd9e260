/**
 * The runs under a runs folder, for `serve`'s list: every run directory (results.json,
 * history.jsonl or the simulator's summary.json) and every sweep (sweep.json, its failing seeds in
 * seed-<N>/ beside it), found up to a few folders deep (runs/<name>/<timestamp>/), newest first.
 * The `latest` link is not followed (its run is listed under its own name); a file that cannot be
 * read leaves its fields empty rather than hiding the run.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Verdict } from '../../checker/verdict.js';
import { sweepSeedSpan } from '../../history/run-directory-format.js';
import { readRunSummary } from '../run-summary.js';

export interface IndexedRun {
  /** Relative to the runs folder, with forward slashes. */
  path: string;
  kind: 'run' | 'sweep';
  name: string;
  /** ISO time; from the file, else the folder's modification time. */
  startedAt: string;
  verdict: Verdict | null;
  env: string | null;
  system: string | null;
  nemesis: string | null;
  seed: string | null;
  durationMs: number | null;
  /** A sweep's counts of valid, invalid and unknown seeds. */
  counts: { valid: number; invalid: number; unknown: number } | null;
  hasReport: boolean;
}

const RUN_MARKERS = ['results.json', 'history.jsonl', 'summary.json'];
const DEPTH_MAX = 4;
const RUNS_LISTED_MAX = 2000;

export async function indexRuns(root: string): Promise<IndexedRun[]> {
  const found: IndexedRun[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (found.length >= RUNS_LISTED_MAX) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const names = entries.map((entry) => entry.name);
    if (names.includes('sweep.json')) {
      found.push(await indexSweep(root, dir, names));
      return;
    }
    if (dir !== root && RUN_MARKERS.some((marker) => names.includes(marker))) {
      found.push(await indexRun(root, dir, names));
      return;
    }
    if (depth >= DEPTH_MAX) return;
    for (const entry of entries) {
      if (entry.isDirectory()) await visit(join(dir, entry.name), depth + 1);
    }
  };
  await visit(root, 0);
  return found.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.path.localeCompare(b.path));
}

async function indexRun(root: string, dir: string, names: readonly string[]): Promise<IndexedRun> {
  const resultsName = names.includes('results.json') ? 'results.json' : names.includes('summary.json') ? 'summary.json' : null;
  const summary = resultsName === null ? null : readRunSummary(await readJson(join(dir, resultsName)));
  const path = relativePath(root, dir);
  return {
    path, kind: 'run', name: summary?.name ?? path.split('/')[0] ?? path,
    startedAt: summary?.startedAt ?? await modifiedAt(dir),
    verdict: summary?.verdict ?? null, env: summary?.env ?? null,
    system: summary?.system === null || summary === null ? null : `${summary.system}${summary.systemVersion === null ? '' : ` ${summary.systemVersion}`}`,
    nemesis: summary?.nemesis ?? null, seed: summary?.seed === null || summary === null ? null : String(summary.seed),
    durationMs: summary?.durationMs ?? null, counts: null, hasReport: names.includes('report.html'),
  };
}

async function indexSweep(root: string, dir: string, names: readonly string[]): Promise<IndexedRun> {
  const sweep = record(await readJson(join(dir, 'sweep.json')));
  const counts = record(sweep['counts']);
  const options = record(sweep['options']);
  const span = sweepSeedSpan(sweep);
  const path = relativePath(root, dir);
  const verdict = sweep['verdict'];
  const nemesis = options['nemesis'] ?? options['faults'];
  return {
    path, kind: 'sweep', name: typeof sweep['name'] === 'string' ? sweep['name'] : path.split('/')[0] ?? path,
    startedAt: typeof sweep['startedAt'] === 'string' ? sweep['startedAt'] : await modifiedAt(dir),
    verdict: verdict === 'valid' || verdict === 'invalid' || verdict === 'unknown' ? verdict : null,
    env: typeof sweep['env'] === 'string' ? sweep['env'] : null,
    system: typeof sweep['system'] === 'string' ? sweep['system'] : null,
    nemesis: typeof nemesis === 'string' ? nemesis : Array.isArray(nemesis) ? nemesis.join(',') : null,
    seed: span.count === 0 ? null : `${span.count} seeds from ${String(span.first)}`,
    durationMs: typeof sweep['durationMs'] === 'number' ? sweep['durationMs'] : null,
    counts: { valid: count(counts['valid']), invalid: count(counts['invalid']), unknown: count(counts['unknown']) },
    hasReport: names.includes('report.html'),
  };
}

function relativePath(root: string, dir: string): string {
  return relative(root, dir).split(sep).join('/');
}

async function modifiedAt(dir: string): Promise<string> {
  return (await stat(dir)).mtime.toISOString();
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    // An unreadable results.json or sweep.json still lists the run, with its fields empty.
    return {};
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
