/**
 * What `npm run conformance` leaves for CI besides its run directories: a JUnit XML file (one test
 * case per run) and one more line in the trend file. The conformance runner calls
 * `recordConformanceRuns` once, with every run directory it made, after the last run.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { junitXml } from './junit/junit-xml.js';
import { readRunSummary, type RunSummary } from './run-summary.js';
import { appendTrendEntry, trendEntry, type TrendEntry } from './trend/trend-file.js';

export interface ConformanceOutputOptions {
  junitPath: string;
  trendPath: string;
  /** The JUnit suite name (default "quorumcheck conformance"). */
  suiteName?: string;
  /** What was tested (a branch and commit), kept with the trend entry. */
  label?: string | null;
  /** When the conformance run ended (default now). */
  at?: Date;
}

export interface RecordedConformance {
  entry: TrendEntry;
  summaries: RunSummary[];
}

export async function recordConformanceRuns(runDirectories: readonly string[], options: ConformanceOutputOptions): Promise<RecordedConformance> {
  const at = options.at ?? new Date();
  const summaries = await Promise.all(runDirectories.map(readSummaryOrEmpty));
  const runs = summaries.map((summary, index) => ({ summary, directory: runDirectories[index]! }));
  await mkdir(dirname(options.junitPath), { recursive: true });
  await writeFile(options.junitPath, junitXml(options.suiteName ?? 'quorumcheck conformance', runs, at));
  const entry = trendEntry(summaries, at, options.label ?? null);
  await appendTrendEntry(options.trendPath, entry);
  return { entry, summaries };
}

/** A run without a readable results.json still counts, as a run with no verdict (an error in JUnit). */
async function readSummaryOrEmpty(directory: string): Promise<RunSummary> {
  try {
    return readRunSummary(JSON.parse(await readFile(join(directory, 'results.json'), 'utf8')));
  } catch {
    return readRunSummary({});
  }
}
