/**
 * `quorumd describe --bootstrap-server H:P[,H:P...] --status | --replication`: what Kafka's
 * `kafka-metadata-quorum describe` prints (the format of Kafka 3.5/3.6, before directory ids),
 * read over DescribeQuorum (key 55, v1) and DescribeCluster (key 60) with our own client
 * connection, so any server speaking those APIs (Kafka's too) can be described.
 *
 * Exit codes: 0 printed; 1 the server answered with an error or could not be reached; 2 bad
 * arguments.
 */
import { describeClusterApi } from '../../kafka/apis/describe-cluster/index.js';
import { describeQuorumApi, type DescribeQuorumPartition, type ReplicaState } from '../../kafka/apis/describe-quorum/index.js';
import { KafkaClientConnection } from '../../kafka/client/kafka-client-connection.js';
import { errorName } from '../../kafka/protocol/error-codes.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { parseCommandArgs, UsageError } from './arguments.js';

const USAGE = `usage: quorumd describe --bootstrap-server HOST:PORT[,HOST:PORT...] (--status | --replication)

Describes the metadata quorum, as kafka-metadata-quorum describe does.
  --bootstrap-server L  servers to ask, tried in order until one answers
  --status              a summary: leader, epoch, high watermark, follower lag, voters, observers
  --replication         one row per replica: log end offset, lag, fetch times, status
  --timeout-ms N        how long to wait for each server (default 10000)
`;

const METADATA_TOPIC = '__cluster_metadata';
const TIMEOUT_MS_DEFAULT = 10_000;

export interface ServerAddress {
  host: string;
  port: number;
}

interface DescribeArguments {
  servers: ServerAddress[];
  mode: 'status' | 'replication';
  timeoutMs: number;
}

/** What one server said: the quorum partition, and the cluster id when asked for. */
export interface QuorumReport {
  clusterId: string;
  quorum: DescribeQuorumPartition;
}

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return EXIT_VALID;
  }
  let parsed: DescribeArguments;
  try {
    parsed = parseDescribeArguments(args);
  } catch (error) {
    process.stderr.write(`quorumd describe: ${(error as Error).message}\n`);
    return EXIT_UNKNOWN;
  }
  try {
    const report = await askFirstAnswering(parsed.servers, parsed.timeoutMs);
    process.stdout.write(parsed.mode === 'status' ? formatStatus(report) : formatReplication(report.quorum));
    return EXIT_VALID;
  } catch (error) {
    process.stderr.write(`quorumd describe: ${(error as Error).message}\n`);
    return EXIT_INVALID;
  }
}

export function parseDescribeArguments(args: string[]): DescribeArguments {
  const values = parseCommandArgs(args, {
    'bootstrap-server': { type: 'string' },
    status: { type: 'boolean' },
    replication: { type: 'boolean' },
    'timeout-ms': { type: 'string' },
  }, USAGE);
  const list = values['bootstrap-server'];
  if (typeof list !== 'string') throw new UsageError(`--bootstrap-server is required\n\n${USAGE}`);
  if (values.status === true && values.replication === true) {
    throw new UsageError('Only one of --status or --replication should be specified with describe sub-command');
  }
  if (values.status !== true && values.replication !== true) {
    throw new UsageError('One of --status or --replication must be specified with describe sub-command');
  }
  const timeoutText = values['timeout-ms'];
  const timeoutMs = typeof timeoutText === 'string' ? Number(timeoutText) : TIMEOUT_MS_DEFAULT;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new UsageError(`--timeout-ms must be a positive integer, got '${String(timeoutText)}'`);
  return { servers: parseServerList(list), mode: values.status === true ? 'status' : 'replication', timeoutMs };
}

export function parseServerList(list: string): ServerAddress[] {
  const servers = list.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (servers.length === 0) throw new UsageError('--bootstrap-server names no server');
  return servers.map((entry) => {
    const colon = entry.lastIndexOf(':');
    const host = colon > 0 ? entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1') : '';
    const port = colon > 0 ? Number(entry.slice(colon + 1)) : NaN;
    if (host === '' || !Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new UsageError(`'${entry}' is not HOST:PORT with a port between 1 and 65535`);
    }
    return { host, port };
  });
}

