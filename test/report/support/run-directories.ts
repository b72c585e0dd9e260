/**
 * Run directories for the report tests, built from real simulator runs (a fixed seed, so every
 * build is the same) in the run directory layout: history.jsonl, nodes/<id>.events.jsonl,
 * nodes/<id>.log and results.json. A failing run is made deterministically, never hoped for: one
 * describe-topic answer in the history is changed to a partition count the topic never had (a
 * stale or invented read the checker must reject), and/or a check is recorded as failed at a
 * real event of the run.
 *
 * The human logs are the node's own log lines for its events (src/node/kafka-log-lines.ts) in the
 * node log layout, stamped at a fixed wall-clock base plus the simulated time, after a clock-anchor
 * line pairing that base with simulated time 0.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Budget } from '../../../src/checker/budget.js';
import { modelByName } from '../../../src/checker/models/index.js';
import { checkPart } from '../../../src/checker/search/check-part.js';
import { splitIntoParts } from '../../../src/checker/search/partitions.js';
import { pairCalls } from '../../../src/history/calls.js';
import { formatJsonLines } from '../../../src/history/jsonl.js';
import { clockAnchorMessage, formatNodeLogLine } from '../../../src/history/node-log-line.js';
import type { NodeEvent } from '../../../src/history/node-event.js';
import type { Operation } from '../../../src/history/operation.js';
import {
  combinedVerdict, nodeEventsFile, nodeLogFile, writeResultsFile, type RunCheck, type RunResults, type TopicLinearizability,
} from '../../../src/history/run-directory-format.js';
import { kafkaLogLines } from '../../../src/node/kafka-log-lines.js';
import { resolveRunOptions, rerunCommand, type RunOptionsInput } from '../../../src/run/options.js';
import { executeRun, planRun } from '../../../src/run/pipeline.js';
import { SILENT } from '../../../src/run/progress.js';
import { simWorldMaker } from '../../../src/run/worlds/sim-world.js';

/**
 * A seed whose run has partitions, kills and pauses, several leaders, and describe-topic reads,
 * and a client operation in force at 2% of the timeline in the top lanes (the page's hover test).
 */
export const FIXTURE_SEED = 4256;
export const FIXTURE_OPTIONS: RunOptionsInput = {
  env: 'sim', nemesis: ['partition', 'kill', 'pause'], nodes: 4, roles: 'combined', conditions: [],
  timeLimitMs: 120_000, concurrency: 2, rate: 400,
};

/** A simulated run: its seed and the options of `quorumcheck run` not drawn from it. */
export interface FixtureSimRun {
  seed: number;
  input: RunOptionsInput;
}
/** The wall-clock time the fixture's simulated time 0 is stamped with. */
export const WALL_BASE_MS = Date.UTC(2026, 10, 21, 7, 0, 0, 0);

export interface FixtureOptions {
  /** Another simulator run than FIXTURE_OPTIONS (the benchmark's 100,000 operations). */
  simOptions?: FixtureSimRun;
  /** Change one describe-topic answer so the history is not linearizable. */
  breakLinearizability?: boolean;
  /** Record SingleLeader as failed at the run's second new leader. */
  failSingleLeader?: boolean;
  /** Leave results.json out (a crashed run). */
  withoutResults?: boolean;
  /** Leave these nodes' human logs out. */
  withoutLogsOf?: number[];
  /** Cut the history's last line in half (a run killed mid-write). */
  tornHistory?: boolean;
}

export interface FixtureRun {
  dir: string;
  operations: Operation[];
  events: NodeEvent[];
  /** The topic whose describe answer was changed, when breakLinearizability. */
  brokenTopic: string | null;
  /** The history indices of the changed answer and of its invocation. */
  brokenIndex: number | null;
  brokenInvokeIndex: number | null;
  command: string;
}

export async function writeFixtureRun(dir: string, options: FixtureOptions = {}): Promise<FixtureRun> {
  const simOptions = options.simOptions ?? { seed: FIXTURE_SEED, input: FIXTURE_OPTIONS };
  const plan = planRun(resolveRunOptions(simOptions.input, simOptions.seed));
  const record = await executeRun(plan, await simWorldMaker()(plan), SILENT, null);
  const operations = record.history.map((op) => ({ ...op }));
  const events = record.nodeLogs.flatMap((log) => log.events).sort((a, b) => a.timeNs - b.timeNs);
  const broken = options.breakLinearizability === true ? breakOneDescribe(operations, simOptions.seed) : null;
  await mkdir(join(dir, 'nodes'), { recursive: true });
  let history = formatJsonLines(operations);
  if (options.tornHistory === true) history = history.slice(0, history.length - 40);
  await writeFile(join(dir, 'history.jsonl'), history);
  const nodeIds = [...new Set(events.map((event) => event.node))].sort((a, b) => a - b);
  for (const node of nodeIds) {
    const own = events.filter((event) => event.node === node);
    await writeFile(join(dir, 'nodes', `${node}.events.jsonl`), own.map((event) => `${JSON.stringify(event)}\n`).join(''));
    if (options.withoutLogsOf?.includes(node) !== true) await writeFile(join(dir, 'nodes', `${node}.log`), humanLog(node, own));
  }
  const command = rerunCommand(plan.options);
  if (options.withoutResults !== true) {
    await writeResultsFile(dir, results(operations, events, nodeIds, command, options, simOptions));
  }
  const invoke = broken === null ? undefined
    : operations.slice(0, broken.index).reverse().find((op) => op.type === 'invoke' && op.process === operations[broken.index]!.process);
  return {
    dir, operations, events, brokenTopic: broken?.topic ?? null, brokenIndex: broken?.index ?? null,
    brokenInvokeIndex: invoke?.index ?? null, command,
  };
}

