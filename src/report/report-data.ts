/**
 * A run's inputs boiled down to what its page shows: the time axis (origin and length), the
 * operations as rows, fault intervals, new leaders, throughput and latency figures, the failure
 * moment, the failing topic's witness and each node's log excerpt. Kept apart from the markup so
 * each part can be tested on its own; `chartData` is the part embedded as JSON for the browser.
 */
import type { NodeEvent } from '../history/node-event.js';
import type { Operation } from '../history/operation.js';
import { findLinearizabilityFailure, type FailureLookup } from './linearizability-failure.js';
import { nemesisTimeline, type NemesisTimeline } from './nemesis-intervals.js';
import { logExcerpt, type LogExcerpt } from './node-log-excerpt.js';
import { operationRows, type OperationRows } from './operation-rows.js';
import { latencyTable, rateSeries, type LatencyRow, type RateSeries } from './rates.js';
import type { RunInputs } from './run-inputs.js';

export interface LeaderMark {
  timeS: number;
  node: number;
  epoch: number;
}

export interface ChartData {
  durationS: number;
  rows: OperationRows;
  nemesis: NemesisTimeline;
  leaders: LeaderMark[];
  rates: RateSeries;
  /** When the run first went wrong (first violating event, else the failing call), if it did. */
  failureS: number | null;
}

export interface ReportData {
  inputs: RunInputs;
  originNs: number;
  chart: ChartData;
  latency: LatencyRow[];
  failure: FailureLookup;
  logs: { node: string; path: string | null; excerpt: LogExcerpt | null }[];
  /** Problems found while building the page (said on it, like `inputs.missing`). */
  notes: string[];
}

export interface ReportDataOptions {
  /** Budget for checking the failing topic again (default 20 s). */
  checkTimeLimitMs?: number;
}

/** The events' clock and the history's differ by more than this: do not draw them on one axis. */
const CLOCK_MISMATCH_NS = 60e9;

export function buildReportData(inputs: RunInputs, options: ReportDataOptions = {}): ReportData {
  const notes: string[] = [];
  const clientOps = inputs.operations;
  const events = eventsOnHistoryClock(inputs.events, clientOps, notes);
  const times = [...boundsOf(clientOps.map((op) => op.timeNs)), ...boundsOf(events.map((event) => event.timeNs))];
  const originNs = times.length === 0 ? 0 : Math.min(...times);
  const endNs = times.length === 0 ? 0 : Math.max(...times);
  const durationS = Math.max(0.001, (endNs - originNs) / 1e9);
  const rows = operationRows(clientOps, originNs, endNs);
  const failure = findLinearizabilityFailure(clientOps, inputs.summary, options.checkTimeLimitMs === undefined ? {} : { timeLimitMs: options.checkTimeLimitMs });
  const momentNs = failureMomentNs(inputs, failure);
  const chart: ChartData = {
    durationS,
    rows,
    nemesis: nemesisTimeline(clientOps, originNs, endNs),
    leaders: events.filter((event) => event.kind === 'became-leader')
      .map((event) => ({ timeS: Math.round((event.timeNs - originNs) / 1000) / 1e6, node: event.node, epoch: event.epoch })),
    rates: rateSeries(rows, durationS),
    failureS: momentNs === null ? null : Math.round((momentNs - originNs) / 1000) / 1e6,
  };
  const logs = inputs.nodes.map((node) => ({
    node: node.id,
    path: node.logPath,
    excerpt: node.logText === null ? null : logExcerpt(node.logText, { originNs, momentNs, endNs }),
  }));
  return { inputs, originNs, chart, latency: latencyTable(rows), failure, logs, notes };
}

/** Min and max without spreading a 100k-element array into Math.min. */
function boundsOf(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

/** The events, unless their clock plainly is not the history's (then none, with a note). */
function eventsOnHistoryClock(events: readonly NodeEvent[], operations: readonly Operation[], notes: string[]): readonly NodeEvent[] {
  if (events.length === 0 || operations.length === 0) return events;
  const [eventMin, eventMax] = boundsOf(events.map((event) => event.timeNs)) as [number, number];
  const [opMin, opMax] = boundsOf(operations.map((op) => op.timeNs)) as [number, number];
  if (eventMin > opMax + CLOCK_MISMATCH_NS || eventMax < opMin - CLOCK_MISMATCH_NS) {
    notes.push('The node events were stamped by a clock that does not match the history\'s, so new leaders are not marked on the charts.');
    return [];
  }
  return events;
}

/** The earliest first violation of a failed check, else the failing call's invocation. */
function failureMomentNs(inputs: RunInputs, failure: FailureLookup): number | null {
  const violations = (inputs.summary?.checks ?? []).flatMap((check) =>
    check.verdict === 'invalid' && typeof check.firstViolation?.timeNs === 'number' ? [check.firstViolation.timeNs] : []);
  if (violations.length > 0) return Math.min(...violations);
  if (failure.kind === 'found') return failure.witness.failure.failingCall.invokeTimeNs;
  return null;
}
