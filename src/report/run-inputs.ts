/**
 * Everything the report reads from a run directory, read tolerantly: a crashed run (no
 * results.json, a history cut mid-line, a node whose log was never collected) still gives what it
 * has, and each thing that is absent or unreadable becomes a sentence in `missing`, which the page
 * shows. Only a path that is not a run directory at all is an error (NotARunDirectoryError).
 *
 * The layout (the run pipeline's run directory format): `results.json`, `history.jsonl`,
 * `schedule.json`, `nodes/<id>.log` (human log lines) and `nodes/<id>.events.jsonl` (the node event
 * stream). The simulator's older directories (`summary.json`, one `events.jsonl` for every node)
 * and the container harness's collected logs (`node<id>/container.log`, `node<id>/events.jsonl`)
 * are read too.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { mergeByTime, validateNodeEvent } from '../checker/invariants/event-log-reader.js';
import type { NodeEvent } from '../history/node-event.js';
import type { Operation } from '../history/operation.js';
import { operationFromRecord } from '../history/validate.js';
import { readRunSummary, type RunSummary } from './run-summary.js';

export class NotARunDirectoryError extends Error {
  constructor(readonly path: string, why: string) {
    super(`${path} is not a run directory: ${why}`);
    this.name = 'NotARunDirectoryError';
  }
}

export interface NodeFiles {
  id: string;
  /** Relative to the run directory; null when the node has none. */
  logPath: string | null;
  eventsPath: string | null;
  logText: string | null;
}

export interface RawFile {
  /** Relative to the run directory, with forward slashes. */
  path: string;
  bytes: number;
}

export interface RunInputs {
  dir: string;
  summary: RunSummary | null;
  /** The client and nemesis operations that could be read, in file order. */
  operations: Operation[];
  /**
   * The node events the page draws (a new leader), every node's merged by time. Only those are
   * parsed: a long run's event logs hold millions of lines, mostly commits and flushes.
   */
  events: NodeEvent[];
  nodes: NodeFiles[];
  schedule: unknown;
  files: RawFile[];
  /** Sentences: what is absent or could not be read. */
  missing: string[];
}

/** The files whose presence makes a directory a run directory (one is enough). */
const RUN_MARKERS = ['results.json', 'history.jsonl', 'summary.json'];
const FILES_LISTED_MAX = 500;
/** How many unreadable lines of one file are named on the page (the rest are counted). */
const BAD_LINES_NAMED_MAX = 3;

export async function readRunInputs(dir: string): Promise<RunInputs> {
  await requireRunDirectory(dir);
  const missing: string[] = [];
  const files = await listRunFiles(dir);
  const has = (path: string): boolean => files.some((file) => file.path === path);

  let summary: RunSummary | null = null;
  const resultsName = has('results.json') ? 'results.json' : has('summary.json') ? 'summary.json' : null;
  if (resultsName === null) {
    missing.push('results.json is missing: the run did not finish, so there is no verdict or check result.');
  } else {
    const parsed = await readJson(join(dir, resultsName));
    if (parsed.ok) summary = readRunSummary(parsed.value);
    else missing.push(`${resultsName} could not be read (${parsed.error}): the verdict and check results are not shown.`);
  }
  if (summary !== null) for (const sentence of summary.missing) missing.push(sentence);

  const operations = has('history.jsonl') ? readOperations(await readFile(join(dir, 'history.jsonl'), 'utf8'), missing) : [];
  if (!has('history.jsonl')) missing.push('history.jsonl is missing: no client operations are drawn.');

  const nodes = nodeFiles(files, summary);
  for (const node of nodes) {
    if (node.logPath !== null) node.logText = await readFile(join(dir, node.logPath), 'utf8');
  }
  const eventPaths = nodes.flatMap((node) => node.eventsPath === null ? [] : [node.eventsPath]);
  if (eventPaths.length === 0 && has('events.jsonl')) eventPaths.push('events.jsonl');
  const streams = await Promise.all(eventPaths.map(async (path) => readEvents(await readFile(join(dir, path), 'utf8'), path, missing)));
  const events = mergeByTime(streams);
  if (eventPaths.length === 0) missing.push('No node event log (nodes/<id>.events.jsonl): leader changes are not marked.');
  for (const node of nodes) {
    if (node.logPath === null) missing.push(`Node ${node.id} has no log file (nodes/${node.id}.log): its log lines are not shown.`);
    if (node.eventsPath === null && !has('events.jsonl')) missing.push(`Node ${node.id} has no event log (nodes/${node.id}.events.jsonl).`);
  }
  for (const node of summary?.nodes ?? []) {
    for (const path of [node.log, node.events]) {
      if (path !== null && !has(normalise(path))) missing.push(`${path} is named in results.json but is not in the run directory.`);
    }
  }

  let schedule: unknown = null;
  if (has('schedule.json')) {
    const parsed = await readJson(join(dir, 'schedule.json'));
    if (parsed.ok) schedule = parsed.value;
    else missing.push(`schedule.json could not be read (${parsed.error}).`);
  }
  return { dir, summary, operations, events, nodes, schedule, files, missing };
}

