/**
 * `quorumd describe`: Kafka's output format from a known DescribeQuorum answer, the answer of a
 * real KafkaServer mounted on the handlers over an in-process quorum, argument errors, and a
 * clear error when no server is reachable.
 */
import { ZERO_UUID } from '../../src/kafka/protocol/uuid.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askServer, formatReplication, formatStatus, parseDescribeArguments,
} from '../../src/cli/quorumd/describe.js';
import type { DescribeQuorumPartition } from '../../src/kafka/apis/describe-quorum/index.js';
import { createKafkaRequestHandler } from '../../src/kafka/handlers/index.js';
import { KafkaServer } from '../../src/kafka/server/kafka-server.js';
import { PortCluster } from '../kafka/handlers/port-cluster.js';
import { freePorts, quorumd } from './support/local-cluster.js';

const quorum: DescribeQuorumPartition = {
  partitionIndex: 0, errorCode: 0, errorMessage: null, leaderId: 2, leaderEpoch: 7, highWatermark: 120n,
  currentVoters: [
    { replicaId: 1, replicaDirectoryId: ZERO_UUID, logEndOffset: 110n, lastFetchTimestamp: 1_700_000_000_500n, lastCaughtUpTimestamp: 1_700_000_000_100n },
    { replicaId: 2, replicaDirectoryId: ZERO_UUID, logEndOffset: 121n, lastFetchTimestamp: 1_700_000_000_900n, lastCaughtUpTimestamp: 1_700_000_000_900n },
    { replicaId: 3, replicaDirectoryId: ZERO_UUID, logEndOffset: 121n, lastFetchTimestamp: 1_700_000_000_800n, lastCaughtUpTimestamp: 1_700_000_000_800n },
  ],
  observers: [{ replicaId: 101, replicaDirectoryId: ZERO_UUID, logEndOffset: 100n, lastFetchTimestamp: -1n, lastCaughtUpTimestamp: -1n }],
};

