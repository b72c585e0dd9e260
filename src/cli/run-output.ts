/**
 * What `quorumcheck run`, `sim` and `reproduce` print: progress on stderr while a run goes
 * (through the run pipeline's ProgressSink: on a terminal a live status, terminal-progress.ts;
 * elsewhere plain lines), and a summary on stdout at the end naming the run
 * directory and the command that reproduces it. Exit codes from verdicts live here too.
 */
import type { RunVerdict } from '../history/run-directory-format.js';
import { formatProgress, type ProgressEvent, type ProgressSink } from '../run/progress.js';
import type { RunReport } from '../run/run-once.js';
import { describeOptions } from '../run/options.js';
import type { SweepReport } from '../run/sweep.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from './subcommands.js';
import { isTerminal, terminalProgressSink } from './terminal-progress.js';

const PLAIN_TICK_MS = 5_000;

export function exitCodeOf(verdict: RunVerdict): number {
  return verdict === 'valid' ? EXIT_VALID : verdict === 'invalid' ? EXIT_INVALID : EXIT_UNKNOWN;
}

/**
 * Progress for one run: on a terminal, the report's status lines (terminal-progress.ts); elsewhere
 * plain lines on `stream`, a tick at most every five seconds of the run's clock. `quiet`: nothing.
 */
export function runProgressSink(stream: NodeJS.WritableStream, quiet: boolean): ProgressSink {
  if (quiet) return { emit: () => undefined };
  if (isTerminal(stream)) return terminalProgressSink(stream);
  let lastTickMs = -Infinity;
  return {
    emit: (event) => {
      // Ticks come every second of the run's clock; a plain log gets one every five.
      if (event.kind === 'tick') {
        if (event.atMs - lastTickMs < PLAIN_TICK_MS) return;
        lastTickMs = event.atMs;
      }
      stream.write(`${formatProgress(event)}\n`);
    },
  };
}

/**
 * Progress for a sweep: a seed that is not valid at once, with its reasons; otherwise a count at
 * most every `intervalMs` of wall time (and at the end).
 */
export function sweepProgressSink(stream: NodeJS.WritableStream, quiet: boolean, intervalMs: number): ProgressSink {
  if (quiet) return { emit: () => undefined };
  if (isTerminal(stream)) return terminalProgressSink(stream);
  const startedMs = performance.now();
  let lastMs = startedMs;
  let notValid = 0;
  return {
    emit: (event: ProgressEvent) => {
      if (event.kind !== 'seed') {
        if (event.kind === 'log') stream.write(`${event.line}\n`);
        return;
      }
      if (event.verdict !== 'valid') {
        notValid += 1;
        stream.write(`${formatProgress(event)}\n`);
        for (const reason of event.reasons.slice(1)) stream.write(`  ${reason.split('\n')[0]}\n`);
      }
      const nowMs = performance.now();
      if (nowMs - lastMs >= intervalMs || event.done === event.total) {
        lastMs = nowMs;
        stream.write(`progress: ${event.done}/${event.total} seeds, ${notValid} not valid, ${((nowMs - startedMs) / 1000).toFixed(1)} s\n`);
      }
    },
  };
}

export function describeRun(report: RunReport): string {
  const { options, judgement, record } = report;
  const lines = [`seed ${options.seed}: ${report.verdict} (${options.env}; ${describeOptions(options)})`];
  const failing = judgement.checks.filter((check) => check.verdict !== 'valid');
  lines.push(`  checks: ${judgement.checks.length - failing.length} of ${judgement.checks.length} valid`);
  for (const check of failing) lines.push(`  ${check.verdict} ${check.name}: ${check.message.split('\n')[0]}`);
  for (const rule of judgement.notJudged ?? []) lines.push(`  ${rule.rule}: ${rule.message}`);
  const counts = record.counts;
  const runS = record.runMs / 1000;
  const recovery = record.recovery?.recoveryMs;
  lines.push(`  ${counts.operations} operations (${counts.ok} ok, ${counts.fail} fail, ${counts.info} info) in ${runS.toFixed(1)} s of ` +
    `${options.env === 'sim' ? 'simulated ' : ''}time; recovery ${recovery === null || recovery === undefined ? 'none' : `${Math.round(recovery)} ms`}; ` +
    `checks took ${Math.round(judgement.checkerMs)} ms; wall ${(report.wallMs / 1000).toFixed(1)} s`);
  const figures = report.results?.figures;
  if (figures?.failoverTrials !== undefined && figures.failoverTrials > 0) {
    lines.push(`  failover: ${figures.failoverMs === null || figures.failoverMs === undefined ? 'no write acknowledged while a fault held the leader'
      : `median ${figures.failoverMs} ms, slowest ${figures.failoverMsMax ?? ''} ms`} (${figures.failoversObserved ?? 0} of ${figures.failoverTrials} faults that took the leader)`);
  }
  if (report.directory !== null) {
    lines.push(`  run directory: ${report.directory}`);
    lines.push(`  reproduce with: npx quorumcheck reproduce ${report.directory}`);
  } else if (report.verdict !== 'valid') {
    lines.push(`  reproduce with: ${report.results?.rerun ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function describeSweep(report: SweepReport, baseSeed: number): string {
  const { sweep, notValid } = report;
  const simulatedS = report.simulatedMs / 1000;
  const lines = [
    `${sweep.seedCount} seeds from base seed ${baseSeed}${sweep.shard === null ? '' : ` (shard ${sweep.shard})`}: ` +
      `${sweep.counts.valid} valid, ${sweep.counts.invalid} invalid, ${sweep.counts.unknown} unknown`,
    `  ${simulatedS.toFixed(0)} simulated s in ${(report.wallMs / 1000).toFixed(1)} wall s ` +
      `(${(sweep.seedCount / (report.wallMs / 60_000)).toFixed(0)} seeds/min)`,
  ];
  const notJudged = Object.entries(sweep.notJudgedSeeds ?? {});
  if (notJudged.length > 0) {
    lines.push(`  not judged (nothing to judge, never counted valid), in seeds: ${notJudged.map(([rule, seeds]) => `${rule} ${seeds}`).join(', ')}`);
  }
  const byVerdict = (verdict: RunVerdict) => notValid.filter((outcome) => outcome.verdict === verdict);
  for (const verdict of ['invalid', 'unknown'] as const) {
    const seeds = byVerdict(verdict);
    if (seeds.length === 0) continue;
    lines.push(`  ${verdict} seeds: ${seeds.map((outcome) => outcome.seed).join(' ')}`);
    for (const [reason, group] of groupByCheck(seeds)) lines.push(`    ${reason}: ${group.join(' ')}`);
  }
  for (const outcome of [...byVerdict('invalid'), ...byVerdict('unknown')].slice(0, 10)) lines.push(`  reproduce with: ${outcome.rerun}`);
  lines.push(`  sweep directory: ${report.directory}`);
  return `${lines.join('\n')}\n`;
}

/** Failing seeds grouped by the first check that failed, for triage. */
function groupByCheck(outcomes: readonly { seed: number; reasons: string[] }[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const outcome of outcomes) {
    const reason = outcome.reasons[0] ?? 'no reason given';
    const key = reason.split(':')[0]?.trim() ?? reason;
    groups.set(key, [...(groups.get(key) ?? []), outcome.seed]);
  }
  return groups;
}
