/**
 * `npm run bench`: the project's speed figures, printed. Each benchmark is an entry in BENCHMARKS
 * below and returns named figures with units and, where the project has one, the target. Timing
 * belongs here, never in tests. Add a benchmark by adding an entry (the real server's figures go
 * in the same list); run one by name with `npm run bench -- <name>`.
 */
import { availableParallelism, loadavg } from 'node:os';
import { NEMESIS_KINDS } from '../../src/faults/schedule.js';
import { resolveRunOptions, type RunOptionsInput } from '../../src/run/options.js';
import { executeRun, planRun } from '../../src/run/pipeline.js';
import { SILENT } from '../../src/run/progress.js';
import { runSweep } from '../../src/run/sweep.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';
import { quorumNodeCore } from '../../src/sim/quorum-node-core.js';
import { SIM_CONDITIONS, simClusterConfig } from '../../src/sim/sim-cluster-config.js';
import { Simulation } from '../../src/sim/simulation.js';
import { largeReportFigures } from './report.js';
import { SERVER_BENCHMARKS } from './server.js';
import { DOCKER_BENCHMARKS } from './docker.js';
import { SIM_POWER_BENCHMARKS } from './sim-power.js';
import { SIM_SNAPSHOT_BENCHMARKS } from './sim-snapshots.js';
import { MEMBERSHIP_BENCHMARKS } from './membership-bench.js';
import { simAbFigures } from './sim-ab.js';
import { simCpuSplitFigures } from './sim-cpu-split.js';

interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The project's target, if any: the value should be at least this... */
  targetMin?: number;
  /** ...or, for times, at most this. */
  targetMax?: number;
  note?: string;
}

interface Benchmark {
  name: string;
  summary: string;
  run(): Promise<Figure[]>;
}

const BENCH_SEED = 20_261_121;
/** A 5-node cluster under every fault the schedule injects and every condition of the simulator. */
function benchInput(timeLimitMs: number): RunOptionsInput {
  return { env: 'sim', nodes: 5, roles: 'combined', nemesis: [...NEMESIS_KINDS], conditions: [...SIM_CONDITIONS], timeLimitMs };
}

const BENCHMARKS: Benchmark[] = [
  {
    name: 'sim-speed',
    summary: 'simulated seconds per wall second, a 5-node cluster under faults (no linearizability check)',
    async run() {
      // Steady state, as a long nightly run or a 500-seed sweep sees it: the scenario runs
      // SIM_SPEED_WARM_RUNS times first so V8 has compiled the core and the simulator (its
      // compiler threads count in process.cpuUsage), then SIM_SPEED_RUNS measured runs give the
      // median. The first, cold run is printed too, so the cost of start-up stays visible.
      const safetyPhaseMs = 300_000;
      const cold = await measureSimRun(safetyPhaseMs);
      for (let run = 1; run < SIM_SPEED_WARM_RUNS; run += 1) await measureSimRun(safetyPhaseMs);
      const measured: SimRun[] = [];
      for (let run = 0; run < SIM_SPEED_RUNS; run += 1) measured.push(await measureSimRun(safetyPhaseMs));
      const byCpu = median(measured, (run) => run.simulatedS / run.cpuS);
      const byWall = median(measured, (run) => run.simulatedS / run.wallS);
      const last = measured[measured.length - 1]!;
      return [
        // On a shared machine wall time measures the neighbours too; CPU time measures the simulator.
        { name: 'simulated time per CPU time (median of measured runs)', value: byCpu, unit: '×', targetMin: 1000,
          note: `${SIM_SPEED_RUNS} runs of ${last.simulatedS.toFixed(0)} simulated s after ${SIM_SPEED_WARM_RUNS} warm-up runs; ` +
            `${last.queueEvents} queue events, ${last.messages} messages, ${last.operations} history entries, ` +
            `${last.membershipFaults} membership faults applied (2 spare controllers) per run, ${last.verdict}` },
        // Where the CPU goes: the work in a simulated second times the cost of each piece of it.
        { name: 'CPU per queue event (median of measured runs)', value: median(measured, (run) => run.cpuS * 1e6 / run.queueEvents), unit: 'µs',
          note: `${(last.queueEvents / last.simulatedS).toFixed(0)} queue events, ${(last.messages / last.simulatedS).toFixed(0)} messages, ` +
            `${(last.operations / last.simulatedS).toFixed(1)} history entries per simulated s; ` +
            `${(last.cpuS * 1e6 / Math.max(1, last.operations)).toFixed(0)} µs of CPU per history entry` },
        { name: 'simulated time per wall time (median of measured runs)', value: byWall, unit: '×', targetMin: 1000,
          note: `load average ${loadavg()[0]!.toFixed(1)}` },
        { name: 'simulated time per CPU time, cold (first run in this process)', value: cold.simulatedS / cold.cpuS, unit: '×',
          note: `${cold.cpuS.toFixed(2)} CPU s, including module loading and JIT compilation` },
        await idleClusterFigure(safetyPhaseMs),
      ];
    },
  },
  {
    name: 'sim-seeds',
    summary: 'seeds per minute, 60 simulated seconds each with every check, on all cores',
    async run() {
      const count = 24;
      const jobs = availableParallelism();
      // CPU time of every thread (the workers' included): on a shared machine it measures the
      // sweep, where wall time measures the neighbours too.
      const cpuBefore = process.cpuUsage();
      const startedMs = performance.now();
      const report = await runSweep({
        input: benchInput(60_000), seeds: Array.from({ length: count }, (_, index) => BENCH_SEED + index), jobs,
        runsRoot: 'runs/bench', name: 'sim-seeds', shard: null, command: 'npm run bench -- sim-seeds', sink: SILENT,
      });
      const wallMs = performance.now() - startedMs;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const valid = report.sweep.counts.valid;
      const simulatedS = report.simulatedMs / 1000;
      return [{
        name: 'seeds per minute (60 simulated s each)', value: count / (wallMs / 60_000), unit: 'seeds/min', targetMin: 100,
        note: `${count} seeds on ${jobs} thread(s) in ${(wallMs / 1000).toFixed(1)} s; ${valid} valid; load average ${loadavg()[0]!.toFixed(1)}`,
      }, {
        name: 'seeds per CPU minute (all threads)', value: count / (cpuMs / 60_000), unit: 'seeds/CPU-min',
        note: `${(cpuMs / 1000).toFixed(1)} CPU s; ${simulatedS.toFixed(0)} simulated s, ${(simulatedS / (cpuMs / 1000)).toFixed(0)}× simulated time per CPU time`,
      }];
    },
  },
  {
    name: 'sim-ab',
    summary: 'this checkout against QUORUMD_BENCH_BASELINE=<commit> on the same seeds of three fault mixes, in one process: seeds whose history differs, and the speed ratio',
    run: simAbFigures,
  },
  {
    name: 'sim-cpu-split',
    summary: 'where a sweep\'s CPU goes per simulated second, by source area: default seeds through the sweep worker\'s per-seed function, profiled',
    run: simCpuSplitFigures,
  },
  // More simulator benchmarks go here: { name, summary, run }.
  ...SIM_POWER_BENCHMARKS,
  ...SIM_SNAPSHOT_BENCHMARKS,
  // The real server's figures (test/bench/server.ts), measured on quorumd processes on loopback.
  ...SERVER_BENCHMARKS,
  ...MEMBERSHIP_BENCHMARKS,
  // quorumd in containers through the harness (test/bench/docker.ts): needs a Docker engine.
  ...DOCKER_BENCHMARKS,
  { name: 'report', summary: 'report.html of a 100,000-operation run: open time in Chromium (target < 2 s), size, render time', run: largeReportFigures },
];

