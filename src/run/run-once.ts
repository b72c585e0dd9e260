/**
 * One run from options to verdict: plan -> world -> executeRun -> judgeRun -> run directory. The
 * world is created for the run and disposed after it whatever happens (containers removed on a
 * thrown error too). A world that cannot be set up rejects with WorldSetupError (exit code 3).
 */
import type { FaultSchedule } from '../faults/schedule.js';
import {
  createRunDirectory, createRunDirectoryAt, linkLatest, type RunResults, type RunSystemChoice, type RunVerdict,
} from '../history/run-directory-format.js';
import { judgeRun, type Judgement } from './judge.js';
import { describeOptions, type RunOptions } from './options.js';
import { executeRun, planRun, type RunPlan, type RunRecord } from './pipeline.js';
import type { ProgressSink } from './progress.js';
import { writeRun } from './run-directory.js';
import { WorldSetupError, type World } from './world.js';
import { writeRunReport } from '../report/write-run-report.js';

/**
 * Builds the world of a run (the CLI binds the environment's factory and its extra options);
 * `log` takes the world's own diagnostics as progress lines.
 */
export type WorldMaker = (plan: RunPlan, log: (line: string) => void) => Promise<World>;

export interface RunOnceOptions {
  options: RunOptions;
  makeWorld: WorldMaker;
  sink: ProgressSink;
  /** Where runs/<name>/<timestamp>/ go. */
  runsRoot: string;
  /** always: written as the run goes; on-failure: written after, for a verdict other than valid; never. */
  writeDirectory: 'always' | 'on-failure' | 'never';
  /** Write exactly here instead of runs/<name>/<timestamp>/ (a sweep's seed-N/). */
  directoryAt?: string;
  /** Point runs/latest at the directory (default true when one is written at the default place). */
  linkLatest?: boolean;
  /** Play this schedule instead of the seed's (reproducing a recorded run against containers). */
  schedule?: FaultSchedule;
  /** --system/--version/--read-mode as given (the world maker already holds the system): recorded in results.json. */
  systemChoice?: RunSystemChoice | null;
}

export interface RunReport {
  options: RunOptions;
  verdict: RunVerdict;
  judgement: Judgement;
  record: RunRecord;
  /** Null when no directory was written. */
  directory: string | null;
  results: RunResults | null;
  wallMs: number;
}

export async function runOnce(request: RunOnceOptions): Promise<RunReport> {
  const startedAt = new Date();
  const startedMs = performance.now();
  const { options, sink } = request;
  const plan = planRun(options);
  const schedule = request.schedule ?? plan.schedule;
  let directory: string | null = null;
  if (request.writeDirectory === 'always') directory = await makeDirectory(request, startedAt);
  sink.emit({ kind: 'phase', phase: 'setup', atMs: 0, detail: `${options.env} world, seed ${options.seed}: ${describeOptions(options)}` });
  let world: World;
  try {
    world = await request.makeWorld(plan, (line) => sink.emit({ kind: 'log', line }));
  } catch (error) {
    if (error instanceof WorldSetupError) throw error;
    throw new WorldSetupError(`the ${options.env} world could not be set up: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let record: RunRecord;
  try {
    record = await executeRun(plan, world, sink, directory, schedule);
  } finally {
    await world[Symbol.asyncDispose]();
  }
  sink.emit({ kind: 'phase', phase: 'checking', atMs: record.endedAtMs });
  const judgement = judgeRun(record);
  let results: RunResults | null = null;
  if (directory === null && request.writeDirectory === 'on-failure' && judgement.verdict !== 'valid') {
    directory = await makeDirectory(request, startedAt);
  }
  if (directory !== null) {
    sink.emit({ kind: 'phase', phase: 'writing', atMs: record.endedAtMs, detail: directory });
    results = await writeRun(directory, record, judgement, {
      system: world.system, systemVersion: world.systemVersion, startedAt, endedAt: new Date(), schedule,
      systemChoice: request.systemChoice ?? null,
    });
    if (request.linkLatest ?? request.directoryAt === undefined) {
      const linkError = await linkLatest(request.runsRoot, directory);
      if (linkError !== null) sink.emit({ kind: 'log', line: `${request.runsRoot}/latest not updated: ${linkError.message}` });
    }
    // report.html, the page a person opens first; one that cannot be written leaves the verdict as it is.
    await writeRunReport(directory).catch((error: unknown) => {
      sink.emit({ kind: 'log', line: `report.html not written: ${error instanceof Error ? error.message : String(error)}` });
    });
  }
  sink.emit({ kind: 'phase', phase: 'done', atMs: record.endedAtMs, detail: judgement.verdict });
  return { options, verdict: judgement.verdict, judgement, record, directory, results, wallMs: performance.now() - startedMs };
}

async function makeDirectory(request: RunOnceOptions, startedAt: Date): Promise<string> {
  return request.directoryAt !== undefined
    ? createRunDirectoryAt(request.directoryAt)
    : createRunDirectory(request.runsRoot, request.options.name, startedAt);
}