/**
 * The last describe-topic answer with a partition count in the first half of the history gets a
 * count the topic never had (mid-run, so every node's log has lines on both sides of it).
 */
function breakOneDescribe(operations: Operation[], seed: number): { topic: string; index: number } {
  for (let i = Math.floor(operations.length / 2); i >= 0; i--) {
    const op = operations[i]!;
    const value = op.value as { name?: unknown; partitions?: unknown } | null;
    if (op.type === 'ok' && op.f === 'describe-topic' && typeof value?.partitions === 'number' && typeof value.name === 'string') {
      op.value = { ...value, partitions: value.partitions + 97 };
      return { topic: value.name, index: op.index };
    }
  }
  throw new Error(`seed ${seed} has no describe-topic answer to change`);
}

function humanLog(node: number, events: readonly NodeEvent[]): string {
  const component = `QuorumNode id=${node}`;
  let text = formatNodeLogLine(new Date(WALL_BASE_MS), 'INFO', component, clockAnchorMessage(0));
  for (const event of events) {
    const wall = new Date(WALL_BASE_MS + event.timeNs / 1e6);
    for (const line of kafkaLogLines(event, { nodeId: node, epochStartOffset: event.offset ?? 0 })) {
      text += formatNodeLogLine(wall, 'INFO', component, line);
    }
  }
  return text;
}

function results(
  operations: Operation[], events: NodeEvent[], nodeIds: number[], command: string, options: FixtureOptions, simOptions: FixtureSimRun,
): RunResults {
  const model = modelByName('topics');
  const topics = splitIntoParts(model, pairCalls(operations)).map((part): TopicLinearizability => {
    const checked = checkPart(model, part, new Budget({ timeLimitMs: 10_000 }));
    if (checked.verdict !== 'invalid') return { topic: part.key, verdict: checked.verdict, calls: part.calls.length };
    const failing = checked.failure.failingCall;
    return {
      topic: part.key, verdict: 'invalid', calls: part.calls.length,
      failure: {
        call: model.describeCall(failing), invokeIndex: failing.invokeIndex, completeIndex: failing.completeIndex,
        reason: checked.failure.triedStates[0]?.reason ?? '', longestPrefix: checked.failure.longestPrefix.length,
      },
    };
  }).sort((a, b) => a.topic.localeCompare(b.topic));
  const leaders = events.filter((event) => event.kind === 'became-leader');
  const secondLeader = leaders[1] ?? leaders[0]!;
  const linearizable = combinedVerdict(topics);
  const checks: RunCheck[] = [
    { name: 'linearizability', verdict: linearizable, message: `${topics.length} topics checked with the topics model` },
    ...['SingleLeader', 'MonotonicEpoch', 'MonotonicHighWatermark', 'MajorityReachedHighWatermark', 'ConsistentCommittedData']
      .map((name): RunCheck => name === 'SingleLeader' && options.failSingleLeader === true
        ? {
          name, verdict: 'invalid', message: `two leaders in epoch ${secondLeader.epoch}`,
          firstViolation: { node: secondLeader.node, timeNs: secondLeader.timeNs, kind: 'became-leader', detail: `epoch ${secondLeader.epoch}` },
        }
        : { name, verdict: 'valid', message: 'holds' }),
  ];
  const last = operations[operations.length - 1]!;
  const counts = { ok: 0, fail: 0, info: 0 };
  for (const op of operations) if (op.process !== 'nemesis' && op.type !== 'invoke') counts[op.type] += 1;
  return {
    formatVersion: 1, name: 'fixture', env: 'sim', system: 'quorumd', systemVersion: '0.1.0', seed: simOptions.seed,
    command, rerun: command, options: { nemesis: simOptions.input.nemesis },
    startedAt: new Date(WALL_BASE_MS).toISOString(), endedAt: new Date(WALL_BASE_MS + last.timeNs / 1e6).toISOString(),
    durationMs: Math.round(last.timeNs / 1e6), verdict: combinedVerdict(checks),
    checks, linearizability: { verdict: linearizable, model: 'topics', calls: topics.reduce((sum, topic) => sum + topic.calls, 0), elapsedMs: 5, topics },
    figures: {
      operations: operations.filter((op) => op.type === 'invoke' && op.process !== 'nemesis').length, ...counts,
      opsPerSecond: 41.5, recoveryMs: 812, failoverMs: 640, failoverTrials: 1, failoversObserved: 1, checkerMs: 37, nemesisActions: operations.filter((op) => op.process === 'nemesis').length, runMs: last.timeNs / 1e6,
    },
    nodes: nodeIds.map((id) => ({ id, roles: ['controller'], log: nodeLogFile(id), events: nodeEventsFile(id) })),
    missing: [],
  };
}
