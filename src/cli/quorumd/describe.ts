/**
 * `quorumd describe (--bootstrap-server | --bootstrap-controller) H:P[,H:P...] --status |
 * --replication`: what Kafka 3.9's `kafka-metadata-quorum describe` prints, read over
 * DescribeQuorum (key 55, v2 where the server speaks it, with directory ids and the voters'
 * endpoints; v1 otherwise) and DescribeCluster (key 60) with our own client connection, so any
 * server speaking those APIs (Kafka's too) can be described. `--bootstrap-controller` addresses a
 * controller's controller listener, which quorumd serves to Kafka clients too.
 *
 * Exit codes: 0 printed; 1 the server answered with an error or could not be reached; 2 bad
 * arguments.
 */
import { describeClusterApi } from '../../kafka/apis/describe-cluster/index.js';
import {
  describeQuorumApi, type DescribeQuorumNode, type DescribeQuorumPartition, type ReplicaState,
} from '../../kafka/apis/describe-quorum/index.js';
import { errorName } from '../../kafka/protocol/error-codes.js';
import { ZERO_UUID } from '../../kafka/protocol/uuid.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_VALID } from '../subcommands.js';
import { askFirstAnswering, parseServerList, withAdminSession, type ServerAddress } from './admin-connection.js';
import { parseCommandArgs, UsageError } from './arguments.js';

export { parseServerList, type ServerAddress } from './admin-connection.js';

const USAGE = `usage: quorumd describe (--bootstrap-server | --bootstrap-controller) HOST:PORT[,HOST:PORT...]
                        (--status | --replication)

Describes the metadata quorum, as kafka-metadata-quorum describe does.
  --bootstrap-server L      brokers to ask, tried in order until one answers
  --bootstrap-controller L  controllers to ask (their controller listener), likewise
  --status                  a summary: leader, epoch, high watermark, follower lag, voters and
                            observers with their directory ids and endpoints
  --replication             one row per replica: log end offset, lag, fetch times, status
  --timeout-ms N            how long to wait for each server (default 10000)
`;

const METADATA_TOPIC = '__cluster_metadata';
const TIMEOUT_MS_DEFAULT = 10_000;
/** The newest DescribeQuorum version we read (KIP-853's directory ids and nodes). */
const DESCRIBE_QUORUM_VERSION_NEWEST = 2;
/** The oldest we accept: v1 has the fetch times --replication prints. */
const DESCRIBE_QUORUM_VERSION_OLDEST = 1;

interface DescribeArguments {
  servers: ServerAddress[];
  mode: 'status' | 'replication';
  timeoutMs: number;
}

/** What one server said: the quorum partition, the voters' endpoints (v2) and the cluster id. */
export interface QuorumReport {
  clusterId: string;
  quorum: DescribeQuorumPartition;
  /** The voters' listeners (DescribeQuorum v2; empty from older servers). */
  nodes: DescribeQuorumNode[];
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
    const report = await askFirstAnswering(parsed.servers, 'describe the quorum', (server) => askServer(server, parsed.timeoutMs));
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
    'bootstrap-controller': { type: 'string' },
    status: { type: 'boolean' },
    replication: { type: 'boolean' },
    'timeout-ms': { type: 'string' },
  }, USAGE);
  const brokers = values['bootstrap-server'];
  const controllers = values['bootstrap-controller'];
  if (typeof brokers === 'string' && typeof controllers === 'string') {
    throw new UsageError('Only one of --bootstrap-server or --bootstrap-controller must be specified');
  }
  if (typeof brokers !== 'string' && typeof controllers !== 'string') {
    throw new UsageError(`--bootstrap-server or --bootstrap-controller is required\n\n${USAGE}`);
  }
  if (values.status === true && values.replication === true) {
    throw new UsageError('Only one of --status or --replication should be specified with describe sub-command');
  }
  if (values.status !== true && values.replication !== true) {
    throw new UsageError('One of --status or --replication must be specified with describe sub-command');
  }
  const timeoutText = values['timeout-ms'];
  const timeoutMs = typeof timeoutText === 'string' ? Number(timeoutText) : TIMEOUT_MS_DEFAULT;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new UsageError(`--timeout-ms must be a positive integer, got '${String(timeoutText)}'`);
  const servers = typeof brokers === 'string' ? parseServerList(brokers, '--bootstrap-server') : parseServerList(controllers as string, '--bootstrap-controller');
  return { servers, mode: values.status === true ? 'status' : 'replication', timeoutMs };
}

export async function askServer(server: ServerAddress, timeoutMs: number): Promise<QuorumReport> {
  return withAdminSession(server, timeoutMs, async (session) => {
    const cluster = await session.request(describeClusterApi, 0, { includeClusterAuthorizedOperations: false });
    if (cluster.errorCode !== 0) throw new Error(`DescribeCluster answered ${errorName(cluster.errorCode)}: ${cluster.errorMessage ?? ''}`);
    const version = await session.version(describeQuorumApi, DESCRIBE_QUORUM_VERSION_NEWEST, DESCRIBE_QUORUM_VERSION_OLDEST);
    const request = { topics: [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: 0 }] }] };
    const response = await session.request(describeQuorumApi, version, request);
    const partition = response.topics.find((t) => t.topicName === METADATA_TOPIC)?.partitions.find((p) => p.partitionIndex === 0);
    if (response.errorCode !== 0) throw new Error(`DescribeQuorum answered ${errorName(response.errorCode)}${suffix(response.errorMessage)}`);
    if (partition === undefined) throw new Error(`DescribeQuorum did not describe ${METADATA_TOPIC}-0`);
    if (partition.errorCode !== 0) {
      throw new Error(`DescribeQuorum answered ${errorName(partition.errorCode)} for ${METADATA_TOPIC}-0${suffix(partition.errorMessage)}`);
    }
    return { clusterId: cluster.clusterId, quorum: partition, nodes: response.nodes };
  });
}

function suffix(message: string | null): string {
  return message === null || message === '' ? '' : `: ${message}`;
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
    ['CurrentVoters', replicaList(quorum.currentVoters, report.nodes)],
    ['CurrentObservers', replicaList(quorum.observers, report.nodes)],
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

/**
 * Kafka 3.9's list of replicas: each as `{"id": N, "directoryId": "D"}` (null for the zero uuid,
 * an unknown directory), with `"endpoints": ["NAME://host:port", ...]` when the answer lists the
 * node's listeners, joined by ", " in brackets.
 */
function replicaList(replicas: ReplicaState[], nodes: DescribeQuorumNode[]): string {
  const listenersOf = new Map(nodes.map((node) => [node.nodeId, node.listeners]));
  return `[${replicas.map((replica) => {
    const directoryId = replica.replicaDirectoryId === ZERO_UUID ? 'null' : `"${replica.replicaDirectoryId}"`;
    const listeners = listenersOf.get(replica.replicaId) ?? [];
    const endpoints = listeners.length === 0 ? ''
      : `, "endpoints": [${listeners.map((listener) => `"${listener.name}://${bracketed(listener.host)}:${listener.port}"`).join(', ')}]`;
    return `{"id": ${replica.replicaId}, "directoryId": ${directoryId}${endpoints}}`;
  }).join(', ')}]`;
}

/** IPv6 hosts in brackets, as Kafka writes an endpoint. */
export function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
