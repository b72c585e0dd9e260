/**
 * Failover as a client sees it: the leader (active controller, as the system reports it) is
 * isolated by a partition or its node killed; from that instant a probe client, talking only to
 * the other nodes, creates topics until one is acknowledged. The time to that acknowledgement is
 * the failover time. Then the fault heals (the killed node restarts) and the trial waits for a
 * leader again. Probe operations are recorded with the workload's, so the checker judges them too.
 */
import { isolate } from '../faults/partition-shapes.js';
import { describeGrudge } from '../faults/grudge.js';
import { killNode, restartNode } from '../harness/nemesis/process-kill.js';
import type { StartedSystemCluster } from '../harness/systems/system-cluster.js';
import type { FaultTrial } from './compare-plan.js';
import type { CompareRecorder } from './history-recorder.js';
import { compareReplicationFactor } from './topic-workload.js';
import { awaitLeader } from './await-leader.js';

export interface TrialResult {
  trial: FaultTrial;
  leaderBefore: number | null;
  /** ms from the fault to the next acknowledged CreateTopics; null if none within the limit. */
  failoverMs: number | null;
  /** ms from the heal (or the restart) until a client's CreateTopics is acknowledged again. */
  recoveredMs: number | null;
  /** What the failover probe was answered until its CreateTopics was acknowledged (or the limit). */
  note?: string;
}

/** A failover that takes longer than this is reported as none. */
export const failoverLimitMs = 60_000;
/** Probe process ids, apart from the workload's. */
const probeProcessBase = 100_000;

export async function runFaultTrial(started: StartedSystemCluster, trial: FaultTrial, recorder: CompareRecorder, log: (line: string) => void): Promise<TrialResult> {
  await new Promise((resolve) => setTimeout(resolve, trial.pauseBeforeMs));
  const leader = await awaitLeader(started, 30_000);
  if (leader === null) return { trial, leaderBefore: null, failoverMs: null, recoveredMs: null, note: 'no leader before the fault' };
  const nodeIds = started.cluster.nodes.map((node) => node.nodeId);
  const others = started.endpoints().filter((endpoint) => endpoint.servesClients && endpoint.nodeId !== leader.leaderId);
  const faultedAtMs = Date.now();
  if (trial.fault === 'partition') {
    const grudge = isolate(nodeIds, leader.leaderId);
    recorder.nemesis('start-partition', { shape: 'isolate-leader', grudge: describeGrudge(grudge) });
    await started.cluster.packetFilters.setGrudge(grudge);
  } else {
    recorder.nemesis('kill', { nodes: [leader.leaderId] });
    await killNode(started.cluster, leader.leaderId);
  }
  log(`trial ${trial.index}: ${trial.fault} of leader ${leader.leaderId} (epoch ${leader.epoch})`);
  const failover = await probeUntilCreated(started, others, trial, recorder, faultedAtMs, 0);
  const failoverMs = failover.ms;
  const healedAtMs = Date.now();
  if (trial.fault === 'partition') {
    await started.cluster.packetFilters.healAll();
    recorder.nemesis('stop-partition', null);
  } else {
    await restartNode(started.cluster, leader.leaderId);
    recorder.nemesis('start', { nodes: [leader.leaderId] });
  }
  const after = await awaitLeader(started, 60_000);
  // The next trial starts from a cluster that serves every client again (Kafka: every partition
  // has a leader; kafkajs fails every admin call while any partition of the cluster has none).
  const recoveredMs = (await probeUntilCreated(started, started.endpoints().filter((endpoint) => endpoint.servesClients), trial, recorder, healedAtMs, 500)).ms;
  // What the failover probe was told, so a slow or missing failover explains itself in the report.
  const note = `probe answers before the acknowledgement: ${describeAnswers(failover.answers)}`;
  log(`trial ${trial.index}: failover ${failoverMs === null ? 'none' : `${failoverMs} ms`}; leader now ${after?.leaderId ?? 'unknown'}; `
    + `serving again ${recoveredMs === null ? 'not' : `${recoveredMs} ms`} after the heal; ${note}`);
  return { trial, leaderBefore: leader.leaderId, failoverMs, recoveredMs, note };
}

/** Answers counted by kind, most frequent first: "7 x fail connection-refused: ..., 2 x info timeout". */
export function describeAnswers(answers: ReadonlyMap<string, number>): string {
  if (answers.size === 0) return 'none';
  return [...answers].sort((a, b) => b[1] - a[1]).map(([answer, count]) => `${count} x ${answer}`).join(', ');
}

async function probeUntilCreated(
  started: StartedSystemCluster,
  endpoints: ReturnType<StartedSystemCluster['endpoints']>,
  trial: FaultTrial,
  recorder: CompareRecorder,
  sinceMs: number,
  /** Distinct process ids for the failover probe (0) and the recovery probe (500). */
  processOffset: number,
): Promise<{ ms: number | null; answers: Map<string, number> }> {
  const faultedAtMs = sinceMs;
  const answers = new Map<string, number>();
  const count = (answer: string): void => void answers.set(answer, (answers.get(answer) ?? 0) + 1);
  let process = probeProcessBase + trial.index * 1_000 + processOffset;
  let attempt = 0;
  while (Date.now() - faultedAtMs < failoverLimitMs) {
    attempt += 1;
    const client = await started.openClient(process, 2_000, endpoints);
    try {
      const value = { name: `probe-${trial.index}-${processOffset}-${attempt}`, partitions: 1, replicationFactor: compareReplicationFactor };
      recorder.record({ type: 'invoke', process, f: 'create-topic', value });
      const completion = await client.invoke('create-topic', value);
      if (completion.type === 'ok') {
        recorder.record({ type: 'ok', process, f: 'create-topic', value: completion.value });
        if ((completion.value as { created?: boolean }).created === true) return { ms: Date.now() - faultedAtMs, answers };
        count(`ok ${JSON.stringify(completion.value)}`);
      } else {
        recorder.record({ type: completion.type, process, f: 'create-topic', value, error: completion.error });
        count(`${completion.type} ${completion.error}`);
        if (completion.type === 'info') process += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await client.close();
    }
  }
  return { ms: null, answers };
}
