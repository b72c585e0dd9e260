/**
 * Benchmarks of how much a simulated run exercises (issue 8): the work a seed does under message
 * loss, and how often the paths that only faults reach are taken. Figures, never assertions: they
 * are printed by `npm run bench -- <name>` beside the load average.
 */
import { resolveRunOptions, type RunOptionsInput } from '../../src/run/options.js';
import { executeRun, planRun } from '../../src/run/pipeline.js';
import { SILENT } from '../../src/run/progress.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';

interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

interface Benchmark {
  name: string;
  summary: string;
  run(): Promise<Figure[]>;
}

const LOSS_BASE_SEED = 31_000;
const LOSS_RUNS_PER_RATE = 16;
/** The rates a seed drew before issue 8 (1, 5, 20 %) and those it draws since (LOSS_PROBABILITIES: 0.2, 1, 3 %). */
const LOSS_RATES = [0, 0.002, 0.01, 0.03, 0.05, 0.2] as const;

export const SIM_POWER_BENCHMARKS: Benchmark[] = [
  {
    name: 'sim-loss',
    summary: `successful operations per run at each message-loss rate (the same ${LOSS_RUNS_PER_RATE} seeds at each: 20 s, no other fault, 4 clients at 100 ops/s)`,
    async run() {
      // The same seeds at every rate, the loss set on every node for the whole fault phase (the
      // world's packet loss; the recovery phase heals it), so the rates compare pair by pair.
      const figures: Figure[] = [];
      const input: RunOptionsInput = { env: 'sim', nemesis: [], conditions: [], concurrency: 4, rate: 100, timeLimitMs: 20_000 };
      for (const rate of LOSS_RATES) {
        const okPerRun: number[] = [];
        const elections: number[] = [];
        for (let seed = LOSS_BASE_SEED; seed < LOSS_BASE_SEED + LOSS_RUNS_PER_RATE; seed++) {
          const plan = planRun(resolveRunOptions(input, seed));
          const world = await simWorldMaker()(plan, () => undefined);
          await world.setPacketLoss(plan.topology.nodes.map((node) => node.id), rate);
          const record = await executeRun(plan, world, SILENT, null);
          okPerRun.push(record.counts.ok);
          elections.push(record.nodeLogs.flatMap((log) => log.events).filter((event) => event.kind === 'became-leader').length);
        }
        figures.push({
          name: `ok operations per run at ${rate * 100} % loss`, value: mean(okPerRun), unit: 'ops',
          note: `min ${Math.min(...okPerRun)}, max ${Math.max(...okPerRun)}; ${mean(elections).toFixed(1)} leaders elected per run`,
        });
      }
      return figures;
    },
  },
];

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
