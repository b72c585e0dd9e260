/**
 * Issue 11's simulator figure: simulated seconds per second of one core's process CPU (the main
 * thread and V8's own threads) with membership faults (`quorumcheck run --env sim --nemesis
 * membership`, every other option drawn from the seed as that command draws it), at steady state,
 * as a sweep's long-lived workers run. Runs go one at a time in a child process pinned to one CPU
 * with taskset, so V8's helper threads (GC, compiler) share that core as a one-core machine would.
 *
 * What runs is the compiled tree (dist/, `npm run build`), the code `quorumcheck sim` sweeps run;
 * the parent builds it first. Under tsx instead (`node --import tsx`) the same seeds cost about
 * 1.4x more CPU at steady state (part of it esbuild's keepNames: a `__name` call on every closure
 * created, and the simulator creates closures on every client call). `--tree src` measures that.
 *
 * Each seed is timed twice over in the first pass: the run (the simulation with its clients, the
 * fault schedule and recovery, no checks after it; the simulator's speed) and the whole
 * `quorumcheck run` (every check after the run too). Warm-up runs of other seeds go first; that
 * pass is the cold figure, printed beside: V8 is still compiling the hot code (on one core its
 * compiler takes turns with the simulation). Then the same seeds run again, STEADY_PASSES times
 * without the checks; the last STEADY_MEASURED passes together are the steady state.
 *
 * Where the CPU goes: the main thread's share (the simulation itself) is read from
 * /proc/thread-self/schedstat on Linux; the rest of the process's CPU is V8's other threads.
 *
 * Invoked by membership-bench.ts as a child (`node --max-semi-space-size=64 --import tsx
 * test/bench/sim-one-core.ts [--tree dist|src]`: the young generation sweeps run with, from
 * src/run/young-generation.ts); it prints one JSON line of OneCoreResult. Run by hand without the
 * flag, it measures V8's default young generation instead.
 */
import { readFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

/** Which tree runs: the compiled one (what sweeps run) or the sources under tsx. */
export type OneCoreTree = 'dist' | 'src';

/** The run modules, from the tree measured (dist/ holds the same modules compiled by tsc). */
async function runModules(tree: OneCoreTree): Promise<{
  options: typeof import('../../src/run/options.js');
  pipeline: typeof import('../../src/run/pipeline.js');
  progress: typeof import('../../src/run/progress.js');
  runOnce: typeof import('../../src/run/run-once.js');
  simWorld: typeof import('../../src/run/worlds/sim-world.js');
}> {
  const load = (path: string): Promise<never> =>
    import(new URL(tree === 'dist' ? `../../dist/${path}.js` : `../../src/${path}.ts`, import.meta.url).href) as Promise<never>;
  return {
    options: await load('run/options'), pipeline: await load('run/pipeline'), progress: await load('run/progress'),
    runOnce: await load('run/run-once'), simWorld: await load('run/worlds/sim-world'),
  };
}

/** The seeds measured: fixed, so two runs of the bench compare alike. */
export const ONE_CORE_SEEDS = [20_261_201, 20_261_202, 20_261_203, 20_261_204, 20_261_205, 20_261_206, 20_261_207, 20_261_208];
const WARM_UP_SEEDS = [20_261_101, 20_261_102, 20_261_103];

export interface OneCoreRun {
  seed: number;
  /** `--nodes N --concurrency C --rate R`, as drawn. */
  options: string;
  simulatedS: number;
  /** The run alone (simulation, clients, faults, recovery). */
  wallS: number;
  cpuS: number;
  /** The whole `quorumcheck run`: the run again, then every check. */
  withChecksWallS: number;
  withChecksCpuS: number;
  historyEntries: number;
  membershipFaults: number;
  /** The run's CPU on the main thread alone; null where /proc/thread-self/schedstat is missing. */
  mainThreadCpuS: number | null;
}

/** The cold pass, then the same seeds at steady state (the last STEADY_MEASURED of STEADY_PASSES passes, the run alone). */
export interface OneCoreResult {
  tree: OneCoreTree;
  runs: OneCoreRun[];
  steady: OneCoreRun[];
  steadyPasses: number;
  steadyMeasured: number;
}

/**
 * Passes over the seeds after the cold one. V8 still optimizes some functions in the fourth and
 * fifth (54-60 optimizations per pass, against 712 in the first); by the seventh, 24-30.
 */
const STEADY_PASSES = 12;
/**
 * The last passes summed for the steady state. One pass of the 8 seeds is about 0.25 CPU s, and
 * three passes (0.8 CPU s) gave 653x and 727x on the same quiet machine minutes apart: eight
 * (about 2 CPU s) keep a GC pause or a late optimization from moving the figure much.
 */
const STEADY_MEASURED = 8;

/** CPU seconds this thread has run, from the scheduler's own count (ns); null off Linux. */
function threadCpuS(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return null;
  }
}

