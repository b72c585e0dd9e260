/**
 * Issue 11's simulator figure, defined plainly: simulated seconds per wall second of one run on one
 * core, with membership faults (`quorumcheck run --env sim --nemesis membership`, every other option
 * drawn from the seed as that command draws it). Runs go one at a time in a child process pinned to
 * one CPU with taskset, so V8's helper threads (GC, compiler) share that core as a one-core machine
 * would, and wall time is the run's own. The CPU time of the child is printed beside it: on a quiet
 * machine the two agree, on a shared one the wall figure measures the neighbours too.
 *
 * Each seed is timed twice over: the run (the simulation with its clients, the fault schedule and
 * recovery, no checks after it; the simulator's speed) and the whole `quorumcheck run` (every check
 * after the run too). Warm-up runs of other seeds go first, so the JIT has compiled the code as in
 * a sweep; a cold first run is slower by the compile time.
 *
 * Where the CPU goes: the main thread's share (the simulation itself) is read from
 * /proc/thread-self/schedstat on Linux; the rest of the process's CPU is V8's other threads, mostly
 * its optimizing compiler, which in a short-lived process compiles the hot code while the first
 * seeds run (on one core it takes turns with the simulation). Then the same seeds run again,
 * STEADY_PASSES times without the checks, and the last pass is the steady state a long sweep's
 * workers reach.
 *
 * Invoked by membership-bench.ts as a child (`node --import tsx test/bench/sim-one-core.ts`); it
 * prints one JSON line of OneCoreResult.
 */
import { readFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { pathToFileURL } from 'node:url';
import { resolveRunOptions } from '../../src/run/options.js';
import { executeRun, planRun } from '../../src/run/pipeline.js';
import { SILENT } from '../../src/run/progress.js';
import { runOnce } from '../../src/run/run-once.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';

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

/** The measured runs, then the same seeds at steady state (the last of STEADY_PASSES passes, the run alone). */
export interface OneCoreResult {
  runs: OneCoreRun[];
  steady: OneCoreRun[];
  steadyPasses: number;
}

/** Passes over the seeds after the measured one; the last is reported as the steady state. */
const STEADY_PASSES = 4;

/** CPU seconds this thread has run, from the scheduler's own count (ns); null off Linux. */
function threadCpuS(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return null;
  }
}

const INPUT = { env: 'sim', nemesis: ['membership'] } as const;

/** One seed's run, and unless `runAlone` the whole `quorumcheck run` after it. */
async function measure(seed: number, runAlone = false): Promise<OneCoreRun> {
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
  for (const seed of WARM_UP_SEEDS) await measure(seed);
  const runs: OneCoreRun[] = [];
  for (const seed of ONE_CORE_SEEDS) runs.push(await measure(seed));
  let steady: OneCoreRun[] = [];
  for (let pass = 0; pass < STEADY_PASSES; pass++) {
    steady = [];
    for (const seed of ONE_CORE_SEEDS) steady.push(await measure(seed, true));
  }
  const result: OneCoreResult = { runs, steady, steadyPasses: STEADY_PASSES };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
