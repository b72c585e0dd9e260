/**
 * The run directory: what one run leaves behind, the same for simulated and Docker runs, and what
 * `quorumcheck report`, `serve` and `reproduce` read. Its layout, the results.json type, a writer,
 * and a tolerant reader (a crashed run may lack files; the reader says what is missing and why).
 * docs/run-directory.md describes it for people. history/ imports nothing else of ours, so
 * run/, report/ and cli/ can all use this file.
 *
 *     runs/
 *       latest -> <name>/<timestamp>             symlink to the newest run (or sweep)
 *       <name>/<timestamp>/                       one run
 *         history.jsonl                           the client and nemesis history (jsonl.ts)
 *         schedule.json                           the fault schedule, each entry as resolved
 *         results.json                            RunResults: verdict, every check, figures
 *         nodes/<id>.log                          the node's human log lines
 *         nodes/<id>.events.jsonl                 the node's event log (node-event.ts)
 *       <name>/<timestamp>/                       a sweep (many seeds)
 *         sweep.json                              SweepResults: every seed's verdict
 *         seed-<N>/                               a full run directory per failing seed
 *
 * Timestamps are UTC, `2026-11-26T16-30-05-123Z` (ISO 8601 with ':' and '.' made safe for file
 * names), so directories sort by time.
 */