const INPUT = { env: 'sim', nemesis: ['membership'] } as const;

type Modules = Awaited<ReturnType<typeof runModules>>;

/** One seed's run, and unless `runAlone` the whole `quorumcheck run` after it. */
async function measure(modules: Modules, seed: number, runAlone = false): Promise<OneCoreRun> {
  const { options: { resolveRunOptions }, pipeline: { executeRun, planRun }, progress: { SILENT }, runOnce: { runOnce }, simWorld: { simWorldMaker } } = modules;
  const options = resolveRunOptions({ ...INPUT, nemesis: [...INPUT.nemesis] }, seed);
  const cpuBefore = cpuUsage();
  const threadBefore = threadCpuS();
  const startedMs = performance.now();
  const plan = planRun(options);
  const world = await simWorldMaker()(plan, () => undefined);
  const record = await executeRun(plan, world, SILENT, null);
  const wallS = (performance.now() - startedMs) / 1000;
  const cpu = cpuUsage(cpuBefore);
  const threadAfter = threadCpuS();
  const fullCpuBefore = cpuUsage();
  const fullStartedMs = performance.now();
  if (!runAlone) await runOnce({ options, makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/bench', writeDirectory: 'never' });
  const fullCpu = cpuUsage(fullCpuBefore);
  return {
    seed, options: `--nodes ${options.nodes} --concurrency ${options.concurrency} --rate ${options.rate}`,
    simulatedS: (record.worldFigures.simulatedMs ?? 0) / 1000, wallS, cpuS: (cpu.user + cpu.system) / 1e6,
    withChecksWallS: (performance.now() - fullStartedMs) / 1000, withChecksCpuS: (fullCpu.user + fullCpu.system) / 1e6,
    historyEntries: record.history.length,
    membershipFaults: record.resolved.filter((fault) => fault.action.kind === 'membership' && fault.nodes.length > 0).length,
    mainThreadCpuS: threadBefore === null || threadAfter === null ? null : threadAfter - threadBefore,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tree: { type: 'string', default: 'dist' } } });
  if (values.tree !== 'dist' && values.tree !== 'src') throw new Error(`--tree must be dist or src, got ${values.tree}`);
  const tree: OneCoreTree = values.tree;
  const modules = await runModules(tree);
  for (const seed of WARM_UP_SEEDS) await measure(modules, seed);
  const runs: OneCoreRun[] = [];
  for (const seed of ONE_CORE_SEEDS) runs.push(await measure(modules, seed));
  const steady: OneCoreRun[] = [];
  for (let pass = 0; pass < STEADY_PASSES; pass++) {
    for (const seed of ONE_CORE_SEEDS) {
      const run = await measure(modules, seed, true);
      if (pass >= STEADY_PASSES - STEADY_MEASURED) steady.push(run);
    }
  }
  const result: OneCoreResult = { tree, runs, steady, steadyPasses: STEADY_PASSES, steadyMeasured: STEADY_MEASURED };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
