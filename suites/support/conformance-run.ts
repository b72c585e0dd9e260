/**
 * One conformance run, as a user runs it: `quorumcheck run --env docker ...` in a child process
 * (from src/ through tsx, so the suite tests the code beside it), its exit code, its results.json
 * and its run directory. Each case writes under runs/conformance/<case>/, so the nightly matrix
 * leaves one run directory per case behind for reports and trends to read.
 */
import { execa } from 'execa';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { parseResults, type RunResults } from '../../src/history/run-directory-format.js';
import { repositoryRoot } from '../../src/harness/docker/project-paths.js';
import { listLabelledResources } from '../../src/harness/docker/resource-labels.js';
import type { Topology } from './topologies.js';

/** Where the suites' runs go, one folder per case (a clean hook for reports and trend files). */
export const conformanceRunsRoot = path.join(repositoryRoot, 'runs', 'conformance');

export interface ConformanceCase {
  /** Names the case's folder: letters, digits, '-'. */
  name: string;
  topology: Topology;
  nemesis: readonly string[];
  timeLimitS: number;
  seed: number;
  concurrency?: number;
  rate?: number;
  partitionShapes?: readonly string[];
  nodeConfig?: Readonly<Record<string, string>>;
  extraArgs?: readonly string[];
}

export interface ConformanceOutcome {
  exitCode: number;
  results: RunResults | null;
  /** The run directory (runs/conformance/<case>/<time>/), or null if none was written. */
  runDirectory: string | null;
  /** Progress and errors as the user saw them, for a failure's message. */
  stderr: string;
  /** The command line, to repeat the case by hand. */
  command: string;
  /** The child's pid: every container and network it made carries it as a label. */
  pid: number;
}

export function quorumcheckArgs(testCase: ConformanceCase): string[] {
  return [
    'run', '--env', 'docker', '--seed', String(testCase.seed),
    '--nodes', String(testCase.topology.nodes), '--roles', testCase.topology.roles,
    '--nemesis', testCase.nemesis.length === 0 ? 'none' : testCase.nemesis.join(','),
    '--time-limit', String(testCase.timeLimitS),
    ...(testCase.concurrency === undefined ? [] : ['--concurrency', String(testCase.concurrency)]),
    ...(testCase.rate === undefined ? [] : ['--rate', String(testCase.rate)]),
    ...(testCase.partitionShapes === undefined ? [] : ['--partition-shapes', testCase.partitionShapes.join(',')]),
    ...Object.entries(testCase.nodeConfig ?? {}).flatMap(([key, value]) => ['--node-config', `${key}=${value}`]),
    '--name', testCase.name, '--runs-dir', conformanceRunsRoot, '--json',
    ...(testCase.extraArgs ?? []),
  ];
}

export async function runConformanceCase(testCase: ConformanceCase, timeoutMs: number): Promise<ConformanceOutcome> {
  const args = quorumcheckArgs(testCase);
  const subprocess = execa('node', ['--import', 'tsx', path.join(repositoryRoot, 'src', 'cli', 'quorumcheck.ts'), ...args], {
    cwd: repositoryRoot, reject: false, timeout: timeoutMs, killSignal: 'SIGINT', all: false,
  });
  const pid = subprocess.pid ?? -1;
  const result = await subprocess;
  const stdout = String(result.stdout);
  let results: RunResults | null = null;
  try {
    results = stdout.trim() === '' ? null : parseResults(stdout);
  } catch {
    results = null;
  }
  // results.json names its directory in its reproduce command (runs/latest may be another case's when cases run side by side).
  const named = results?.command.match(/^npx quorumcheck reproduce (.+)$/)?.[1];
  const runDirectory = results === null ? null : named ?? await realpath(path.join(conformanceRunsRoot, 'latest')).catch(() => null);
  return {
    exitCode: result.exitCode ?? -1,
    results,
    runDirectory,
    stderr: String(result.stderr),
    command: `npx quorumcheck ${args.join(' ')}`,
    pid,
  };
}

/** Containers and networks a finished child left in the engine (there should be none). */
export async function leftoversOf(pid: number): Promise<string[]> {
  return (await listLabelledResources()).filter((resource) => resource.pid === pid).map((resource) => `${resource.kind} ${resource.id}`);
}

/** A readable account of a run that did not go as the case expected. */
export function describeOutcome(outcome: ConformanceOutcome): string {
  const checks = outcome.results?.checks.map((check) => `  ${check.verdict} ${check.name}: ${check.message.split('\n')[0]}`).join('\n') ?? '  (no results.json)';
  return [
    `exit ${outcome.exitCode}; run directory ${outcome.runDirectory ?? '(none)'}`,
    `repeat with: ${outcome.command}`,
    checks,
    'last lines of its output:',
    ...outcome.stderr.trim().split('\n').slice(-15),
  ].join('\n');
}

/** The history of a run directory, one operation per line. */
export async function readHistory(runDirectory: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path.join(runDirectory, 'history.jsonl'), 'utf8');
  return text.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}
