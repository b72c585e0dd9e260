/**
 * One system's row of the comparison: start its cluster (3 combined nodes), run the client load
 * alone for a while (operations per second), then under the seeded fault trials (failover),
 * judge the recorded history (linearizability, topics model) and, where the system writes the
 * node event stream, its Raft invariants; then the operator's figures on a large metadata set
 * (controlled shutdown, recovery after every node was killed). Everything it started is removed
 * at the end, also on failure.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkHistory } from '../checker/check.js';
import { checkEventLogs } from '../checker/invariants/event-log-reader.js';
import { describeViolation } from '../checker/invariants/violation.js';
import { judgeObservedInvariants, type ObservedRuleJudgement } from '../checker/invariants/observed-invariants.js';
import { nodeEventsText, type NodeEvent } from '../history/node-event.js';
import { observedSources } from '../harness/systems/observed-sources.js';
import { modelByName } from '../checker/models/index.js';
import { formatJsonLines } from '../history/jsonl.js';
import type { SystemAdapter } from '../harness/systems/system-adapter.js';
import { startSystemCluster, type StartedSystemCluster } from '../harness/systems/system-cluster.js';
import { faultTrials, percentile, type CompareFault, type ComparePlan } from './compare-plan.js';
import { runFaultTrial, type TrialResult } from './failover-trials.js';
import { CompareRecorder } from './history-recorder.js';
import { measureShutdownAndRecovery, type ShutdownAndRecovery } from './shutdown-and-recovery.js';
import { startTopicWorkload, type ReadMode } from './topic-workload.js';
import { awaitLeader } from './await-leader.js';

export type CheckVerdict = 'valid' | 'invalid' | 'unknown' | 'not judged';

export interface FailoverFigures {
  trials: number;
  /** Trials with no acknowledged create within the limit. */
  none: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface CompareRow {
  system: string;
  version: string;
  verdicts: { linearizability: CheckVerdict; invariants: CheckVerdict };
  /** Why a verdict is what it is (the failing part, the reason it was not judged). */
  verdictNotes: string[];
  /** Acknowledged operations per second of the client load, without faults. */
  opsPerSecond: number;
  failover: Partial<Record<CompareFault, FailoverFigures>>;
  shutdownAndRecovery: ShutdownAndRecovery;
  trials: TrialResult[];
  wallMs: number;
}

export interface CompareSystemOptions {
  plan: ComparePlan;
  system: SystemAdapter & { readonly version?: string };
  reads: ReadMode;
  outDir: string;
  log: (line: string) => void;
}

const startupTimeoutMs = 300_000;

