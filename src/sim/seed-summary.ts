/**
 * Running one seed and boiling it down to what a batch reports: the verdict, the reasons, where
 * its run directory went (failures always get one), and the figures. Shared by the in-thread
 * batch runner and the worker threads, so both report exactly the same thing.
 */
import type { Verdict } from '../checker/verdict.js';
import { defaultRunDirectory, writeRunDirectory } from './run-directory.js';
import { replayCommand, runSeed } from './run-seed.js';
import type { SimRunConfig, SimRunOptions } from './run-config.js';

export interface SeedSummary {
  seed: number;
  verdict: Verdict;
  reasons: string[];
  warnings: string[];
  /** What the seed drew, in words: "5 voters, 1 observer, 3 clients; faults crash,loss". */
  setup: string;
  replay: string;
  runDirectory: string | null;
  wallMs: number;
  simulatedMs: number;
  operations: number;
  nodeEvents: number;
}

export interface SummaryRequest {
  options: SimRunOptions;
  /** Write the run directory even when the run is valid. */
  alwaysWriteRunDirectory: boolean;
  /** Where to write it; default runs/sim-<seed>-<timestamp>/. */
  runDirectory?: string;
  linearizabilityTimeLimitMs?: number;
  /** Progress lines for a long single run (wall ms between lines); absent: none. */
  progressMs?: number;
}

export async function runSeedSummary(request: SummaryRequest): Promise<SeedSummary> {
  const result = await runSeed({
    ...request.options,
    ...(request.linearizabilityTimeLimitMs === undefined ? {} : { linearizabilityTimeLimitMs: request.linearizabilityTimeLimitMs }),
    ...(request.progressMs === undefined ? {} : {
      hooks: {
        progress: {
          intervalMs: request.progressMs,
          report: (simulatedMs: number) => process.stderr.write(`progress: seed ${request.options.seed} at ${(simulatedMs / 1000).toFixed(0)} simulated s\n`),
        },
      },
    }),
  });
  const replay = replayCommand(request.options);
  let runDirectory: string | null = null;
  if (request.alwaysWriteRunDirectory || result.verdict !== 'valid') {
    runDirectory = await writeRunDirectory(result, request.runDirectory ?? defaultRunDirectory(result.seed), replay);
  }
  return {
    seed: result.seed,
    verdict: result.verdict,
    reasons: result.reasons,
    warnings: result.warnings,
    setup: describeSetup(result.config),
    replay,
    runDirectory,
    wallMs: result.wallMs,
    simulatedMs: result.outcome.simulatedMs,
    operations: result.outcome.history.length,
    nodeEvents: result.outcome.events.length,
  };
}

export function describeSetup(config: SimRunConfig): string {
  const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
  return `${plural(config.voters.length, 'voter')}, ${plural(config.observers.length, 'observer')}, ` +
    `${plural(config.clients, 'client')}; faults ${config.faults.length === 0 ? 'none' : config.faults.join(',')}`;
}