const SIM_SPEED_WARM_RUNS = 3;
const SIM_SPEED_RUNS = 3;

interface SimRun {
  simulatedS: number;
  cpuS: number;
  wallS: number;
  queueEvents: number;
  messages: number;
  operations: number;
  /** Membership faults applied (a voter added, removed or its disk replaced, each undone at its end). */
  membershipFaults: number;
  verdict: string;
}

/**
 * One run of the pipeline on the simulator world (clients through the Kafka handlers, the fault
 * schedule, recovery), without the checks that follow it: the simulator's own speed.
 */
async function measureSimRun(safetyPhaseMs: number): Promise<SimRun> {
  const cpuBefore = process.cpuUsage();
  const startedMs = performance.now();
  const plan = planRun(resolveRunOptions(benchInput(safetyPhaseMs), BENCH_SEED));
  const world = await simWorldMaker()(plan, () => undefined);
  const record = await executeRun(plan, world, SILENT, null);
  const cpu = process.cpuUsage(cpuBefore);
  const figures = record.worldFigures;
  return {
    simulatedS: (figures.simulatedMs ?? 0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6, wallS: (performance.now() - startedMs) / 1000,
    queueEvents: figures.queueEvents ?? 0, messages: figures.messages ?? 0,
    operations: record.history.length,
    membershipFaults: record.resolved.filter((fault) => fault.action.kind === 'membership' && fault.nodes.length > 0).length,
    verdict: record.halted === null ? 'ran to the end' : `halted: ${record.halted}`,
  };
}

function median<T>(items: T[], value: (item: T) => number): number {
  const sorted = items.map(value).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The same cluster and simulator conditions with no clients and no schedule: the cost of consensus alone. */
async function idleClusterFigure(safetyPhaseMs: number): Promise<Figure> {
  const config = simClusterConfig({ seed: BENCH_SEED, voters: [1, 2, 3, 4, 5], observers: [], conditions: [...SIM_CONDITIONS] });
  const startedMs = performance.now();
  const simulation = new Simulation(config, quorumNodeCore());
  simulation.runUntil(safetyPhaseMs);
  const wallS = (performance.now() - startedMs) / 1000;
  const simulatedS = simulation.nowMs() / 1000;
  return {
    name: 'simulated time per wall time, no clients', value: simulatedS / wallS, unit: '×',
    note: `${simulatedS.toFixed(0)} simulated s in ${wallS.toFixed(2)} wall s, ${simulation.stats().queueEvents} queue events`,
  };
}

async function main(names: string[]): Promise<void> {
  const chosen = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((benchmark) => names.includes(benchmark.name));
  const unknown = names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')}`);
  }
  console.log(`node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  for (const benchmark of chosen) {
    console.log(`\n${benchmark.name}: ${benchmark.summary}`);
    let figures: Figure[];
    try {
      figures = await benchmark.run();
    } catch (error) {
      // One broken benchmark must not hide the others' figures; the exit code still says so.
      console.log(`  failed: ${(error as Error).message.split('\n')[0]}`);
      process.exitCode = 1;
      continue;
    }
    for (const figure of figures) {
      const targets: string[] = [];
      if (figure.targetMin !== undefined) targets.push(`target ≥ ${figure.targetMin}: ${figure.value >= figure.targetMin ? 'met' : 'NOT met'}`);
      if (figure.targetMax !== undefined) targets.push(`target ≤ ${figure.targetMax}: ${figure.value <= figure.targetMax ? 'met' : 'NOT met'}`);
      const target = targets.length === 0 ? '' : ` (${targets.join('; ')})`;
      console.log(`  ${figure.name}: ${figure.value.toFixed(1)} ${figure.unit}${target}`);
      if (figure.note !== undefined) console.log(`    ${figure.note}`);
    }
  }
}

await main(process.argv.slice(2));
