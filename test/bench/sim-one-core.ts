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
 * Invoked by membership-bench.ts as a child (`node --import tsx test/bench/sim-one-core.ts`); it
 * prints one JSON line of OneCoreRun[].
 */
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
}

const INPUT = { env: 'sim', nemesis: ['membership'] } as const;

async function measure(seed: number): Promise<OneCoreRun> {
  const options = resolveRunOptions({ ...INPUT, nemesis: [...INPUT.nemesis] }, seed);
  const cpuBefore = cpuUsage();
  const startedMs = performance.now();
  const plan = planRun(options);
  const world = await simWorldMaker()(plan, () => undefined);
  const record = await executeRun(plan, world, SILENT, null);
  const wallS = (performance.now() - startedMs) / 1000;
  const cpu = cpuUsage(cpuBefore);
  const fullCpuBefore = cpuUsage();
  const fullStartedMs = performance.now();
  await runOnce({ options, makeWorld: simWorldMaker(), sink: SILENT, runsRoot: 'runs/bench', writeDirectory: 'never' });
  const fullCpu = cpuUsage(fullCpuBefore);
  return {
    seed, options: `--nodes ${options.nodes} --concurrency ${options.concurrency} --rate ${options.rate}`,
    simulatedS: (record.worldFigures.simulatedMs ?? 0) / 1000, wallS, cpuS: (cpu.user + cpu.system) / 1e6,
    withChecksWallS: (performance.now() - fullStartedMs) / 1000, withChecksCpuS: (fullCpu.user + fullCpu.system) / 1e6,
    historyEntries: record.history.length,
    membershipFaults: record.resolved.filter((fault) => fault.action.kind === 'membership' && fault.nodes.length > 0).length,
  };
}

async function main(): Promise<void> {
  for (const seed of WARM_UP_SEEDS) await measure(seed);
  const runs: OneCoreRun[] = [];
  for (const seed of ONE_CORE_SEEDS) runs.push(await measure(seed));
  process.stdout.write(`${JSON.stringify(runs)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
