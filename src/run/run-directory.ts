/**
 * Writing a judged run as its run directory (history/run-directory-format.ts): history.jsonl,
 * schedule.json with every entry as resolved, the node logs (written by the world when it had the
 * directory, else from the events it kept), and results.json with every check and figure.
 */
import { join } from 'node:path';
import type { FaultSchedule } from '../faults/schedule.js';
import {
  RUN_DIRECTORY_FORMAT_VERSION, writeHistoryFile, writeNodeEventsFile, writeNodeLogFile, writeResultsFile, writeScheduleFile,
  type RunFigures, type RunResults, type RunSystemChoice,
} from '../history/run-directory-format.js';
import { simulatedNodeLog } from '../sim/transcript.js';
import { failoverFigures, failoverTrials } from './failover.js';
import type { Judgement } from './judge.js';
import { rerunCommand } from './options.js';
import type { RunRecord } from './pipeline.js';

export interface RunMeta {
  system: string;
  systemVersion: string;
  startedAt: Date;
  endedAt: Date;
  /** The schedule that was played (the plan's, or a reproduced run's). */
  schedule: FaultSchedule;
  /** --system/--version/--read-mode as given, or null (quorumd). */
  systemChoice?: RunSystemChoice | null;
}

/** The flags that choose the run's system again, for the rerun line ('' for the default). */
export function systemFlags(choice: RunSystemChoice | null | undefined): string {
  if (choice === null || choice === undefined) return '';
  return [
    choice.name === undefined ? '' : ` --system ${choice.name}`,
    choice.version === undefined ? '' : ` --version ${choice.version}`,
    choice.readMode === undefined ? '' : ` --read-mode ${choice.readMode}`,
  ].join('');
}

export function buildResults(directory: string, record: RunRecord, judgement: Judgement, meta: RunMeta): RunResults {
  const { options } = record.plan;
  const failovers = failoverTrials(record.history, record.resolved, record.plan.topology.controllers);
  const figures: RunFigures = {
    operations: record.counts.operations,
    ok: record.counts.ok,
    fail: record.counts.fail,
    info: record.counts.info,
    opsPerSecond: record.runMs > 0 ? round(record.counts.operations / (record.runMs / 1000)) : 0,
    recoveryMs: roundMs(record.recovery?.recoveryMs),
    ...failoverFigures(failovers),
    checkerMs: Math.round(judgement.checkerMs),
    nemesisActions: record.nemesisActions,
    runMs: Math.round(record.runMs),
    setupMs: roundMs(record.setupMs),
    leaderAfterHealMs: roundMs(record.recovery?.leaderMs),
    recoveryBoundMs: record.recovery?.boundMs ?? null,
    // From the heal until every voter was back in the quorum (node events), and its bound.
    quorumRecoveryMs: judgement.quorum?.quorumMs === undefined || judgement.quorum.quorumMs === null ? null : Math.round(judgement.quorum.quorumMs),
    quorumBoundMs: record.recovery?.quorum.boundMs ?? null,
    ...record.worldFigures,
  };
  return {
    formatVersion: RUN_DIRECTORY_FORMAT_VERSION,
    name: options.name,
    env: options.env,
    system: meta.system,
    systemVersion: meta.systemVersion,
    seed: options.seed,
    command: `npx quorumcheck reproduce ${directory}`,
    rerun: `${rerunCommand(options)}${systemFlags(meta.systemChoice)}`,
    options: { ...options },
    ...(meta.systemChoice === null || meta.systemChoice === undefined ? {} : { systemChoice: { ...meta.systemChoice } }),
    startedAt: meta.startedAt.toISOString(),
    endedAt: meta.endedAt.toISOString(),
    durationMs: meta.endedAt.getTime() - meta.startedAt.getTime(),
    verdict: judgement.verdict,
    checks: judgement.checks,
    linearizability: judgement.linearizability,
    figures,
    failovers,
    nodes: record.nodeLogs.map((log) => ({
      id: log.nodeId, roles: [...log.roles], log: log.logFile ?? `nodes/${log.nodeId}.log`, events: log.eventsFile ?? `nodes/${log.nodeId}.events.jsonl`,
    })),
    missing: [...record.missing, ...(judgement.observedInvariants ?? []).filter((rule) => !rule.judged).map((rule) => `${rule.rule}: ${rule.message}`)],
    ...(judgement.observedInvariants === undefined ? {} : {
      observedInvariants: judgement.observedInvariants.map(({ rule, judged, verdict, message }) => ({ rule, judged, verdict, message })),
    }),
    ...(judgement.notJudged === undefined ? {} : { notJudged: judgement.notJudged.map(({ rule, message }) => ({ rule, message })) }),
  };
}

/** Writes everything but what the world already wrote; returns results.json's content. */
export async function writeRun(directory: string, record: RunRecord, judgement: Judgement, meta: RunMeta): Promise<RunResults> {
  await writeHistoryFile(directory, record.history);
  await writeScheduleFile(directory, { ...meta.schedule, resolved: record.resolved });
  for (const log of record.nodeLogs) {
    if (log.eventsFile === null) await writeNodeEventsFile(directory, log.nodeId, log.events);
    // A world that kept no log lines (the simulator) gets its events in words, in the node log layout.
    if (log.logFile === null) await writeNodeLogFile(directory, log.nodeId, simulatedNodeLog(log.nodeId, log.events));
  }
  const results = buildResults(directory, record, judgement, meta);
  await writeResultsFile(directory, results);
  return results;
}

export function resultsPath(directory: string): string {
  return join(directory, 'results.json');
}

/** Whole ms (Docker's clock has fractions no figure needs), null kept. */
function roundMs(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
