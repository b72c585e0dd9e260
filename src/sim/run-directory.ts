/**
 * A run directory: what a person needs to study one simulated run after the fact. history.jsonl
 * (the one operation format), events.jsonl (every node's events, in the order the simulator
 * observed them), summary.json (verdict, reasons, the run's settings, figures, and the command
 * that replays it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatJsonLines } from '../history/jsonl.js';
import type { SeedResult } from './run-seed.js';

export function defaultRunDirectory(seed: number, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return join('runs', `sim-${seed}-${stamp}`);
}

export async function writeRunDirectory(result: SeedResult, directory: string, replay: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, 'history.jsonl'), formatJsonLines(result.outcome.history));
  let events = '';
  for (const event of result.outcome.events) events += `${JSON.stringify(event)}\n`;
  await writeFile(join(directory, 'events.jsonl'), events);
  await writeFile(join(directory, 'summary.json'), `${JSON.stringify(summarize(result, replay), null, 2)}\n`);
  return directory;
}

export function summarize(result: SeedResult, replay: string): Record<string, unknown> {
  const { outcome } = result;
  return {
    seed: result.seed,
    verdict: result.verdict,
    reasons: result.reasons,
    warnings: result.warnings,
    replay,
    liveness: outcome.liveness,
    crash: outcome.crash,
    violations: outcome.violations,
    linearizability: result.linearizability === null ? null : {
      verdict: result.linearizability.verdict,
      calls: result.linearizability.calls,
      partitions: result.linearizability.partitions,
      cause: result.linearizability.cause,
      failure: result.linearizability.failure === undefined ? undefined : {
        partition: result.linearizability.failure.partition,
        failingCall: result.linearizability.failure.failingCall,
        triedStates: result.linearizability.failure.triedStates,
      },
    },
    simulatedMs: outcome.simulatedMs,
    wallMs: Math.round(result.wallMs),
    operations: outcome.history.length,
    acknowledgedWrites: outcome.acknowledgedWrites.length,
    stats: outcome.stats,
    config: result.config,
  };
}
