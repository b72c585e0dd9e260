/**
 * What `npm run conformance` leaves for CI besides its run directories: a JUnit XML file (one test
 * case per run) and one more line in the trend file. `recordConformanceRuns` does it for a list of
 * run directories; `ConformancePublisher` is the same as a vitest reporter (the conformance
 * config's reporters hook): after the last case it records every run directory made under the
 * conformance runs folder since the run began.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
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

export interface PublisherOptions {
  /** Default <runsRoot>/junit.xml. */
  junitPath?: string;
  /** Default trend.jsonl beside the runs folder's parent (runs/trend.jsonl for runs/conformance/), which serve draws. */
  trendPath?: string;
}

/**
 * A vitest reporter (duck-typed: onInit, onTestRunEnd) for the conformance config:
 * `reporters: ['default', new ConformancePublisher(conformanceRunsRoot)]`.
 */
export class ConformancePublisher {
  private startedAt = new Date();

  constructor(private readonly runsRoot: string, private readonly options: PublisherOptions = {}) {}

  onInit(): void {
    this.startedAt = new Date();
  }

  async onTestRunEnd(): Promise<void> {
    const directories = await runDirectoriesSince(this.runsRoot, this.startedAt);
    const junitPath = this.options.junitPath ?? join(this.runsRoot, 'junit.xml');
    const trendPath = this.options.trendPath ?? join(this.runsRoot, '..', 'trend.jsonl');
    const { entry } = await recordConformanceRuns(directories, { junitPath, trendPath, label: revision() });
    process.stdout.write(`conformance: ${entry.passed} of ${entry.runs} runs passed; JUnit XML ${junitPath}; trend ${trendPath}\n`);
  }
}

/**
 * The run directories (<root>/<case>/<timestamp>/) begun at or after `since`: by results.json's
 * startedAt, or, for a run that crashed before writing it, by the directory's own time.
 */
export async function runDirectoriesSince(root: string, since: Date): Promise<string[]> {
  const found: string[] = [];
  for (const caseName of await readdir(root).catch(() => [] as string[])) {
    if (caseName === 'latest') continue;
    for (const stamp of await readdir(join(root, caseName)).catch(() => [] as string[])) {
      const directory = join(root, caseName, stamp);
      const info = await stat(directory).catch(() => null);
      if (info === null || !info.isDirectory()) continue;
      const written = await readFile(join(directory, 'results.json'), 'utf8')
        .then((text) => Date.parse((JSON.parse(text) as { startedAt?: string }).startedAt ?? ''))
        .catch(() => NaN);
      const startedAt = Number.isFinite(written) ? written : info.birthtimeMs || info.mtimeMs;
      if (startedAt >= since.getTime()) found.push(directory);
    }
  }
  return found.sort();
}

/** The commit under test ("main@1a2b3c4"), or null outside a git checkout. */
function revision(): string | null {
  try {
    const git = (args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git(['rev-parse', '--abbrev-ref', 'HEAD'])}@${git(['rev-parse', '--short', 'HEAD'])}`;
  } catch {
    // Not a git checkout (an unpacked release): the trend line just has no label.
    return null;
  }
}
