/**
 * What the real server's benchmarks share: the figure and benchmark shapes test/bench/run.ts
 * prints, the settings every benchmark cluster runs with, and per-node readings (peak RSS).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
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

/**
 * Benchmark nodes run from the built dist/ (as a deployment does: no tsx compiling every module
 * at start-up); QUORUMD_BENCH_FROM_SOURCE=1 runs the sources through tsx instead.
 */
export const BUILT_NODES = process.env.QUORUMD_BENCH_FROM_SOURCE !== '1';

const REPOSITORY_ROOT = new URL('../..', import.meta.url).pathname;

/**
 * Refuses to measure a stale build: dist/cli/quorumd.js must exist and be newer than every file
 * under src/ (npm run build), or the figures would be an older quorumd's.
 */
export async function assertBuilt(repositoryRoot = REPOSITORY_ROOT): Promise<void> {
  if (!BUILT_NODES) return;
  const entry = join(repositoryRoot, 'dist/cli/quorumd.js');
  const builtMs = (await stat(entry).catch(() => null))?.mtimeMs;
  if (builtMs === undefined) throw new Error(`${entry} is missing: run npm run build first (or QUORUMD_BENCH_FROM_SOURCE=1 to run the sources through tsx)`);
  const sources = await readdir(join(repositoryRoot, 'src'), { recursive: true });
  for (const source of sources) {
    if (!source.endsWith('.ts')) continue;
    const path = join(repositoryRoot, 'src', source);
    if ((await stat(path)).mtimeMs > builtMs) {
      throw new Error(`${path} is newer than ${entry}: run npm run build first (or QUORUMD_BENCH_FROM_SOURCE=1 to run the sources through tsx)`);
    }
  }
}

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

/**
 * CPU time (user + system, ms) each running node process has used so far, by node id, from
 * /proc/<pid>/stat: on a shared machine a round's wall time measures the neighbours too, its CPU
 * time mostly the nodes' own work. Node ids whose process is gone are left out.
 */
export async function nodeCpuMs(cluster: LocalCluster): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  for (const node of cluster.nodes.values()) {
    const pid = node.process?.pid;
    if (pid === undefined) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length < 13) continue;
    cpu.set(node.nodeId, (Number(fields[11]) + Number(fields[12])) * 1000 / CLOCK_TICKS_PER_S);
  }
  return cpu;
}

/** USER_HZ: Linux reports /proc/<pid>/stat times in 1/100 s on every architecture Node supports. */
const CLOCK_TICKS_PER_S = 100;

/** The nearest-rank quantile of ascending `sorted`; NaN when empty. */
export function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
