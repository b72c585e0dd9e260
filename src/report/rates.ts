/**
 * The figures over time that the page plots beside the timeline, computed from the operation
 * rows: throughput (completions per second in equal time buckets, by outcome), latency quantiles
 * per bucket (of completed operations, by completion time), and a table of latency quantiles per
 * function. Quantiles are nearest-rank: each is a latency some operation really had.
 */
import { OUTCOME_CODE, type OperationRows } from './operation-rows.js';

export interface RateSeries {
  bucketS: number;
  /** Bucket start times. */
  timeS: number[];
  okPerS: number[];
  failPerS: number[];
  infoPerS: number[];
  /** Latency quantiles (ms) of operations completed ok in each bucket; null where none did. */
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
  maxMs: (number | null)[];
}

export interface LatencyRow {
  f: string;
  ok: number;
  fail: number;
  info: number;
  open: number;
  /** Of ok operations, in ms; null when there were none. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** About this many buckets across a run, on a round bucket width. */
const BUCKETS_TARGET = 150;
const ROUND_BUCKETS_S = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

export function rateSeries(rows: OperationRows, durationS: number): RateSeries {
  const bucketS = ROUND_BUCKETS_S.find((width) => durationS / width <= BUCKETS_TARGET) ?? Math.ceil(durationS / BUCKETS_TARGET);
  const buckets = Math.max(1, Math.ceil(durationS / bucketS));
  const counts = [new Array<number>(buckets).fill(0), new Array<number>(buckets).fill(0), new Array<number>(buckets).fill(0)];
  const latencies: number[][] = Array.from({ length: buckets }, () => []);
  for (let row = 0; row < rows.startS.length; row++) {
    const outcome = rows.outcome[row]!;
    if (outcome === OUTCOME_CODE.open) continue;
    const bucket = Math.min(buckets - 1, Math.max(0, Math.floor(rows.endS[row]! / bucketS)));
    counts[outcome]![bucket]! += 1;
    if (outcome === OUTCOME_CODE.ok) latencies[bucket]!.push((rows.endS[row]! - rows.startS[row]!) * 1000);
  }
  const perS = (values: number[]): number[] => values.map((count) => round(count / bucketS));
  const quantiles = latencies.map((values) => values.sort((a, b) => a - b));
  const at = (q: number) => quantiles.map((sorted) => sorted.length === 0 ? null : round(nearestRank(sorted, q)));
  return {
    bucketS,
    timeS: Array.from({ length: buckets }, (_, bucket) => round(bucket * bucketS)),
    okPerS: perS(counts[0]!), failPerS: perS(counts[1]!), infoPerS: perS(counts[2]!),
    p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: at(1),
  };
}

export function latencyTable(rows: OperationRows): LatencyRow[] {
  const table = rows.functions.map((f): LatencyRow & { latencies: number[] } => ({
    f, ok: 0, fail: 0, info: 0, open: 0, p50Ms: null, p90Ms: null, p99Ms: null, maxMs: null, latencies: [],
  }));
  for (let row = 0; row < rows.startS.length; row++) {
    const entry = table[rows.f[row]!]!;
    const outcome = rows.outcome[row]!;
    if (outcome === OUTCOME_CODE.ok) {
      entry.ok++;
      entry.latencies.push((rows.endS[row]! - rows.startS[row]!) * 1000);
    } else if (outcome === OUTCOME_CODE.fail) entry.fail++;
    else if (outcome === OUTCOME_CODE.info) entry.info++;
    else entry.open++;
  }
  return table.map(({ latencies, ...entry }) => {
    if (latencies.length === 0) return entry;
    latencies.sort((a, b) => a - b);
    return {
      ...entry,
      p50Ms: round(nearestRank(latencies, 0.5)), p90Ms: round(nearestRank(latencies, 0.9)),
      p99Ms: round(nearestRank(latencies, 0.99)), maxMs: round(latencies[latencies.length - 1]!),
    };
  }).sort((a, b) => a.f.localeCompare(b.f));
}

/** The smallest value with at least q of the values at or below it. */
export function nearestRank(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
