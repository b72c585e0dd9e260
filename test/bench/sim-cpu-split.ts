/**
 * sim-cpu-split: where a sweep's CPU goes per simulated second, by source area. Default seeds run
 * through runSweepSeed, the function a sweep's worker thread runs for each seed (the run, every
 * check, a run directory only for a seed that is not valid), in this thread under V8's sampling
 * profiler (a worker thread is not profiled by `node --cpu-prof`). Each sample's own function is
 * counted to its file's area: src/sim, src/core/raft, src/core/metadata, the rest of src/core,
 * src/checker, src/run, src/kafka, src/history, the garbage collector, and the rest (V8 and Node.js
 * themselves, idle). A warm-up of a few seeds runs first, unprofiled, so compilation weighs as in
 * a long sweep.
 *
 * Why: the project wants the simulator cheaper per simulated second (issue 8's million-seed sweep,
 * issue 11's 1000× figure), and a speedup confined to one area can gain at most what that area
 * costs. The figures say which areas a target needs.
 *
 *   npm run bench -- sim-cpu-split        (SIM_SPLIT_SEEDS=<n>, default 100)
 */
import { Session } from 'node:inspector/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweepSeed } from '../../src/run/sweep.js';

export interface SplitFigure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const BASE_SEED = 611_402_733;
const WARM_UP_SEEDS = 10;
const DEFAULT_SEEDS = 100;
const SAMPLING_INTERVAL_US = 500;

/** Areas by path inside src/, most specific first. */
const AREAS: { area: string; prefix: string }[] = [
  { area: 'src/sim', prefix: 'sim/' },
  { area: 'src/core/raft', prefix: 'core/raft/' },
  { area: 'src/core/metadata', prefix: 'core/metadata/' },
  { area: 'src/core (the rest: quorum-node, forwarding, active controller ...)', prefix: 'core/' },
  { area: 'src/checker', prefix: 'checker/' },
  { area: 'src/run', prefix: 'run/' },
  { area: 'src/kafka', prefix: 'kafka/' },
  { area: 'src/history', prefix: 'history/' },
  { area: 'src (other)', prefix: '' },
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

function areaOf(node: ProfileNode): string {
  if (node.callFrame.functionName === '(garbage collector)') return 'garbage collector';
  const match = /\/src\/(.*)$/.exec(node.callFrame.url);
  if (match === null || node.callFrame.url.includes('/node_modules/')) return 'V8, Node.js and libraries (program, idle, built-ins)';
  return AREAS.find((candidate) => match[1]!.startsWith(candidate.prefix))!.area;
}

export async function simCpuSplitFigures(): Promise<SplitFigure[]> {
  const seeds = Number(process.env.SIM_SPLIT_SEEDS ?? DEFAULT_SEEDS);
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`SIM_SPLIT_SEEDS must be a positive integer, got ${process.env.SIM_SPLIT_SEEDS}`);
  const sweepDirectory = await mkdtemp(join(tmpdir(), 'quorumd-sim-cpu-split-'));
  const session = new Session();
  session.connect();
  try {
    const run = (seed: number) => runSweepSeed({ input: { env: 'sim' }, seed, sweepDirectory });
    for (let seed = BASE_SEED - WARM_UP_SEEDS; seed < BASE_SEED; seed += 1) await run(seed);
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    const cpuBefore = process.cpuUsage();
    await session.post('Profiler.start');
    let simulatedMs = 0;
    let notValid = 0;
    for (let seed = BASE_SEED; seed < BASE_SEED + seeds; seed += 1) {
      const outcome = await run(seed);
      simulatedMs += outcome.simulatedMs;
      if (outcome.verdict !== 'valid') notValid += 1;
    }
    const { profile } = await session.post('Profiler.stop');
    const cpu = process.cpuUsage(cpuBefore);
    const cpuUs = cpu.user + cpu.system;
    const simulatedS = simulatedMs / 1000;

    const areaById = new Map<number, string>();
    for (const node of profile.nodes as ProfileNode[]) areaById.set(node.id, areaOf(node));
    const samplesByArea = new Map<string, number>();
    const samples = profile.samples ?? [];
    for (const id of samples) {
      const area = areaById.get(id)!;
      samplesByArea.set(area, (samplesByArea.get(area) ?? 0) + 1);
    }
    const figures: SplitFigure[] = [{
      name: 'simulated time per CPU time (the profiled seeds, all threads)', value: simulatedS / (cpuUs / 1e6), unit: '×',
      note: `${seeds} default seeds from ${BASE_SEED} after ${WARM_UP_SEEDS} warm-up seeds, ${simulatedS.toFixed(0)} simulated s, ` +
        `${(cpuUs / 1e6).toFixed(1)} CPU s (the profiler's own cost included), ${notValid} not valid; load average ${loadavg()[0]!.toFixed(1)}`,
    }];
    for (const [area, count] of [...samplesByArea].sort((a, b) => b[1] - a[1])) {
      const share = count / samples.length;
      figures.push({
        name: `${area}: share of the samples`, value: 100 * share, unit: '%',
        note: `about ${(share * cpuUs / simulatedS).toFixed(0)} µs of CPU per simulated second`,
      });
    }
    return figures;
  } finally {
    session.disconnect();
    await rm(sweepDirectory, { recursive: true, force: true });
  }
}
