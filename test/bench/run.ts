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
import { SERVER_BENCHMARKS } from './server.js';

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
      // A short run first, so module loading and JIT warm-up are not measured.
      await runSeed({ seed: BENCH_SEED + 1, voters: 5, observers: 0, faults: BENCH_FAULTS, safetyPhaseMs: 20_000, checkLinearizability: false });
      const safetyPhaseMs = 300_000;
      const cpuBefore = process.cpuUsage();
      const result = await runSeed({
        seed: BENCH_SEED, voters: 5, observers: 0, faults: BENCH_FAULTS, safetyPhaseMs, checkLinearizability: false,
      });
      const cpu = process.cpuUsage(cpuBefore);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const simulatedS = result.outcome.simulatedMs / 1000;
      return [
        // On a shared machine wall time measures the neighbours too; CPU time measures the simulator.
        { name: 'simulated time per CPU time', value: simulatedS / cpuS, unit: '×', targetMin: 1000,
          note: `${cpuS.toFixed(2)} CPU s (this process, all threads)` },
        { name: 'simulated time per wall time', value: simulatedS / (result.wallMs / 1000), unit: '×', targetMin: 1000,
          note: `${simulatedS.toFixed(0)} simulated s in ${(result.wallMs / 1000).toFixed(2)} wall s, ` +
            `${result.outcome.stats.queueEvents} queue events, ${result.outcome.stats.sent} messages, ` +
            `${result.outcome.history.length} operations, verdict ${result.verdict}` },
        { name: 'queue events per wall second', value: result.outcome.stats.queueEvents / (result.wallMs / 1000), unit: 'events/s' },
        await warmFigure(safetyPhaseMs),
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
];

/**
 * The same run once V8 has optimised the simulator and the core: the figure above includes the
 * JIT's compilation (on its own threads, which process.cpuUsage counts) and the slower tiers
 * before it, which a 300 s run does not amortise. Informational: the target is judged above.
 */
async function warmFigure(safetyPhaseMs: number): Promise<Figure> {
  const warmRuns = 3;
  let cpuS = 0;
  let simulatedS = 0;
  for (let run = 0; run < warmRuns; run += 1) {
    const cpuBefore = process.cpuUsage();
    const result = await runSeed({
      seed: BENCH_SEED, voters: 5, observers: 0, faults: BENCH_FAULTS, safetyPhaseMs, checkLinearizability: false,
    });
    const cpu = process.cpuUsage(cpuBefore);
    // The last run only: by then the hot code is optimised.
    cpuS = (cpu.user + cpu.system) / 1e6;
    simulatedS = result.outcome.simulatedMs / 1000;
  }
  return {
    name: `simulated time per CPU time, warm (run ${warmRuns + 1} of this scenario in this process)`, value: simulatedS / cpuS, unit: '×',
    note: `${cpuS.toFixed(2)} CPU s for ${simulatedS.toFixed(0)} simulated s`,
  };
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