describe('quorumd describe output', () => {
  it('--status prints Kafka 3.9\'s labels, the slowest voter\'s lag and its lag time behind the leader', () => {
    expect(formatStatus({ clusterId: 'abc', quorum, nodes: [] })).toBe([
      'ClusterId:              abc',
      'LeaderId:               2',
      'LeaderEpoch:            7',
      'HighWatermark:          120',
      'MaxFollowerLag:         11',
      'MaxFollowerLagTimeMs:   800',
      'CurrentVoters:          [{"id": 1, "directoryId": null}, {"id": 2, "directoryId": null}, {"id": 3, "directoryId": null}]',
      'CurrentObservers:       [{"id": 101, "directoryId": null}]',
      '',
    ].join('\n'));
  });

  it('--status lists directory ids and the voters\' endpoints as Kafka 3.9 does (IPv6 hosts in brackets)', () => {
    const directory = (n: number) => `${'A'.repeat(21)}${'AQgw'[n]}`;
    const dynamic: DescribeQuorumPartition = {
      ...quorum,
      currentVoters: quorum.currentVoters.map((voter, i) => ({ ...voter, replicaDirectoryId: directory(i + 1) })),
      observers: [{ ...quorum.observers[0]!, replicaId: 4, replicaDirectoryId: 'Gs0tgWzCQuWa5EdbkWGbdA' }],
    };
    const nodes = [
      { nodeId: 1, listeners: [{ name: 'CONTROLLER', host: 'c1', port: 9093 }] },
      { nodeId: 2, listeners: [{ name: 'CONTROLLER', host: '::1', port: 9093 }, { name: 'OTHER', host: 'c2', port: 9094 }] },
    ];
    const lines = formatStatus({ clusterId: 'abc', quorum: dynamic, nodes }).split('\n');
    expect(lines[6]).toBe('CurrentVoters:          [{"id": 1, "directoryId": "AAAAAAAAAAAAAAAAAAAAAQ", "endpoints": ["CONTROLLER://c1:9093"]}, ' +
      '{"id": 2, "directoryId": "AAAAAAAAAAAAAAAAAAAAAg", "endpoints": ["CONTROLLER://[::1]:9093", "OTHER://c2:9094"]}, ' +
      '{"id": 3, "directoryId": "AAAAAAAAAAAAAAAAAAAAAw"}]');
    expect(lines[7]).toBe('CurrentObservers:       [{"id": 4, "directoryId": "Gs0tgWzCQuWa5EdbkWGbdA"}]');
  });

  it('--replication prints the leader, then followers, then observers, in tab-ended padded columns', () => {
    expect(formatReplication(quorum)).toBe([
      'NodeId\tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t',
      '2     \t121         \t0  \t1700000000900     \t1700000000900        \tLeader  \t',
      '1     \t110         \t11 \t1700000000500     \t1700000000100        \tFollower\t',
      '3     \t121         \t0  \t1700000000800     \t1700000000800        \tFollower\t',
      '101   \t100         \t21 \t-1                \t-1                   \tObserver\t',
      '',
    ].join('\n'));
  });

  it('refuses bad arguments with Kafka\'s messages', () => {
    expect(() => parseDescribeArguments(['--bootstrap-server', 'h:1'])).toThrow('One of --status or --replication must be specified');
    expect(() => parseDescribeArguments(['--bootstrap-server', 'h:1', '--status', '--replication'])).toThrow('Only one of --status or --replication');
    expect(() => parseDescribeArguments(['--status'])).toThrow('--bootstrap-server or --bootstrap-controller is required');
    expect(() => parseDescribeArguments(['--bootstrap-server', 'h:1', '--bootstrap-controller', 'h:2', '--status']))
      .toThrow('Only one of --bootstrap-server or --bootstrap-controller');
    expect(parseDescribeArguments(['--bootstrap-controller', 'c:9093', '--status']).servers).toEqual([{ host: 'c', port: 9093 }]);
    expect(() => parseDescribeArguments(['--bootstrap-server', 'nohost', '--status'])).toThrow("'nohost' is not HOST:PORT");
    expect(() => parseDescribeArguments(['--bootstrap-server', 'h:99999', '--status'])).toThrow("'h:99999' is not HOST:PORT");
    expect(parseDescribeArguments(['--bootstrap-server', 'a:1, [::1]:2', '--replication']).servers).toEqual([{ host: 'a', port: 1 }, { host: '::1', port: 2 }]);
  });
});

describe('quorumd describe against servers', () => {
  let server: KafkaServer;
  let cluster: PortCluster;

  beforeAll(async () => {
    cluster = new PortCluster([1, 2, 3], [4], {}, 77);
    cluster.settle();
    server = await KafkaServer.listen({ host: '127.0.0.1', port: 0, handler: createKafkaRequestHandler(cluster.port(4)) });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('reads the leader, voters and observers over DescribeQuorum and the cluster id over DescribeCluster', async () => {
    const report = await askServer({ host: '127.0.0.1', port: server.port }, 5000);
    expect(report.clusterId).toBe('handler-test-cluster');
    expect(report.quorum.leaderId).toBe(cluster.leaderId());
    expect(report.quorum.currentVoters.map((v) => v.replicaId)).toEqual([1, 2, 3]);
    expect(report.quorum.observers.map((o) => o.replicaId)).toEqual([4]);
    expect(formatStatus(report)).toMatch(/^CurrentObservers: {7}\[\{"id": 4, "directoryId": null\}\]$/m);
  });

  it('exits 1 naming every unreachable server and why', async () => {
    const [a, b] = await freePorts(2);
    const failure = await quorumd(['describe', '--bootstrap-server', `127.0.0.1:${a},127.0.0.1:${b}`, '--status', '--timeout-ms', '2000'])
      .then(() => null, (error: Error) => error.message);
    expect(failure).toMatch(/exited 1/);
    expect(failure).toMatch(new RegExp(`127\\.0\\.0\\.1:${a}: .*ECONNREFUSED`));
    expect(failure).toMatch(new RegExp(`127\\.0\\.0\\.1:${b}: .*ECONNREFUSED`));
  });
});
