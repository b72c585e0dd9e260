/**
 * The pieces a run report is built from, each on small crafted input: operations as rows, fault
 * intervals from nemesis actions, throughput and quantiles, and a node log excerpt placed on the
 * run's time axis by its clock anchor.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clockAnchorMessage, formatNodeLogLine } from '../../src/history/node-log-line.js';
import type { Operation } from '../../src/history/operation.js';
import { nemesisTimeline } from '../../src/report/nemesis-intervals.js';
import { logExcerpt } from '../../src/report/node-log-excerpt.js';
import { OUTCOME_CODE, operationRows } from '../../src/report/operation-rows.js';
import { latencyTable, nearestRank, rateSeries } from '../../src/report/rates.js';

const MS = 1e6;

function history(entries: [Operation['type'], Operation['process'], string, unknown, number][]): Operation[] {
  return entries.map(([type, process, f, value, timeMs], index) => ({ index, type, process, f, value, timeNs: timeMs * MS }));
}

describe('operationRows', () => {
  const ops = history([
    ['invoke', 10, 'create-topic', { name: 'a' }, 0],
    ['invoke', 2, 'describe-topic', { name: 'a' }, 1],
    ['info', 'nemesis', 'kill', { node: 1 }, 2],
    ['ok', 10, 'create-topic', { created: true }, 5],
    ['fail', 2, 'describe-topic', null, 6],
    ['invoke', 2, 'describe-topic', { name: 'a' }, 7],
    ['info', 2, 'describe-topic', null, 9],
    ['invoke', 10, 'create-topic', { name: 'a' }, 10],
  ]);
  const rows = operationRows(ops, 0, 20 * MS);

  it('makes one row per invocation with its outcome; a never-completed one runs to the end', () => {
    expect(rows.startS).toEqual([0, 0.001, 0.007, 0.01]);
    expect(rows.endS).toEqual([0.005, 0.006, 0.009, 0.02]);
    expect(rows.outcome).toEqual([OUTCOME_CODE.ok, OUTCOME_CODE.fail, OUTCOME_CODE.info, OUTCOME_CODE.open]);
    expect(rows.index).toEqual([0, 1, 5, 7]);
  });

  it('orders lanes by process number (2 before 10) and interns functions and texts', () => {
    expect(rows.processes).toEqual(['2', '10']);
    expect(rows.lane).toEqual([1, 0, 0, 1]);
    expect(rows.functions).toEqual(['create-topic', 'describe-topic']);
    expect(rows.texts[rows.text[0]!]).toBe('create-topic {"name":"a"} → ok {"created":true}');
    expect(rows.texts[rows.text[3]!]).toBe('create-topic {"name":"a"}');
    expect(rows.text[1]).not.toBe(rows.text[2]);
  });
});

describe('nemesisTimeline', () => {
  it('pairs each fault with its undo for the same schedule entry or node; an undone fault is open to the end; others are marks', () => {
    const ops = history([
      ['info', 'nemesis', 'start-partition', { shape: 'bridge', grudge: '1,2 | 3' }, 1000],
      ['info', 'nemesis', 'kill', { node: 2 }, 1500],
      ['info', 'nemesis', 'pause', { node: 3 }, 1600],
      ['info', 'nemesis', 'resume', { node: 3 }, 1700],
      ['info', 'nemesis', 'stop-partition', null, 2000],
      ['info', 'nemesis', 'restart', { node: 9 }, 2100],
      ['info', 'nemesis', 'compact', { node: 1 }, 2200],
      ['info', 'nemesis', 'start-kill', { id: 7, nodes: [1] }, 2300],
      ['info', 'nemesis', 'start-kill', { id: 8, nodes: [3] }, 2400],
      ['info', 'nemesis', 'stop-kill', { id: 7, nodes: [1] }, 2900],
      ['info', 'nemesis', 'start-partition', { id: 9, grudge: { 1: [2, 3], 2: [1], 3: [] } }, 3000],
    ]);
    const timeline = nemesisTimeline(ops, 0, 5000 * MS);
    expect(timeline.intervals).toEqual([
      { kind: 'partition', label: 'partition bridge: 1,2 | 3', startS: 1, endS: 2, unended: false },
      { kind: 'kill', label: 'kill node 2', startS: 1.5, endS: 5, unended: true },
      { kind: 'pause', label: 'pause node 3', startS: 1.6, endS: 1.7, unended: false },
      { kind: 'kill', label: 'kill node 1', startS: 2.3, endS: 2.9, unended: false },
      { kind: 'kill', label: 'kill node 3', startS: 2.4, endS: 5, unended: true },
      { kind: 'partition', label: 'partition: 1 cut from 2,3; 2 cut from 1', startS: 3, endS: 5, unended: true },
    ]);
    expect(timeline.marks).toEqual([
      { label: 'restart {"node":9}', timeS: 2.1 },
      { label: 'compact {"node":1}', timeS: 2.2 },
    ]);
  });
});

describe('rates', () => {
  const ops = history([
    ['invoke', 0, 'read', null, 0], ['ok', 0, 'read', 1, 10],
    ['invoke', 0, 'read', null, 20], ['ok', 0, 'read', 1, 50],
    ['invoke', 1, 'write', 1, 0], ['fail', 1, 'write', null, 1500],
    ['invoke', 1, 'write', 2, 1600], ['info', 1, 'write', null, 1900],
  ]);
  const rows = operationRows(ops, 0, 2000 * MS);

  it('counts completions per second in round buckets, by outcome, with latency quantiles of ok ones', () => {
    const series = rateSeries(rows, 2);
    expect(series.bucketS).toBe(0.02);
    expect(series.timeS).toHaveLength(100);
    expect(series.okPerS[0]).toBe(50);
    expect(series.okPerS[2]).toBe(50);
    expect(series.failPerS[75]).toBe(50);
    expect(series.infoPerS[95]).toBe(50);
    expect(series.p50Ms[0]).toBe(10);
    expect(series.maxMs[2]).toBe(30);
    expect(series.p50Ms[1]).toBeNull();
  });

  it('tabulates each function: outcome counts and nearest-rank quantiles of ok latencies', () => {
    expect(latencyTable(rows)).toEqual([
      { f: 'read', ok: 2, fail: 0, info: 0, open: 0, p50Ms: 10, p90Ms: 30, p99Ms: 30, maxMs: 30 },
      { f: 'write', ok: 0, fail: 1, info: 1, open: 0, p50Ms: null, p90Ms: null, p99Ms: null, maxMs: null },
    ]);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank([5], 0.99)).toBe(5);
  });
});

describe('logExcerpt', () => {
  const base = Date.UTC(2026, 10, 21, 7, 0, 0);
  const line = (offsetMs: number, message: string, level: 'INFO' | 'WARN' = 'INFO') =>
    formatNodeLogLine(new Date(base + offsetMs), level, 'QuorumNode id=1', message);
  // Monotonic time 5 s at the anchor; the run's origin is monotonic 4 s, so the anchor sits at 1 s.
  const text = line(0, clockAnchorMessage(5e9)) +
    Array.from({ length: 100 }, (_, i) => line(100 * (i + 1), `step ${i + 1}`)).join('') +
    line(10_050, 'Stopping: Error: boom\n    at f (x.ts:1:1)', 'WARN');

  it('centres on the moment, placing each entry by the clock anchor', () => {
    const excerpt = logExcerpt(text, { originNs: 4e9, momentNs: 8e9, linesBefore: 3, linesAfter: 2 });
    expect(excerpt.totalLines).toBe(103);
    expect(excerpt.lines.map((entry) => entry.text.replace(/^.*\] /, ''))).toEqual(['step 27', 'step 28', 'step 29', 'step 30', 'step 31']);
    expect(excerpt.lines.map((entry) => entry.timeS)).toEqual([3.7, 3.8, 3.9, 4, 4.1]);
    expect(excerpt.lines.filter((entry) => entry.atMoment).map((entry) => entry.line)).toEqual([31]);
    expect(excerpt.note).toBe('Entries around the failure at 4.000 s, placed by the log\'s clock anchor.');
  });

  it('keeps a continuation line with its entry, and says so when the log ends before the moment', () => {
    const excerpt = logExcerpt(text, { originNs: 4e9, momentNs: 60e9, linesBefore: 1, linesAfter: 5 });
    expect(excerpt.lines.map((entry) => [entry.line, entry.level])).toEqual([[102, 'WARN'], [103, 'WARN']]);
    expect(excerpt.lines[1]!.text).toBe('\t    at f (x.ts:1:1)');
    expect(excerpt.note).toMatch(/^The log ends before the moment of the failure/);
  });

  it('says so when the anchor puts the log on another clock than the run', () => {
    const excerpt = logExcerpt(text, { originNs: 4e15, momentNs: 4e15 + 1e9, endNs: 4e15 + 2e9, linesBefore: 1, linesAfter: 1 });
    expect(excerpt.lines.map((entry) => [entry.line, entry.timeS])).toEqual([[101, null], [102, null], [103, null]]);
    expect(excerpt.note).toMatch(/^This log's clock anchor does not match the run's clock/);
  });

  it('without an anchor, shows the last lines and says why', () => {
    const unanchored = Array.from({ length: 10 }, (_, i) => line(i, `line ${i}`)).join('');
    const excerpt = logExcerpt(unanchored, { originNs: 0, momentNs: 1e9, linesBefore: 2, linesAfter: 1 });
    expect(excerpt.lines.map((entry) => entry.line)).toEqual([8, 9, 10]);
    expect(excerpt.lines.every((entry) => entry.timeS === null)).toBe(true);
    expect(excerpt.note).toMatch(/no clock-anchor line/);
  });
});

describe('the browser scripts as the build ships them', () => {
  it('are classic scripts once read for a page, from src/ and from dist/', async () => {
    const { Script } = await import('node:vm');
    const fromSource = await import('../../src/report/page/assets.js');
    const builtPath = new URL('../../dist/report/page/assets.js', import.meta.url).pathname;
    const modules = [fromSource];
    if (existsSync(builtPath)) modules.push(await import(builtPath) as typeof fromSource);
    for (const assets of modules) {
      const code = assets.pageScript('run-report.js');
      expect(() => new Script(code)).not.toThrow();
      expect(code).not.toMatch(/sourceMappingURL|^export /m);
    }
  });
});

describe('logExcerpt of simulator event lines', () => {
  it('places each line by the run-clock milliseconds it starts with', () => {
    const text = Array.from({ length: 10 }, (_, i) => `${(1000 * i).toFixed(3).padStart(10)} ms  n2  epoch-changed  epoch=${i}\n`).join('');
    const excerpt = logExcerpt(text, { originNs: 0, momentNs: 4.5e9, linesBefore: 1, linesAfter: 2 });
    expect(excerpt.lines.map((entry) => [entry.line, entry.timeS, entry.atMoment])).toEqual([[5, 4, false], [6, 5, true], [7, 6, false]]);
    expect(excerpt.note).toBe('Entries around the failure at 4.500 s, placed by the run clock in each line.');
  });
});
