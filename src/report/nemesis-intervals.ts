/**
 * When each fault was in force, from the nemesis's `info` operations in the history: a fault's
 * start (start-partition, kill, pause, start-X) is paired with the first later action that undoes
 * it (stop-partition, restart, resume, stop-X) for the same schedule entry (`value.id`, as the run
 * pipeline records them) or, without one, on the same node. A fault never undone lasts to the
 * end of the run; an action that is neither a start nor an undo is an instant mark.
 */
import type { Operation } from '../history/operation.js';

export interface NemesisInterval {
  /** The fault's kind, for its colour: "partition", "kill", "pause", "clock", ... */
  kind: string;
  /** In words: "partition majorities-ring: 1,2 | 3", "kill node 2". */
  label: string;
  startS: number;
  endS: number;
  /** True when no undo was recorded: the fault lasted at least to the end of the run. */
  unended: boolean;
}

export interface NemesisMark {
  label: string;
  timeS: number;
}

export interface NemesisTimeline {
  intervals: NemesisInterval[];
  marks: NemesisMark[];
}

/** start action → its undo, for the names that do not follow start-X / stop-X. */
const UNDO_OF: Record<string, string> = {
  kill: 'restart',
  crash: 'restart',
  pause: 'resume',
  partition: 'heal',
  'skew-clock': 'reset-clock',
  'bump-clock': 'reset-clock',
};

export function nemesisTimeline(operations: readonly Operation[], originNs: number, endNs: number): NemesisTimeline {
  const seconds = (timeNs: number): number => Math.round((timeNs - originNs) / 1000) / 1e6;
  const actions = nemesisActions(operations);
  const intervals: NemesisInterval[] = [];
  const marks: NemesisMark[] = [];
  const open: { undo: string; target: string; interval: NemesisInterval }[] = [];
  for (const op of actions) {
    const target = entryIdOf(op.value) ?? targetOf(op.value) ?? (op.node === undefined ? '' : String(op.node));
    const undoIndex = open.findIndex((entry) => entry.undo === op.f && (entry.target === target || target === '' || entry.target === ''));
    if (undoIndex >= 0) {
      const [entry] = open.splice(undoIndex, 1);
      entry!.interval.endS = seconds(op.timeNs);
      entry!.interval.unended = false;
      continue;
    }
    const undo = undoOf(op.f);
    if (undo === null) {
      marks.push({ label: `${op.f}${describeValue(op.value)}`, timeS: seconds(op.timeNs) });
      continue;
    }
    const interval: NemesisInterval = {
      kind: kindOf(op.f), label: labelOf(op, target), startS: seconds(op.timeNs), endS: seconds(endNs), unended: true,
    };
    intervals.push(interval);
    open.push({ undo, target, interval });
  }
  return { intervals, marks };
}

/** The nemesis's completions; its invocations only where it recorded nothing else (one entry per action). */
function nemesisActions(operations: readonly Operation[]): Operation[] {
  const nemesis = operations.filter((op) => op.process === 'nemesis');
  const completions = nemesis.filter((op) => op.type !== 'invoke');
  return completions.length > 0 ? completions : nemesis;
}

function undoOf(f: string): string | null {
  if (UNDO_OF[f] !== undefined) return UNDO_OF[f]!;
  if (f.startsWith('start-')) return `stop-${f.slice('start-'.length)}`;
  if (f.endsWith('-start')) return `${f.slice(0, -'-start'.length)}-stop`;
  return null;
}

function kindOf(f: string): string {
  const kind = f.replace(/^start-/, '').replace(/-start$/, '');
  if (kind === 'crash') return 'kill';
  return kind.includes('clock') ? 'clock' : kind;
}

/** The schedule entry an action belongs to, when the run recorded it. */
function entryIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)['id'];
  return typeof id === 'number' || typeof id === 'string' ? `entry ${id}` : null;
}

function targetOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const node = record['node'] ?? record['nodes'];
  if (typeof node === 'number' || typeof node === 'string') return String(node);
  if (Array.isArray(node)) return node.map(String).join(',');
  return null;
}

function labelOf(op: Operation, key: string): string {
  const kind = kindOf(op.f);
  const target = targetOf(op.value) ?? (key.startsWith('entry ') ? '' : key);
  if (kind === 'partition') {
    const record = typeof op.value === 'object' && op.value !== null ? op.value as Record<string, unknown> : {};
    const shape = typeof record['shape'] === 'string' ? ` ${record['shape']}` : '';
    const grudge = typeof record['grudge'] === 'string' ? `: ${record['grudge']}`
      : typeof record['grudge'] === 'object' && record['grudge'] !== null ? `: ${describeGrudge(record['grudge'] as Record<string, unknown>)}` : '';
    return `partition${shape}${grudge}`;
  }
  if (target !== '') return `${kind} node${target.includes(',') ? 's' : ''} ${target}`;
  return `${op.f}${describeValue(op.value)}`;
}

/** {"1": [2, 3]} → "1 cut from 2,3". */
function describeGrudge(grudge: Record<string, unknown>): string {
  return Object.entries(grudge)
    .filter(([, ignored]) => Array.isArray(ignored) && ignored.length > 0)
    .map(([node, ignored]) => `${node} cut from ${(ignored as unknown[]).join(',')}`).join('; ');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return ` ${text.length > 80 ? `${text.slice(0, 79)}…` : text}`;
}