import { lstat, mkdir, readFile, readdir, rename, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { formatJsonLines, parseJsonLines } from './jsonl.js';
import { nodeEventsText, type NodeEvent } from './node-event.js';
import type { Operation } from './operation.js';

export const RUN_DIRECTORY_FORMAT_VERSION = 1;

/** Where runs go unless told otherwise. */
export const DEFAULT_RUNS_ROOT = 'runs';
export const LATEST_LINK = 'latest';

export const RUN_FILES = Object.freeze({
  history: 'history.jsonl',
  schedule: 'schedule.json',
  results: 'results.json',
  sweep: 'sweep.json',
  nodes: 'nodes',
});

export type RunVerdict = 'valid' | 'invalid' | 'unknown';
export type RunEnv = 'sim' | 'docker';

/** Relative paths of one node's files inside a run directory. */
export function nodeLogFile(nodeId: number): string {
  return `${RUN_FILES.nodes}/${nodeId}.log`;
}
export function nodeEventsFile(nodeId: number): string {
  return `${RUN_FILES.nodes}/${nodeId}.events.jsonl`;
}
/** A failing seed's run directory inside a sweep directory. */
export function sweepSeedDirectory(seed: number): string {
  return `seed-${seed}`;
}

// ------------------------------------------------------------------ results.json

/** The first event (or operation) that broke a check, for the report's pointer into the logs. */
export interface FirstViolation {
  /** The node whose event broke it, or null (a client operation, a cluster-wide fact). */
  node: number | null;
  /** When, on the run's clock in ns, or null when unknown. */
  timeNs: number | null;
  /** The rule or the kind of the event ("SingleLeader", "became-leader", "no write acknowledged"). */
  kind: string;
  detail: string;
}

export interface RunCheck {
  /**
   * linearizability, SingleLeader, MonotonicEpoch, MonotonicHighWatermark, ConsistentCommittedData,
   * NoAcknowledgedWriteLost, availability-after-heal, and others a world adds (e.g. simulation).
   */
  name: string;
  verdict: RunVerdict;
  /** One sentence: what was judged and what was found, or why the verdict is unknown. */
  message: string;
  firstViolation?: FirstViolation;
}

export interface TopicFailure {
  /** The operation that could not be linearized, in words ("create topic alpha (3 partitions)"). */
  call: string;
  /** Its invocation's index in history.jsonl (the stale or impossible operation). */
  invokeIndex: number;
  /** Its completion's index, or null (it never completed). */
  completeIndex: number | null;
  /** Why it could not follow the longest linearizable prefix, in words. */
  reason: string;
  /** Length of the longest linearizable prefix found. */
  longestPrefix: number;
}

export interface TopicLinearizability {
  topic: string;
  verdict: RunVerdict;
  calls: number;
  /** Why the verdict is unknown (budget spent), when it is. */
  cause?: string;
  failure?: TopicFailure;
}

export interface LinearizabilityResults {
  verdict: RunVerdict;
  model: string;
  /** Why the verdict is unknown, when it is. */
  cause?: string;
  calls: number;
  elapsedMs: number;
  topics: TopicLinearizability[];
}

export interface RunFigures {
  /** Client operations (invocations) in the history, nemesis actions left out. */
  operations: number;
  ok: number;
  fail: number;
  info: number;
  /** Client operations per second of the run's clock (simulated time in the simulator). */
  opsPerSecond: number;
  /** From healing every fault to the first acknowledged write, on the run's clock; null: never. */
  recoveryMs: number | null;
  /**
   * Failover (run/failover.ts): median ms from a fault taking the leader away to the first write
   * acknowledged after it while the fault held, over the trials that saw one; null: none did (or a
   * run written before this figure). `failoverTrials` faults took the leader away,
   * `failoversObserved` of them saw a write acknowledged; `failoverMsMax` the slowest.
   */
  failoverMs?: number | null;
  failoverMsMax?: number | null;
  failoverTrials?: number;
  failoversObserved?: number;
  /** Wall time the checks took. */
  checkerMs: number;
  nemesisActions: number;
  /** Length of the run on its own clock (simulated ms in the simulator). */
  runMs: number;
  /** Other figures a world reports (queue events, messages, ...). */
  [figure: string]: number | null | undefined;
}

export interface RunSystemChoice {
  name?: string;
  version?: string;
  readMode?: string;
}

export interface RunFailoverTrial {
  faultId: number;
  kind: string;
  leader: number;
  /** When the fault was in force and when it was undone (null: never), on the run's clock. */
  atMs: number;
  endedAtMs: number | null;
  /** ms to the first write acknowledged while the fault held; null: none. */
  failoverMs: number | null;
}

export interface RunNodeEntry {
  id: number;
  roles: string[];
  /** Relative path of its log lines, or null when there is none (see `missing`). */
  log: string | null;
  /** Relative path of its event log, or null when there is none. */
  events: string | null;
}

export interface RunResults {
  formatVersion: number;
  name: string;
  env: RunEnv;
  /** The system under test ("quorumd") and its version. */
  system: string;
  systemVersion: string;
  seed: number;
  /** The exact command that reproduces this run: `npx quorumcheck reproduce <this directory>`. */
  command: string;
  /** The equivalent `npx quorumcheck run ...` line, every option spelled out. */
  rerun: string;
  /** The run's options, resolved (defaults filled in). */
  options: Record<string, unknown>;
  /**
   * `--system`, `--version` and `--read-mode` as given (Docker runs of a chosen system), so
   * `reproduce` and `rerun` start the same system; absent: quorumd, the default.
   */
  systemChoice?: RunSystemChoice;
  /** ISO 8601 UTC wall-clock times. */
  startedAt: string;
  endedAt: string;
  /** Wall time of the whole run, set-up and checks included. */
  durationMs: number;
  /** valid only if every check is; invalid if any is; else unknown. */
  verdict: RunVerdict;
  checks: RunCheck[];
  /** Null when the check could not run at all (the checks list says why). */
  linearizability: LinearizabilityResults | null;
  figures: RunFigures;
  /** Each fault that took the leader away and its failover time (run/failover.ts); absent in older runs. */
  failovers?: RunFailoverTrial[];
  nodes: RunNodeEntry[];
  /** Sentences saying what is missing from this directory and why. */
  missing: string[];
  /**
   * A system without our node event stream (Kafka): each Raft invariant, judged from what the
   * system exposes (how, and the verdict, also among `checks`) or not judged (why). Absent otherwise.
   */
  observedInvariants?: { rule: string; judged: boolean; verdict: RunVerdict | null; message: string }[];
  /**
   * Rules of the node events this run gave nothing to judge (StableLeadership when the run stopped
   * watching before leadership had to settle; CheckQuorum in Docker and under pause, clock or
   * membership faults), each with why: they are no check, so never counted valid. Absent when
   * every rule was judged, and in older runs.
   */
  notJudged?: { rule: string; message: string }[];
}

/** The verdict of a list of checks: valid only if every check is; any invalid wins over unknown. */
export function combinedVerdict(checks: readonly { verdict: RunVerdict }[]): RunVerdict {
  if (checks.some((check) => check.verdict === 'invalid')) return 'invalid';
  if (checks.length === 0 || checks.some((check) => check.verdict === 'unknown')) return 'unknown';
  return 'valid';
}

// ------------------------------------------------------------------ sweep.json

export interface SweepSeedEntry {
  seed: number;
  verdict: RunVerdict;
  /** Why it is not valid, one sentence each. */
  reasons: string[];
  /** Its run directory relative to the sweep directory (failing seeds only), else null. */
  runDirectory: string | null;
  /** `npx quorumcheck run --env sim --seed N ...` for this seed. */
  rerun: string;
}

/**
 * sweep.json. A sweep of a million seeds must stay small: every seed that is not valid is listed
 * in full (`results`), valid seeds only as ranges. A range [first, last] means every
 * `seedStep`-th seed from first to last, both included (a shard of n runs every n-th seed).
 * Written before ranges (older sweeps): `seeds` listed every seed and `results` had an entry for
 * each; readers take either.
 */
export interface SweepResults {
  formatVersion: number;
  name: string;
  env: RunEnv;
  system: string;
  systemVersion: string;
  /** How many seeds ran (a time-boxed sweep: the first that many of its list). */
  seedCount: number;
  /** The step between a range's seeds: 1, or the shard count. */
  seedStep: number;
  /** The seeds that ran, in order, as ranges. */
  seedRanges: [number, number][];
  /** `i/n` when the sweep is one shard of a larger one. */
  shard: string | null;
  command: string;
  options: Record<string, unknown>;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  verdict: RunVerdict;
  counts: { valid: number; invalid: number; unknown: number };
  /** The valid seeds, as ranges (every seed that ran and is not in `results`). */
  validSeedRanges: [number, number][];
  /**
   * For each rule that some seed gave nothing to judge, in how many of the seeds that ran (a valid
   * seed is valid without it: a rule not judged is never counted valid). Absent in older sweeps.
   */
  notJudgedSeeds?: Record<string, number>;
  /** Every seed that is not valid, in seed order. */
  results: SweepSeedEntry[];
}

/** How many seeds a sweep.json says ran, and the first: from its ranges, or an older file's `seeds`. */
export function sweepSeedSpan(sweep: Readonly<Record<string, unknown>>): { count: number; first: number | null } {
  const ranges = Array.isArray(sweep['seedRanges']) ? sweep['seedRanges'] as unknown[] : null;
  if (ranges !== null && typeof sweep['seedCount'] === 'number') {
    const first = Array.isArray(ranges[0]) && typeof ranges[0][0] === 'number' ? ranges[0][0] : null;
    return { count: sweep['seedCount'], first };
  }
  const seeds = Array.isArray(sweep['seeds']) ? sweep['seeds'] as unknown[] : [];
  return { count: seeds.length, first: typeof seeds[0] === 'number' ? seeds[0] : null };
}

// ------------------------------------------------------------------ writing

/** `2026-11-26T16-30-05-123Z`. */
export function timestampName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * Creates `root/<name>/<timestamp>/` (and its nodes/ folder) and returns its path. A directory of
 * that name already there (two runs started in the same millisecond) gets a `-2`, `-3`... suffix.
 */
export async function createRunDirectory(root: string, name: string, startedAt: Date): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new RangeError(`run name '${name}' must be letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  const parent = join(root, name);
  await mkdir(parent, { recursive: true });
  const stamp = timestampName(startedAt);
  for (let attempt = 1; ; attempt += 1) {
    const directory = join(parent, attempt === 1 ? stamp : `${stamp}-${attempt}`);
    try {
      await mkdir(directory);
      await mkdir(join(directory, RUN_FILES.nodes));
      return directory;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}

/** Creates a run directory at exactly `directory` (a sweep's seed-<N>/, a reproduction's target). */
export async function createRunDirectoryAt(directory: string): Promise<string> {
  await mkdir(join(directory, RUN_FILES.nodes), { recursive: true });
  return directory;
}

/**
 * Points `root/latest` at `directory` (a relative symlink, replaced atomically by a rename, so a
 * reader never sees it missing). Where symlinks cannot be made, `latest` is left as it was and
 * the error is returned (never thrown: a run's verdict does not depend on it).
 */
export async function linkLatest(root: string, directory: string): Promise<Error | null> {
  const link = join(root, LATEST_LINK);
  const temporary = `${link}.${process.pid}.tmp`;
  try {
    await unlink(temporary).catch(() => {});
    await symlink(relative(root, directory), temporary);
    await rename(temporary, link);
    return null;
  } catch (error) {
    await unlink(temporary).catch(() => {});
    return error as Error;
  }
}

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function writeHistoryFile(directory: string, history: readonly Operation[]): Promise<void> {
  await writeFile(join(directory, RUN_FILES.history), formatJsonLines(history));
}

/** The resolved schedule, as run/ builds it (history/ does not know its type). */
export async function writeScheduleFile(directory: string, schedule: unknown): Promise<void> {
  await writeJsonFile(join(directory, RUN_FILES.schedule), schedule);
}

export async function writeResultsFile(directory: string, results: RunResults): Promise<void> {
  await writeJsonFile(join(directory, RUN_FILES.results), results);
}

export async function writeSweepFile(directory: string, sweep: SweepResults): Promise<void> {
  await writeJsonFile(join(directory, RUN_FILES.sweep), sweep);
}

export async function writeNodeEventsFile(directory: string, nodeId: number, events: readonly NodeEvent[]): Promise<string> {
  const file = nodeEventsFile(nodeId);
  await mkdir(join(directory, RUN_FILES.nodes), { recursive: true });
  await writeFile(join(directory, file), nodeEventsText(events));
  return file;
}

export async function writeNodeLogFile(directory: string, nodeId: number, text: string): Promise<string> {
  const file = nodeLogFile(nodeId);
  await mkdir(join(directory, RUN_FILES.nodes), { recursive: true });
  await writeFile(join(directory, file), text);
  return file;
}

// ------------------------------------------------------------------ reading

export interface RunDirectoryContents {
  directory: string;
  /** Null when results.json is missing or unreadable (a run that crashed before its end). */
  results: RunResults | null;
  /** Null when history.jsonl is missing or unreadable. */
  history: Operation[] | null;
  /** schedule.json as JSON (run/'s parseFaultSchedule reads it), or null. */
  schedule: unknown;
  /** Node event logs found under nodes/, by node id (raw text: the invariant checker parses it). */
  nodeEvents: Map<number, string>;
  /** Node log files found under nodes/, by node id (relative paths). */
  nodeLogs: Map<number, string>;
  /**
   * What is missing or unreadable, one sentence each, with results.json's own `missing` first.
   * Empty for a complete directory.
   */
  missing: string[];
}

/**
 * Reads whatever a run directory holds, never throwing for a missing or broken file: each one is
 * named in `missing` with the reason. Throws only when `directory` itself cannot be read.
 */
export async function readRunDirectory(directory: string): Promise<RunDirectoryContents> {
  const stat = await lstat(directory).catch((error: unknown) => {
    throw new Error(`cannot read run directory ${directory}: ${(error as Error).message}`, { cause: error });
  });
  if (!stat.isDirectory() && !stat.isSymbolicLink()) throw new Error(`${directory} is not a directory`);
  const missing: string[] = [];
  const results = await readOptional(join(directory, RUN_FILES.results), missing, (text) => parseResults(text));
  if (results !== null) missing.push(...results.missing);
  const history = await readOptional(join(directory, RUN_FILES.history), missing, (text) => parseJsonLines(text));
  const schedule = await readOptional(join(directory, RUN_FILES.schedule), missing, (text) => JSON.parse(text) as unknown);
  const nodeEvents = new Map<number, string>();
  const nodeLogs = new Map<number, string>();
  const entries = await readdir(join(directory, RUN_FILES.nodes)).catch(() => null);
  if (entries === null) {
    missing.push(`${RUN_FILES.nodes}/ is missing: no node logs were collected`);
  } else {
    for (const entry of entries.sort()) {
      const events = /^(\d+)\.events\.jsonl$/.exec(entry);
      const log = /^(\d+)\.log$/.exec(entry);
      if (events !== null) {
        nodeEvents.set(Number(events[1]), await readFile(join(directory, RUN_FILES.nodes, entry), 'utf8'));
      } else if (log !== null) {
        nodeLogs.set(Number(log[1]), `${RUN_FILES.nodes}/${entry}`);
      }
    }
    for (const node of results?.nodes ?? []) {
      if (node.events !== null && !nodeEvents.has(node.id)) missing.push(`${node.events} is missing (results.json lists it)`);
      if (node.log !== null && !nodeLogs.has(node.id)) missing.push(`${node.log} is missing (results.json lists it)`);
    }
  }
  return { directory, results, history, schedule, nodeEvents, nodeLogs, missing: [...new Set(missing)] };
}

async function readOptional<T>(path: string, missing: string[], parse: (text: string) => T): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    missing.push(code === 'ENOENT'
      ? `${relativeName(path)} is missing: the run ended before writing it`
      : `${relativeName(path)} could not be read: ${(error as Error).message}`);
    return null;
  }
  try {
    return parse(text);
  } catch (error) {
    missing.push(`${relativeName(path)} is unreadable: ${(error as Error).message.split('\n')[0]}`);
    return null;
  }
}

function relativeName(path: string): string {
  return path.split(/[\\/]/).slice(-1)[0] ?? path;
}

/** results.json, checked for the fields every reader relies on. */
export function parseResults(text: string): RunResults {
  const value = JSON.parse(text) as Partial<RunResults>;
  if (typeof value !== 'object' || value === null) throw new Error('results.json is not an object');
  if (value.formatVersion !== RUN_DIRECTORY_FORMAT_VERSION) {
    throw new Error(`results.json has format version ${String(value.formatVersion)}; this quorumcheck reads ${RUN_DIRECTORY_FORMAT_VERSION}`);
  }
  for (const field of ['name', 'env', 'verdict', 'command', 'rerun'] as const) {
    if (typeof value[field] !== 'string') throw new Error(`results.json: '${field}' must be a string`);
  }
  if (typeof value.seed !== 'number') throw new Error("results.json: 'seed' must be a number");
  if (!Array.isArray(value.checks)) throw new Error("results.json: 'checks' must be a list");
  return { ...value, missing: Array.isArray(value.missing) ? value.missing : [], nodes: Array.isArray(value.nodes) ? value.nodes : [] } as RunResults;
}
