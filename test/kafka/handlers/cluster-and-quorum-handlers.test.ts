import { describe, expect, it } from 'vitest';
import type { ClientAnswer, ClientError, ClientResponse } from '../../../src/core/client-response.js';
import { AUTHORIZED_OPERATIONS_OMITTED } from '../../../src/kafka/apis/describe-cluster/index.js';
import { METADATA_TOPIC_NAME } from '../../../src/kafka/handlers/index.js';
import { answerOf } from '../../../src/kafka/handlers/kafka-answer.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import { BROKER_PORT_BASE, CLUSTER_ID } from './port-cluster.js';
import { context, settledCluster, withSeed } from './handler-fixture.js';

const quorumRequest = { topics: [{ topicName: METADATA_TOPIC_NAME, partitions: [{ partitionIndex: 0 }] }] };

describe('DescribeCluster', () => {
  it('gives the cluster id, the controller and the unfenced brokers on the listener asked for', async () => {
    const { cluster, handler } = settledCluster([4]);
    const response = await handler(4).describeCluster(context, { includeClusterAuthorizedOperations: false });
    expect(response).toMatchObject({
      errorCode: ErrorCode.NONE, clusterId: CLUSTER_ID, controllerId: cluster.leaderId(), clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    });
    expect(response.brokers.map((b) => [b.brokerId, b.port])).toEqual([1, 2, 3, 4].map((id) => [id, BROKER_PORT_BASE + id]));
  });
});

describe('DescribeQuorum', () => {
  it('answers the leader\'s view from any node: leader, epoch, high watermark, voters and observers', async () => {
    const { cluster, handler } = settledCluster([4]);
    const leader = cluster.leaderId()!;
    const response = await handler(4).describeQuorum(context, quorumRequest);
    expect(response.errorCode).toBe(ErrorCode.NONE);
    const partition = response.topics[0]!.partitions[0]!;
    expect(partition).toMatchObject({ errorCode: ErrorCode.NONE, leaderId: leader, leaderEpoch: cluster.nodes.get(leader)!.debugState().epoch });
    expect(partition.highWatermark, withSeed('high watermark')).toBe(BigInt(cluster.nodes.get(leader)!.debugState().highWatermark));
    expect(partition.currentVoters.map((v) => v.replicaId)).toEqual([1, 2, 3]);
    expect(partition.observers.map((o) => o.replicaId)).toEqual([4]);
    const self = partition.currentVoters.find((v) => v.replicaId === leader)!;
    // Timestamps are wall-clock epoch ms, as Kafka's: the leader stamps itself when it answers,
    // one message latency (of virtual time) before the answer arrives here.
    const nowMs = BigInt(Date.now());
    expect(self.lastFetchTimestamp).toBeLessThanOrEqual(nowMs);
    expect(self.lastFetchTimestamp).toBeGreaterThanOrEqual(nowMs - 1000n);
    for (const replica of [...partition.currentVoters, ...partition.observers]) {
      expect(replica.logEndOffset).toBeGreaterThan(0n);
      // Caught up at some point of this test's virtual minute, mapped onto the wall clock.
      expect(replica.lastCaughtUpTimestamp).toBeGreaterThan(nowMs - 120_000n);
      expect(replica.lastCaughtUpTimestamp).toBeLessThanOrEqual(nowMs);
    }
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for any partition but __cluster_metadata-0', async () => {
    const { handler } = settledCluster();
    for (const topics of [
      [{ topicName: 'other', partitions: [{ partitionIndex: 0 }] }],
      [{ topicName: METADATA_TOPIC_NAME, partitions: [{ partitionIndex: 1 }] }],
      [],
    ]) {
      const response = await handler(1).describeQuorum(context, { topics });
      expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    }
  });

  it('answers NOT_LEADER_OR_FOLLOWER when the node cannot reach a leader', async () => {
    const fixture = settledCluster();
    const follower = [1, 2, 3].find((id) => id !== fixture.cluster.leaderId())!;
    fixture.cluster.isolate(follower);
    const response = await fixture.handler(follower, { defaultRequestTimeoutMs: 300 }).describeQuorum(context, quorumRequest);
    expect(response.topics[0]!.partitions[0]).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, leaderId: -1 });
  });
});

describe('core answers as Kafka errors', () => {
  const answer = (response: ClientAnswer) => answerOf({ requestId: 1, ...response } as ClientResponse, 'the write');
  const refused = (outcome: 'failed' | 'unknown', code: string, message = code): ClientAnswer => ({ outcome, error: { code, message } as ClientError });
  it('maps unknown outcomes and NOT_CONTROLLER to REQUEST_TIMED_OUT, and keeps named refusals', () => {
    expect(answer(refused('unknown', 'NOT_CONTROLLER'))).toMatchObject({ ok: false, errorCode: ErrorCode.REQUEST_TIMED_OUT });
    expect(answer(refused('failed', 'NOT_CONTROLLER'))).toMatchObject({ ok: false, errorCode: ErrorCode.REQUEST_TIMED_OUT });
    expect(answer(refused('failed', 'REQUEST_TIMED_OUT'))).toMatchObject({ ok: false, errorCode: ErrorCode.REQUEST_TIMED_OUT });
    expect(answer(refused('failed', 'INVALID_REQUEST', 'createTopic.name must be a string')))
      .toEqual({ ok: false, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'createTopic.name must be a string' });
    expect(answer(refused('failed', 'SOMETHING_ODD'))).toMatchObject({ ok: false, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
    expect(answer({ outcome: 'ok', result: { ok: false, error: 'TOPIC_ALREADY_EXISTS', code: 36, message: "Topic 't' already exists." } } as ClientAnswer))
      .toEqual({ ok: false, errorCode: 36, errorMessage: "Topic 't' already exists." });
    expect(answer({ outcome: 'ok', result: { ok: true, reply: { topics: [] } } } as ClientAnswer)).toEqual({ ok: true, reply: { topics: [] } });
  });
});
