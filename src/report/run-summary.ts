/**
 * What the report needs from a run's `results.json`, read field by field so that a file from an
 * older or newer writer, or one cut short, still gives whatever it holds: a field that is absent
 * or of the wrong type is left out, never an error. The writer and the authoritative type are
 * RunResults in src/history/run-directory-format.ts; this is the report's tolerant view of it (it
 * also reads the simulator's older summary.json).
 */
import type { Verdict } from '../checker/verdict.js';

export interface CheckSummary {
  name: string;
  verdict: Verdict;
  message: string;
  /** The node is null for a violation by a client operation or the whole cluster; the time when unknown. */
  firstViolation?: { node: string | null; timeNs: number | null; kind: string; detail: string };
}

export interface TopicSummary {
  topic: string;
  verdict: Verdict;
  calls: number | null;
  /** In words, when the writer said why the topic failed or is unknown. */
  failure: string | null;
}

export interface NodeSummary {
  id: string;
  roles: string[];
  /** Paths relative to the run directory. */
  log: string | null;
  events: string | null;
}

export interface RunSummary {
  name: string | null;
  env: string | null;
  system: string | null;
  systemVersion: string | null;
  seed: number | string | null;
  /** The exact command that reproduces the run. */
  command: string | null;
  /** The equivalent `quorumcheck run` line, every option spelled out. */
  rerun: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  verdict: Verdict | null;
  checks: CheckSummary[];
  /** Rules the run gave nothing to judge, and why (results.json's notJudged; none in older runs). */
  notJudged: { rule: string; message: string }[];
  linearizability: { verdict: Verdict; cause: string | null; topics: TopicSummary[] } | null;
  /** Named figures (operations, opsPerSecond, recoveryMs, checkerMs, ...): numbers only. */
  figures: Record<string, number>;
  nodes: NodeSummary[];
  /** Why the run is not valid, in sentences, where the writer listed them (the simulator's summary.json). */
  reasons: string[];
  /** What the writer itself said was missing. */
  missing: string[];
  options: Record<string, unknown>;
  /** The nemesis in words, where the writer gave it (options.nemesis, or faults). */
  nemesis: string | null;
}

const VERDICTS: readonly string[] = ['valid', 'invalid', 'unknown'];

export function readRunSummary(value: unknown): RunSummary {
  const record = asRecord(value);
  const options = asRecord(record['options']);
  return {
    name: text(record['name']),
    env: text(record['env']),
    system: text(record['system']),
    systemVersion: text(record['systemVersion']),
    seed: typeof record['seed'] === 'number' || typeof record['seed'] === 'string' ? record['seed'] : null,
    command: text(record['command']) ?? text(record['replay']),
    rerun: text(record['rerun']),
    startedAt: text(record['startedAt']),
    endedAt: text(record['endedAt']),
    durationMs: number(record['durationMs']) ?? number(record['wallMs']),
    verdict: verdict(record['verdict']),
    checks: list(record['checks']).flatMap(readCheck),
    notJudged: list(record['notJudged']).flatMap((entry) => {
      const rule = text(asRecord(entry)['rule']);
      return rule === null ? [] : [{ rule, message: text(asRecord(entry)['message']) ?? '' }];
    }),
    linearizability: readLinearizability(record['linearizability']),
    figures: readFigures(record['figures']),
    nodes: list(record['nodes']).flatMap(readNode),
    reasons: strings(record['reasons']),
    missing: strings(record['missing']),
    options,
    nemesis: describeNemesis(options),
  };
}

function readCheck(value: unknown): CheckSummary[] {
  const record = asRecord(value);
  const name = text(record['name']);
  const checkVerdict = verdict(record['verdict']);
  if (name === null || checkVerdict === null) return [];
  const check: CheckSummary = { name, verdict: checkVerdict, message: text(record['message']) ?? '' };
  if (typeof record['firstViolation'] === 'object' && record['firstViolation'] !== null) {
    const first = asRecord(record['firstViolation']);
    const node = first['node'];
    check.firstViolation = {
      node: typeof node === 'number' || typeof node === 'string' ? String(node) : null,
      timeNs: number(first['timeNs']),
      kind: text(first['kind']) ?? '',
      detail: typeof first['detail'] === 'string' ? first['detail'] : JSON.stringify(first['detail'] ?? ''),
    };
  }
  return [check];
}

function readLinearizability(value: unknown): RunSummary['linearizability'] {
  const record = asRecord(value);
  const overall = verdict(record['verdict']);
  if (overall === null) return null;
  const topics = list(record['topics']).flatMap((entry): TopicSummary[] => {
    const topic = asRecord(entry);
    const name = text(topic['topic']);
    const topicVerdict = verdict(topic['verdict']);
    if (name === null || topicVerdict === null) return [];
    const failure = topic['failure'];
    return [{
      topic: name, verdict: topicVerdict, calls: number(topic['calls']),
      failure: failure === undefined || failure === null ? text(topic['cause']) : typeof failure === 'string' ? failure : describeFailure(failure),
    }];
  });
  return { verdict: overall, cause: text(record['cause']), topics };
}

/** A topic's failure in one line: "describe topic a → 3 partitions: it has 5", else its JSON. */
function describeFailure(value: unknown): string {
  const record = asRecord(value);
  const call = text(record['call']);
  const reason = text(record['reason']) ?? text(record['message']);
  if (call !== null) return reason === null ? call : `${call}: ${reason}`;
  return reason ?? JSON.stringify(value);
}

function readFigures(value: unknown): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const [key, entry] of Object.entries(asRecord(value))) {
    if (typeof entry === 'number' && Number.isFinite(entry)) figures[key] = entry;
  }
  return figures;
}

function readNode(value: unknown): NodeSummary[] {
  const record = asRecord(value);
  const id = record['id'];
  if (typeof id !== 'number' && typeof id !== 'string') return [];
  return [{
    id: String(id),
    roles: strings(record['roles']),
    log: text(record['log']),
    events: text(record['events']),
  }];
}

function describeNemesis(options: Record<string, unknown>): string | null {
  const nemesis = options['nemesis'] ?? options['faults'];
  if (typeof nemesis === 'string') return nemesis;
  if (Array.isArray(nemesis)) return nemesis.length === 0 ? 'none' : nemesis.map(String).join(',');
  return null;
}

function verdict(value: unknown): Verdict | null {
  return typeof value === 'string' && VERDICTS.includes(value) ? value as Verdict : null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function strings(value: unknown): string[] {
  return list(value).flatMap((entry) => typeof entry === 'string' ? [entry] : []);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function number(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
