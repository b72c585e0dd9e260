/**
 * The trend file: one JSON line per conformance run (the nightly matrix), appended, so a history of
 * the suite builds up that `serve` draws: pass rate, failover time, operations per second and
 * checker time. Lines are never rewritten; a line that cannot be read (a write cut short) is
 * skipped and counted, never fatal.
 *
 *   {"at":"2026-11-26T03:10:00.000Z","label":"main@0738362","runs":12,"passed":11,"failed":1,
 *    "unknown":0,"passRate":0.917,"failoverMs":1840,"recoveryMs":2630,"opsPerSecond":212.5,"checkerMs":3100}
 *
 * Figures are medians over the conformance run's runs, from each run's results.json: failover
 * time is `figures.failoverMs` (a fault took the leader away -> the next acknowledged write,
 * run/failover.ts); recovery time `figures.recoveryMs` (every fault healed at the end of the run
 * -> the first acknowledged write), a different figure kept beside it, never in its place; ops per
 * second `figures.opsPerSecond`; checker time `figures.checkerMs`. A figure no run had is null
 * (runs written before failover was measured have none).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunSummary } from '../run-summary.js';

export const TREND_FILE = 'trend.jsonl';

export interface TrendEntry {
  /** When the conformance run ended (ISO 8601 UTC). */
  at: string;
  /** What was tested, e.g. a branch and commit; null when not given. */
  label: string | null;
  runs: number;
  passed: number;
  failed: number;
  unknown: number;
  /** passed / runs (0 when there were no runs). */
  passRate: number;
  failoverMs: number | null;
  recoveryMs: number | null;
  opsPerSecond: number | null;
  checkerMs: number | null;
}

export function trendEntry(runs: readonly RunSummary[], at: Date, label: string | null = null): TrendEntry {
  const count = (verdict: string): number => runs.filter((run) => (run.verdict ?? 'unknown') === verdict).length;
  const passed = count('valid');
  return {
    at: at.toISOString(), label, runs: runs.length, passed, failed: count('invalid'), unknown: count('unknown'),
    passRate: runs.length === 0 ? 0 : Math.round((passed / runs.length) * 1000) / 1000,
    failoverMs: median(runs.map((run) => run.figures['failoverMs'])),
    recoveryMs: median(runs.map((run) => run.figures['recoveryMs'])),
    opsPerSecond: median(runs.map((run) => run.figures['opsPerSecond'])),
    checkerMs: median(runs.map((run) => run.figures['checkerMs'])),
  };
}

export async function appendTrendEntry(path: string, entry: TrendEntry): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(entry)}\n`);
}

export interface TrendHistory {
  entries: TrendEntry[];
  /** Lines that could not be read, e.g. "line 7: not JSON". */
  skipped: string[];
}

/** The entries in file order; a missing file is an empty history. */
export async function readTrendFile(path: string): Promise<TrendHistory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: [] };
    throw error;
  }
  const entries: TrendEntry[] = [];
  const skipped: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const entry = JSON.parse(line) as Partial<TrendEntry>;
      if (typeof entry.at !== 'string' || typeof entry.passRate !== 'number') throw new Error('no "at" time or "passRate"');
      entries.push({
        at: entry.at, label: entry.label ?? null, runs: entry.runs ?? 0, passed: entry.passed ?? 0, failed: entry.failed ?? 0,
        unknown: entry.unknown ?? 0, passRate: entry.passRate, failoverMs: entry.failoverMs ?? null,
        recoveryMs: entry.recoveryMs ?? null,        opsPerSecond: entry.opsPerSecond ?? null, checkerMs: entry.checkerMs ?? null,
      });
    } catch (error) {
      skipped.push(`line ${index + 1}: ${(error as Error).message}`);
    }
  });
  return { entries, skipped };
}

function median(values: readonly (number | null | undefined)[]): number | null {
  const known = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
  if (known.length === 0) return null;
  const middle = Math.floor(known.length / 2);
  const value = known.length % 2 === 1 ? known[middle]! : (known[middle - 1]! + known[middle]!) / 2;
  return Math.round(value * 10) / 10;
}