export async function compareSystem(options: CompareSystemOptions): Promise<CompareRow> {
  const { plan, system, log } = options;
  const startedMs = Date.now();
  const systemDir = path.join(options.outDir, system.name);
  await mkdir(systemDir, { recursive: true });
  const image = await system.ensureImage({ log });
  await using started = await startSystemCluster({ system, topology: { voters: 3, roles: 'combined' }, image, startupTimeoutMs, log });
  if ((await awaitLeader(started, 120_000)) === null) throw new Error(`${system.name}: no leader within 120 s of start`);
  await untilReplicatedTopicCreated(started, log);

  const recorder = new CompareRecorder();
  const workload = startTopicWorkload({ started, recorder, concurrency: plan.concurrency, seed: plan.seed, reads: options.reads, requestTimeoutMs: 5_000 });
  await new Promise((resolve) => setTimeout(resolve, plan.throughputMs));
  const opsPerSecond = workload.okCount() / (plan.throughputMs / 1000);
  log(`${system.name}: ${opsPerSecond.toFixed(1)} acknowledged operations per second without faults`);
  const trials: TrialResult[] = [];
  for (const trial of faultTrials(plan)) trials.push(await runFaultTrial(started, trial, recorder, log));
  await workload.stop();

  const historyPath = path.join(systemDir, 'history.jsonl');
  await writeFile(historyPath, formatJsonLines(recorder.operations));
  const verdictNotes: string[] = [];
  const linearizability = await checkHistory(recorder.operations, modelByName(system.model), { timeLimitMs: 120_000 });
  if (linearizability.verdict === 'invalid') verdictNotes.push(`linearizability: invalid (${historyPath})`);
  if (linearizability.verdict === 'unknown') verdictNotes.push(`linearizability: unknown (${linearizability.cause ?? 'budget spent'})`);
  const invariants = await judgeInvariants(started, system, systemDir, verdictNotes);
  const shutdownAndRecovery = await measureShutdownAndRecovery(started, { topics: plan.metadataTopics, partitionsPerTopic: plan.partitionsPerTopic }, log);
  const failover: Partial<Record<CompareFault, FailoverFigures>> = {};
  for (const fault of plan.faults) {
    const ofKind = trials.filter((result) => result.trial.fault === fault);
    const times = ofKind.flatMap((result) => (result.failoverMs === null ? [] : [result.failoverMs]));
    failover[fault] = { trials: ofKind.length, none: ofKind.length - times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
  }
  return {
    system: system.name,
    version: system.version ?? 'this checkout',
    verdicts: { linearizability: linearizability.verdict, invariants },
    verdictNotes,
    opsPerSecond,
    failover,
    shutdownAndRecovery,
    trials,
    wallMs: Date.now() - startedMs,
  };
}

/**
 * The Raft invariants over the voters' event streams: written by the node (quorumd), or judged
 * from outside on what the system exposes (Kafka's KRaft controllers' logs, a subset of the
 * invariants; judgeObservedInvariants, as quorumcheck run does), or none.
 */
async function judgeInvariants(started: StartedSystemCluster, system: SystemAdapter, systemDir: string, notes: string[]): Promise<CheckVerdict> {
  const scope = system.observedInvariants;
  if (system.eventLogPath === null && (scope === undefined || system.eventsFromOutput === undefined)) {
    notes.push('invariants: not judged (the system writes no node event stream and logs no Raft state changes we read)');
    return 'not judged';
  }
  const collected = await started.cluster.collectLogs(systemDir, { eventLogPath: system.eventLogPath });
  const voters = started.cluster.voterIds();
  const paths: string[] = [];
  const streams: NodeEvent[][] = [];
  for (const node of collected) {
    if (!voters.includes(node.nodeId)) continue;
    if (system.eventLogPath !== null) {
      if (node.eventsPath !== null) paths.push(node.eventsPath);
      continue;
    }
    if (node.logPath === null) {
      notes.push(`invariants: node ${node.nodeId}'s output could not be read (${node.missing ?? 'no reason given'})`);
      continue;
    }
    const events = system.eventsFromOutput!(node.nodeId, await readFile(node.logPath, 'utf8'));
    const eventsPath = path.join(path.dirname(node.logPath), `${node.nodeId}.events.jsonl`);
    await writeFile(eventsPath, nodeEventsText(events));
    streams.push(events);
  }
  if (system.eventLogPath === null) return observedVerdict(judgeObservedInvariants(observedSources(scope!, streams, null), voters, scope!.notJudged), notes);
  const violations = await checkEventLogs(paths, voters);
  for (const violation of violations.slice(0, 3)) notes.push(`invariants: ${describeViolation(violation)}`);
  return violations.length === 0 ? 'valid' : 'invalid';
}

/** One verdict for the table's column: any rule invalid, else any unknown, else valid; the rules judged named. */
function observedVerdict(judged: readonly ObservedRuleJudgement[], notes: string[]): CheckVerdict {
  const ruled = judged.filter((rule) => rule.judged);
  if (ruled.length === 0) {
    notes.push('invariants: not judged (nothing the system exposes judges any of them)');
    return 'not judged';
  }
  notes.push(`invariants: ${ruled.map((rule) => rule.rule).join(', ')} only, judged from outside; the others not (quorumcheck run's results.json says why, rule by rule)`);
  for (const rule of ruled.filter((entry) => entry.verdict === 'invalid').slice(0, 3)) notes.push(`invariants: ${rule.rule}: ${rule.message}`);
  if (ruled.some((rule) => rule.verdict === 'invalid')) return 'invalid';
  return ruled.some((rule) => rule.verdict === 'unknown') ? 'unknown' : 'valid';
}

/**
 * A leader is not yet a cluster whose every broker serves: Kafka brokers register on their own
 * time (in ZooKeeper mode through their sessions). The load starts once a topic with a replica on
 * every broker is created, the same condition for every system.
 */
async function untilReplicatedTopicCreated(started: StartedSystemCluster, log: (line: string) => void): Promise<void> {
  const startedMs = Date.now();
  const replicas = started.endpoints().filter((endpoint) => endpoint.servesClients).length;
  for (let attempt = 1; Date.now() - startedMs < 180_000; attempt += 1) {
    const client = await started.openClient(900_000 + attempt, 10_000);
    try {
      const completion = await client.invoke('create-topic', { name: `warm-up-${attempt}`, partitions: 1, replicationFactor: replicas });
      if (completion.type === 'ok' && (completion.value as { created?: boolean }).created === true) {
        log(`${started.system.name}: a topic with ${replicas} replicas created ${Date.now() - startedMs} ms after the first leader`);
        return;
      }
    } finally {
      await client.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`${started.system.name}: no topic with ${replicas} replicas could be created within 180 s of start`);
}
