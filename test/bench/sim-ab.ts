/**
 * sim-ab: this checkout against an older commit (QUORUMD_BENCH_BASELINE, baseline-checkout.ts) on
 * the same seeds, in one process, as a sweep runs each seed (runOnce: the run, then every check).
 *
 * - Whether a change keeps histories: every seed's history, node events and verdict are hashed on
 *   both sides and compared. A speedup that claims to change nothing a seed does must show 0
 *   differing seeds here, on each of three fault mixes (the default draw, 5 nodes with kills,
 *   clock faults and loss, and membership with partitions, kills and pauses).
 * - What it saves: simulated time per CPU time of each side, and their ratio. The sides alternate
 *   seed by seed (which goes first flips every seed), so a neighbour's load on a shared machine
 *   weighs on both alike; absolute figures there are far below a quiet machine's.
 *
 *   QUORUMD_BENCH_BASELINE=<commit> npm run bench -- sim-ab
 *
 * SIM_AB_SEEDS=<n> sets the default mix's seed count (the other two run half as many).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFaults } from '../../src/cli/commands/sim.js';
import { nodeEventJson } from '../../src/history/node-event.js';
import type { RunOptionsInput } from '../../src/run/options.js';
import { baselineFromEnvironment } from './baseline-checkout.js';

export interface AbFigure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** The seeds of each mix: fixed, so two sim-ab runs compare alike. */
const MIXES: { label: string; input: RunOptionsInput; baseSeed: number; share: number }[] = [
  { label: 'default draw', input: { env: 'sim' }, baseSeed: 611_402_733, share: 1 },
  { label: '--nodes 5 --faults kill,clock,loss', input: { env: 'sim', nodes: 5, ...parseFaults('kill,clock,loss') }, baseSeed: 733_100_200, share: 0.5 },
  { label: '--faults membership,partition,kill,pause', input: { env: 'sim', ...parseFaults('membership,partition,kill,pause') }, baseSeed: 844_200_300, share: 0.5 },
];
const DEFAULT_SEEDS = 80;

/** One side: a source tree's run pipeline, loaded from that tree (tsx runs its sources). */
interface Side {
  cpuUs: number;
  simulatedMs: number;
  queueEvents: number;
  /** The seed's digest (history, node events, verdict) and its verdict. */
  run(input: RunOptionsInput, seed: number): Promise<{ digest: string; verdict: string }>;
}

async function loadSide(root: string, runsRoot: string): Promise<Side> {
  const load = (path: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(root, path)).href) as Promise<Record<string, unknown>>;
  /* eslint-disable @typescript-eslint/no-explicit-any -- the baseline's modules are another tree's, typed only at run time */
  const { runOnce } = await load('src/run/run-once.ts') as any;
  const { simWorldMaker } = await load('src/run/worlds/sim-world.ts') as any;
  const { SILENT } = await load('src/run/progress.ts') as any;
  const { resolveRunOptions } = await load('src/run/options.ts') as any;
  const side: Side = {
    cpuUs: 0, simulatedMs: 0, queueEvents: 0,
    async run(input, seed) {
      const before = process.cpuUsage();
      const report = await runOnce({
        options: resolveRunOptions(input, seed), makeWorld: simWorldMaker(), sink: SILENT, runsRoot, writeDirectory: 'never',
      });
      const cpu = process.cpuUsage(before);
      side.cpuUs += cpu.user + cpu.system;
      side.simulatedMs += Number(report.record.worldFigures.simulatedMs ?? 0);
      side.queueEvents += Number(report.record.worldFigures.queueEvents ?? 0);
      const hash = createHash('sha256');
      hash.update(JSON.stringify(report.record.history));
      // Each event as its events file writes it: the key order of the objects is not what is compared.
      for (const log of report.record.nodeLogs) {
        hash.update(`node ${log.nodeId}\n`);
        for (const event of log.events) hash.update(`${nodeEventJson(event)}\n`);
      }
      hash.update(String(report.verdict));
      return { digest: hash.digest('hex'), verdict: String(report.verdict) };
    },
  };
  /* eslint-enable @typescript-eslint/no-explicit-any */
  return side;
}

type Totals = Pick<Side, 'cpuUs' | 'simulatedMs' | 'queueEvents'>;

function snapshot(side: Totals): Totals {
  return { cpuUs: side.cpuUs, simulatedMs: side.simulatedMs, queueEvents: side.queueEvents };
}

/** What `side` added since `was`. */
function since(side: Totals, was: Totals): Totals {
  return { cpuUs: side.cpuUs - was.cpuUs, simulatedMs: side.simulatedMs - was.simulatedMs, queueEvents: side.queueEvents - was.queueEvents };
}

export async function simAbFigures(): Promise<AbFigure[]> {
  const baseline = await baselineFromEnvironment();
  if (baseline === null) throw new Error('sim-ab compares against an older commit: set QUORUMD_BENCH_BASELINE=<commit>');
  const runsRoot = await mkdtemp(join(tmpdir(), 'quorumd-sim-ab-'));
  const seedsDefault = Number(process.env.SIM_AB_SEEDS ?? DEFAULT_SEEDS);
  if (!Number.isInteger(seedsDefault) || seedsDefault < 1) throw new RangeError(`SIM_AB_SEEDS must be a positive integer, got ${process.env.SIM_AB_SEEDS}`);
  const figures: AbFigure[] = [];
  try {
    const current = await loadSide(join(import.meta.dirname, '../..'), runsRoot);
    const old = await loadSide(baseline.root, runsRoot);
    const speed = (side: Totals): number => (side.simulatedMs / 1000) / (side.cpuUs / 1e6);
    for (const mix of MIXES) {
      const seeds = Math.max(1, Math.round(seedsDefault * mix.share));
      const before = { current: snapshot(current), old: snapshot(old) };
      const differing: number[] = [];
      const notValid: string[] = [];
      for (let index = 0; index < seeds; index += 1) {
        const seed = mix.baseSeed + index;
        const first = index % 2 === 0 ? old : current;
        const second = first === old ? current : old;
        const a = await first.run(mix.input, seed);
        const b = await second.run(mix.input, seed);
        if (a.digest !== b.digest) differing.push(seed);
        for (const outcome of [a, b]) if (outcome.verdict !== 'valid') notValid.push(`${seed} ${outcome.verdict}`);
      }
      const now = since(current, before.current);
      const then = since(old, before.old);
      figures.push({
        name: `${mix.label}: seeds whose history, node events or verdict differ`, value: differing.length, unit: `of ${seeds}`,
        note: (differing.length === 0 ? 'none' : `first: ${differing.slice(0, 5).join(', ')}`) +
          (notValid.length === 0 ? '' : `; not valid: ${notValid.slice(0, 5).join(', ')}`),
      }, {
        name: `${mix.label}: simulated time per CPU time, this checkout ÷ baseline`, value: speed(now) / speed(then), unit: '×',
        note: `${(speed(now) / speed(then)).toFixed(3)}: this checkout ${speed(now).toFixed(0)}× (${(now.queueEvents / (now.simulatedMs / 1000)).toFixed(0)} queue events per simulated s), ` +
          `baseline ${speed(then).toFixed(0)}× (${(then.queueEvents / (then.simulatedMs / 1000)).toFixed(0)}); ${(now.simulatedMs / 1000).toFixed(0)} ` +
          `simulated s each; baseline ${baseline.description}; load average ${loadavg()[0]!.toFixed(1)}`,
      });
    }
  } finally {
    await baseline.remove();
    await rm(runsRoot, { recursive: true, force: true });
  }
  return figures;
}
