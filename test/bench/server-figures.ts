/**
 * What the real server's benchmarks share: the figure and benchmark shapes test/bench/run.ts
 * prints, the settings every benchmark cluster runs with, and per-node readings (peak RSS).
 */
import { readFile } from 'node:fs/promises';
import type { LocalCluster } from '../integration/support/local-cluster.js';

export interface ServerFigure {
  name: string;
  value: number;
  unit: string;
  targetMin?: number;
  targetMax?: number;
  note?: string;
}

export interface ServerBenchmark {
  name: string;
  summary: string;
  run(): Promise<ServerFigure[]>;
}

/** KRaft's default timeouts (1 s election timeout): the benchmarks measure with those. */
export const DEFAULT_TIMEOUTS: Readonly<Record<string, string>> = {};
/** QUORUMD_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the nodes. */
export const NODE_ARGS = (process.env.QUORUMD_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

/** Peak resident set size (VmHWM) of each running node process. */
export async function peakRss(cluster: LocalCluster, when: string, targetMaxMiB?: number): Promise<ServerFigure[]> {
  const figures: ServerFigure[] = [];
  for (const node of cluster.nodes.values()) {
    const pid = node.process?.pid;
    if (pid === undefined) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (match === null) continue;
    const figure: ServerFigure = { name: `node ${node.nodeId} peak RSS (${when})`, value: Number(match[1]) / 1024, unit: 'MiB' };
    if (targetMaxMiB !== undefined) figure.targetMax = targetMaxMiB;
    figures.push(figure);
  }
  return figures;
}

/** The nearest-rank quantile of ascending `sorted`; NaN when empty. */
export function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
