/**
 * The comparison as a table: one row per system, the same columns for all, as plain text for
 * the terminal and as Markdown for the report (report.md beside results.json).
 */
import type { ComparePlan, CompareFault } from './compare-plan.js';
import type { CompareRow } from './compare-system.js';
import { readPromise } from '../harness/systems/read-promise.js';
import { compareReplicationFactor, type ReadMode } from './topic-workload.js';

export interface CompareContext {
  plan: ComparePlan;
  reads: ReadMode;
  /** Load average (1 min) when the comparison started and ended. */
  loadAverage: { start: number; end: number };
  startedAt: string;
}

function ms(value: number | null): string {
  return value === null ? '-' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function failoverCell(row: CompareRow, fault: CompareFault): string {
  const figures = row.failover[fault];
  if (figures === undefined) return '-';
  const none = figures.none > 0 ? ` (${figures.none}/${figures.trials} none)` : '';
  return `${ms(figures.p50Ms)} / ${ms(figures.p99Ms)}${none}`;
}

export function tableCells(rows: readonly CompareRow[], faults: readonly CompareFault[]): string[][] {
  const header = [
    'system', 'version', 'linearizability', 'invariants', 'ops/s',
    ...faults.map((fault) => `failover ${fault} p50 / p99`), 'controlled shutdown', 'recovery (all killed)',
  ];
  const body = rows.map((row) => [
    row.system, row.version, row.verdicts.linearizability, row.verdicts.invariants, row.opsPerSecond.toFixed(1),
    ...faults.map((fault) => failoverCell(row, fault)),
    ms(row.shutdownAndRecovery.controlledShutdownMs), ms(row.shutdownAndRecovery.recoveryMs),
  ]);
  return [header, ...body];
}

export function formatTextTable(cells: readonly (readonly string[])[]): string {
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** "500 topics x 10 partitions = 5,000 partitions, 2 replicas each (10,000 replicas)". */
export function describeMetadataSet(plan: Pick<ComparePlan, 'metadataTopics' | 'partitionsPerTopic'>): string {
  const partitions = plan.metadataTopics * plan.partitionsPerTopic;
  const replicas = partitions * compareReplicationFactor;
  return `${plan.metadataTopics} topics x ${plan.partitionsPerTopic} partitions = ${partitions.toLocaleString('en-US')} partitions, `
    + `${compareReplicationFactor} replicas each (${replicas.toLocaleString('en-US')} replicas)`;
}

/**
 * The read mode a compared system runs in: compare's reads go through any broker, and quorumd
 * answers them linearizably (its default, metadata.read.consistency=linearizable).
 */
export function compareReadMode(system: string, reads: ReadMode): string {
  if (reads === 'none') return 'none';
  return system === 'quorumd' ? 'controller' : 'any-broker';
}

export function formatMarkdownReport(rows: readonly CompareRow[], context: CompareContext): string {
  const { plan } = context;
  const cells = tableCells(rows, plan.faults);
  const lines = [
    '# quorumcheck compare',
    '',
    `Started ${context.startedAt}; seed ${plan.seed}; faults ${plan.faults.join(', ')}; ${plan.trials} trials per system;`,
    `${plan.concurrency} client processes; reads: ${context.reads}; load average ${context.loadAverage.start.toFixed(1)} at the start, ${context.loadAverage.end.toFixed(1)} at the end (2 shared cores).`,
    `Metadata set for shutdown and recovery, the same for every system: ${describeMetadataSet(plan)}.`,
    '',
    `| ${cells[0]!.join(' | ')} |`,
    `|${cells[0]!.map(() => '---').join('|')}|`,
    ...cells.slice(1).map((row) => `| ${row.join(' | ')} |`),
    '',
    '## What the columns mean',
    '',
    '- **linearizability**: the recorded client history (workload and failover probes, under the same faults) checked against the topic-metadata model.',
    '- **invariants**: the Raft invariants over the nodes\' event streams: all of them on quorumd\'s own event log; on Kafka in KRaft mode SingleLeader, SingleVote and MonotonicEpoch, read from the state changes the controllers log; not judged in ZooKeeper mode.',
    `- **ops/s**: acknowledged operations per second of the client load before any fault (${(plan.throughputMs / 1000).toFixed(0)} s).`,
    '- **failover**: from the leader (active controller, as the system reports it) isolated or killed to the next CreateTopics acknowledged through the other nodes (kafkajs, retries off, a new client per attempt, 60 s at most: "none" past that); p50 and p99 by nearest rank over the trials of that kind (with few trials p99 is the slowest). kafkajs refreshes the metadata of every topic before an admin call and fails the call while any partition has no leader, so on Kafka this includes the time until every partition has one again.',
    `- **controlled shutdown**: SIGTERM to the leader's node until its process exited, with the metadata set in place (${describeMetadataSet(plan)}).`,
    '- **recovery**: every node killed (kill -9) and started again at once, until a client lists every topic of the set and a new CreateTopics is acknowledged.',
    '',
    `## Reads: what each system promises (--reads ${context.reads})`,
    '',
    ...rows.map((row) => {
      const promise = readPromise(row.system, compareReadMode(row.system, context.reads));
      return `- ${row.system}: expected, not a bug: ${promise.expected}. A bug: ${promise.bugs}.`;
    }),
    '',
    '## Notes',
    '',
    ...rows.flatMap((row) => [
      ...row.verdictNotes.map((note) => `- ${row.system}: ${note}`),
      ...(row.shutdownAndRecovery.note === undefined ? [] : [`- ${row.system}: ${row.shutdownAndRecovery.note}`]),
      ...(row.shutdownAndRecovery.createMs === null ? [] : [`- ${row.system}: the metadata set was created in ${ms(row.shutdownAndRecovery.createMs)}.`]),
      ...row.trials.map((trial) => `- ${row.system}: trial ${trial.trial.index} (${trial.trial.fault} of leader ${trial.leaderBefore ?? 'none'}): failover ${trial.failoverMs === null ? 'none' : ms(trial.failoverMs)}; ${trial.note ?? ''}`),
      `- ${row.system}: after each heal or restart, a client's CreateTopics was acknowledged again after ${row.trials.map((trial) => ms(trial.recoveredMs)).join(', ')} (the next trial waits for it).`,
      `- ${row.system}: measured in ${ms(row.wallMs)} wall time.`,
    ]),
    '',
  ];
  return lines.join('\n');
}