async function requireRunDirectory(dir: string): Promise<void> {
  let entries: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new NotARunDirectoryError(dir, 'it is a file, not a directory');
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof NotARunDirectoryError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new NotARunDirectoryError(dir, code === 'ENOENT' ? 'it does not exist' : (error as Error).message);
  }
  if (!RUN_MARKERS.some((name) => entries.includes(name))) {
    throw new NotARunDirectoryError(dir, `it holds none of ${RUN_MARKERS.join(', ')}` +
      (entries.includes('latest') ? ` (it looks like a folder of runs: try ${join(dir, 'latest')})` : ''));
  }
}

/** Every file under the run directory (report.html excepted unless asked for), up to a limit, sorted by path. */
export async function listRunFiles(dir: string, options: { withReport?: boolean } = {}): Promise<RawFile[]> {
  const found: RawFile[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (found.length >= FILES_LISTED_MAX) return;
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push({ path: relative(dir, path).split(sep).join('/'), bytes: (await stat(path)).size });
    }
  };
  await walk(dir);
  return found.filter((file) => options.withReport === true || file.path !== 'report.html').sort((a, b) => a.path.localeCompare(b.path));
}

/** Nodes from results.json where it lists them, else from the files: nodes/<id>.*, or node<id>/. */
function nodeFiles(files: readonly RawFile[], summary: RunSummary | null): NodeFiles[] {
  const paths = new Set(files.map((file) => file.path));
  const existing = (path: string | null): string | null => path !== null && paths.has(normalise(path)) ? normalise(path) : null;
  const byId = new Map<string, NodeFiles>();
  const node = (id: string): NodeFiles => {
    let entry = byId.get(id);
    if (entry === undefined) {
      entry = { id, logPath: null, eventsPath: null, logText: null };
      byId.set(id, entry);
    }
    return entry;
  };
  for (const listed of summary?.nodes ?? []) {
    const entry = node(listed.id);
    entry.logPath = existing(listed.log) ?? existing(`nodes/${listed.id}.log`);
    entry.eventsPath = existing(listed.events) ?? existing(`nodes/${listed.id}.events.jsonl`);
  }
  for (const path of paths) {
    const layout = /^nodes\/([^/]+?)(\.events\.jsonl|\.log)$/.exec(path) ?? /^node([^/]+)\/(events\.jsonl|container\.log)$/.exec(path);
    if (layout === null) continue;
    const entry = node(layout[1]!);
    if (layout[2]!.endsWith('events.jsonl')) entry.eventsPath ??= path;
    else entry.logPath ??= path;
  }
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  const numberA = Number(a);
  const numberB = Number(b);
  return Number.isFinite(numberA) && Number.isFinite(numberB) ? numberA - numberB : a.localeCompare(b);
}

function normalise(path: string): string {
  return path.replace(/^\.\//, '').split(sep).join('/');
}

/** Operations line by line; a line that cannot be read (a torn last line of a crashed run) is skipped and said. */
function readOperations(text: string, missing: string[]): Operation[] {
  const operations: Operation[] = [];
  const bad: string[] = [];
  forEachLine(text, (line, number) => {
    try {
      operations.push(operationFromRecord(JSON.parse(line), number));
    } catch (error) {
      bad.push(`line ${number}: ${(error as Error).message}`);
    }
  });
  noteBadLines('history.jsonl', bad, missing);
  return operations;
}

/** The event kinds the report shows; other lines are not parsed. */
const EVENT_KINDS_SHOWN = ['became-leader'];

function readEvents(text: string, path: string, missing: string[]): NodeEvent[] {
  const events: NodeEvent[] = [];
  const bad: string[] = [];
  forEachLine(text, (line, number) => {
    if (!EVENT_KINDS_SHOWN.some((kind) => line.includes(kind))) return;
    try {
      events.push(validateNodeEvent(JSON.parse(line), `${path}:${number}`));
    } catch (error) {
      bad.push(`line ${number}: ${(error as Error).message}`);
    }
  });
  noteBadLines(path, bad, missing);
  return events;
}

function noteBadLines(path: string, bad: readonly string[], missing: string[]): void {
  if (bad.length === 0) return;
  const named = bad.slice(0, BAD_LINES_NAMED_MAX).join('; ');
  const more = bad.length > BAD_LINES_NAMED_MAX ? ` and ${bad.length - BAD_LINES_NAMED_MAX} more` : '';
  missing.push(`${path}: ${bad.length} line${bad.length === 1 ? '' : 's'} could not be read and ${bad.length === 1 ? 'is' : 'are'} left out (${named}${more}).`);
}

function forEachLine(text: string, visit: (line: string, number: number) => void): void {
  let start = 0;
  let number = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    number++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line !== '') visit(line, number);
  }
}

async function readJson(path: string): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  try {
    return { ok: true, value: JSON.parse(await readFile(path, 'utf8')) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
