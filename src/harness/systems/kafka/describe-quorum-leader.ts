/**
 * The leader of a KRaft-style quorum as the system itself reports it: DescribeQuorum (key 55) on
 * `__cluster_metadata-0`, asked of every node at once. Nodes cut off by a partition may still
 * name an old leader (a deposed leader learns late that it was), so the answer with the highest
 * epoch wins: it is the newest leadership anyone has seen. Any server speaking DescribeQuorum
 * answers this (quorumd's brokers and controllers, Kafka's since 3.3).
 */
import { describeQuorumApi } from '../../../kafka/apis/describe-quorum/index.js';
import { KafkaClientConnection } from '../../../kafka/client/kafka-client-connection.js';
import type { LeaderReport, NodeEndpoint } from '../system-adapter.js';

const metadataTopic = '__cluster_metadata';

export async function describeQuorumLeader(endpoints: readonly NodeEndpoint[], timeoutMs: number): Promise<LeaderReport | null> {
  const answers = await Promise.all(endpoints.map((endpoint) => askLeader(endpoint, timeoutMs).catch(() => null)));
  let best: LeaderReport | null = null;
  for (const answer of answers) {
    if (answer !== null && (best === null || answer.epoch > best.epoch)) best = answer;
  }
  return best;
}

/** One node's answer, or null when it knows no leader; throws when it does not answer in time. */
export async function askLeader(endpoint: NodeEndpoint, timeoutMs: number): Promise<LeaderReport | null> {
  const [host, port] = splitAddress(endpoint.clientAddress);
  const connection = await KafkaClientConnection.connect({ host, port, connectTimeoutMs: timeoutMs, clientId: 'quorumcheck-nemesis' });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`node ${endpoint.nodeId}: no DescribeQuorum answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const request = { topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0 }] }] };
    const response = await Promise.race([connection.request(describeQuorumApi, 1, request), timeout]);
    const partition = response.topics.find((topic) => topic.topicName === metadataTopic)?.partitions[0];
    if (response.errorCode !== 0 || partition === undefined || partition.errorCode !== 0 || partition.leaderId < 0) return null;
    return { leaderId: partition.leaderId, epoch: partition.leaderEpoch, reportedBy: endpoint.nodeId };
  } finally {
    clearTimeout(timer);
    await connection.close();
  }
}

export function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) throw new RangeError(`'${address}' is not host:port`);
  return [address.slice(0, colon), port];
}
