/**
 * `npm run bench`: the project's speed figures, printed. Each benchmark is an entry in BENCHMARKS
 * below and returns named figures with units and, where the project has one, the target. Timing
 * belongs here, never in tests. Add a benchmark by adding an entry (the real server's figures go
 * in the same list); run one by name with `npm run bench -- <name>`.
 */
import { availableParallelism, loadavg } from 'node:os';
import { runSeed } from '../../src/sim/run-seed.js';
import { runSeeds } from '../../src/sim/seed-batch.js';
import type { FaultKind } from '../../src/sim/run-config.js';
import { largeReportFigures } from './report.js';
import { SERVER_BENCHMARKS } from './server.js';
import { DOCKER_BENCHMARKS } from './docker.js';

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
/** Every fault kind the simulator injects. */
const BENCH_FAULTS: FaultKind[] = ['partition', 'crash', 'pause', 'loss', 'duplicate', 'reorder', 'torn-write'];

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
            `${last.queueEvents} queue events, ${last.messages} messages, ${last.operations} operations per run, verdict ${last.verdict}` },
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
      const startedMs = performance.now();
      const summaries = await runSeeds({
        baseSeed: BENCH_SEED, count, jobs, runOptions: { safetyPhaseMs: 60_000, observers: 0, faults: BENCH_FAULTS },
        runDirectoryRoot: 'runs/bench',
      });
      const wallMs = performance.now() - startedMs;
      const valid = summaries.filter((summary) => summary.verdict === 'valid').length;
      return [{
        name: 'seeds per minute (60 simulated s each)', value: count / (wallMs / 60_000), unit: 'seeds/min', targetMin: 100,
        note: `${count} seeds on ${jobs} thread(s) in ${(wallMs / 1000).toFixed(1)} s; ${valid} valid`,
      }];
    },
  },
  // More simulator benchmarks go here: { name, summary, run }.
  // The real server's figures (test/bench/server.ts), measured on quorumd processes on loopback.
  ...SERVER_BENCHMARKS,
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
  verdict: string;
}

async function measureSimRun(safetyPhaseMs: number): Promise<SimRun> {
  const cpuBefore = process.cpuUsage();
  const result = await runSeed({
    seed: BENCH_SEED, voters: 5, observers: 0, faults: BENCH_FAULTS, safetyPhaseMs, checkLinearizability: false,
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    simulatedS: result.outcome.simulatedMs / 1000, cpuS: (cpu.user + cpu.system) / 1e6, wallS: result.wallMs / 1000,
    queueEvents: result.outcome.stats.queueEvents, messages: result.outcome.stats.sent,
    operations: result.outcome.history.length, verdict: result.verdict,
  };
}

function median<T>(items: T[], value: (item: T) => number): number {
  const sorted = items.map(value).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The same cluster and faults with no clients: the cost of consensus, heartbeats and faults alone. */
async function idleClusterFigure(safetyPhaseMs: number): Promise<Figure> {
  const result = await runSeed({
    seed: BENCH_SEED, voters: 5, observers: 0, faults: BENCH_FAULTS, safetyPhaseMs, clients: 0, checkLinearizability: false,
  });
  const simulatedS = result.outcome.simulatedMs / 1000;
  return {
    name: 'simulated time per wall time, no clients', value: simulatedS / (result.wallMs / 1000), unit: '×',
    note: `${simulatedS.toFixed(0)} simulated s in ${(result.wallMs / 1000).toFixed(2)} wall s, ${result.outcome.stats.queueEvents} queue events`,
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