/** Asks each server in turn; the error names every server that failed and why. */
async function askFirstAnswering(servers: ServerAddress[], timeoutMs: number): Promise<QuorumReport> {
  const failures: string[] = [];
  for (const server of servers) {
    try {
      return await askServer(server, timeoutMs);
    } catch (error) {
      failures.push(`${server.host}:${server.port}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no server could describe the quorum:\n  ${failures.join('\n  ')}`);
}

export async function askServer(server: ServerAddress, timeoutMs: number): Promise<QuorumReport> {
  const connection = await KafkaClientConnection.connect({ ...server, connectTimeoutMs: timeoutMs });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const cluster = await Promise.race([connection.request(describeClusterApi, 0, { includeClusterAuthorizedOperations: false }), timeout]);
    if (cluster.errorCode !== 0) throw new Error(`DescribeCluster answered ${errorName(cluster.errorCode)}: ${cluster.errorMessage ?? ''}`);
    const request = { topics: [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: 0 }] }] };
    const response = await Promise.race([connection.request(describeQuorumApi, 1, request), timeout]);
    const partition = response.topics.find((t) => t.topicName === METADATA_TOPIC)?.partitions.find((p) => p.partitionIndex === 0);
    if (response.errorCode !== 0) throw new Error(`DescribeQuorum answered ${errorName(response.errorCode)}`);
    if (partition === undefined) throw new Error(`DescribeQuorum did not describe ${METADATA_TOPIC}-0`);
    if (partition.errorCode !== 0) throw new Error(`DescribeQuorum answered ${errorName(partition.errorCode)} for ${METADATA_TOPIC}-0`);
    return { clusterId: cluster.clusterId, quorum: partition };
  } finally {
    clearTimeout(timer);
    await connection.close();
  }
}

/** The leader's own replica state; absent from the voters only if the server is inconsistent. */
function leaderOf(quorum: DescribeQuorumPartition): ReplicaState {
  const leader = quorum.currentVoters.find((v) => v.replicaId === quorum.leaderId);
  if (leader === undefined) throw new Error(`leader ${quorum.leaderId} is not among the voters ${ids(quorum.currentVoters)}`);
  return leader;
}

export function formatStatus(report: QuorumReport): string {
  const { quorum } = report;
  const leader = leaderOf(quorum);
  const slowest = quorum.currentVoters.reduce((min, v) => (v.logEndOffset < min.logEndOffset ? v : min), quorum.currentVoters[0]!);
  const maxFollowerLag = leader.logEndOffset - slowest.logEndOffset;
  let maxFollowerLagTimeMs: bigint;
  if (slowest === leader) maxFollowerLagTimeMs = 0n;
  else if (leader.lastCaughtUpTimestamp >= 0n && slowest.lastCaughtUpTimestamp >= 0n) {
    maxFollowerLagTimeMs = leader.lastCaughtUpTimestamp - slowest.lastCaughtUpTimestamp;
  } else maxFollowerLagTimeMs = -1n;
  const rows: [string, string][] = [
    ['ClusterId', report.clusterId],
    ['LeaderId', String(quorum.leaderId)],
    ['LeaderEpoch', String(quorum.leaderEpoch)],
    ['HighWatermark', String(quorum.highWatermark)],
    ['MaxFollowerLag', String(maxFollowerLag)],
    ['MaxFollowerLagTimeMs', String(maxFollowerLagTimeMs)],
    ['CurrentVoters', ids(quorum.currentVoters)],
    ['CurrentObservers', ids(quorum.observers)],
  ];
  // Kafka pads every label to 24 columns including its colon.
  return rows.map(([label, value]) => `${`${label}:`.padEnd(24)}${value}\n`).join('');
}

export function formatReplication(quorum: DescribeQuorumPartition): string {
  const leader = leaderOf(quorum);
  const row = (replica: ReplicaState, status: string): string[] => [
    String(replica.replicaId),
    String(replica.logEndOffset),
    String(leader.logEndOffset - replica.logEndOffset),
    String(replica.lastFetchTimestamp),
    String(replica.lastCaughtUpTimestamp),
    status,
  ];
  const rows = [
    row(leader, 'Leader'),
    ...quorum.currentVoters.filter((v) => v !== leader).map((v) => row(v, 'Follower')),
    ...quorum.observers.map((o) => row(o, 'Observer')),
  ];
  return table(['NodeId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp', 'Status'], rows);
}

/** Kafka's tool table: each cell left-aligned to its column's width and followed by a tab. */
function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `${cells.map((cell, i) => `${cell.padEnd(widths[i]!)}\t`).join('')}\n`;
  return [headers, ...rows].map(line).join('');
}

function ids(replicas: ReplicaState[]): string {
  return `[${replicas.map((r) => r.replicaId).join(',')}]`;
}
