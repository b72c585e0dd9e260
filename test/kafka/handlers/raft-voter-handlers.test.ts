/**
 * AddRaftVoter, RemoveRaftVoter and DescribeQuorum v2 through the real handlers on real nodes
 * (the PortCluster): a voter change answers once the new voter set commits, refusals keep Kafka's
 * names, and a static quorum (kraft.version 0) answers UNSUPPORTED_VERSION.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import { createKafkaRequestHandler } from '../../../src/kafka/handlers/index.js';
import type { KafkaRequestHandler } from '../../../src/kafka/server/request-handler.js';
import { context } from './handler-fixture.js';
import { PortCluster } from './port-cluster.js';

const DIRECTORY = 'AAAAAAAAAAAAAAAAAAAAAQ';
const listeners = (id: number) => [{ name: 'CONTROLLER', host: `c${id}`, port: 9093 }];

function handlerOf(cluster: PortCluster, nodeId: number): KafkaRequestHandler {
  return createKafkaRequestHandler(cluster.port(nodeId), { listenerName: 'PLAINTEXT', defaultRequestTimeoutMs: 5000 });
}

describe('voter-change handlers (KIP-853)', () => {
  it('add and remove a voter, answered once committed; DescribeQuorum v2 shows directory ids and listeners', async () => {
    const cluster = new PortCluster([1], [2], {
      kraftVersion: 1, voters: [], directoryId: DIRECTORY, bootstrapServers: [1],
      bootstrapVoters: [{ id: 1, directoryId: DIRECTORY, endpoints: listeners(1) }],
    }, 7);
    cluster.settle();
    const handler = handlerOf(cluster, 2);
    const added = await handler.addRaftVoter!(context, {
      clusterId: cluster.port(2).clusterId, timeoutMs: 5000, voterId: 2, voterDirectoryId: DIRECTORY, listeners: listeners(2),
    });
    expect(added).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null });
    const described = await handler.describeQuorum(context, { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] });
    const partition = described.topics[0]!.partitions[0]!;
    expect(partition.currentVoters.map((voter) => [voter.replicaId, voter.replicaDirectoryId])).toEqual([[1, DIRECTORY], [2, DIRECTORY]]);
    expect(described.nodes).toEqual([{ nodeId: 1, listeners: listeners(1) }, { nodeId: 2, listeners: listeners(2) }]);

    const removed = await handler.removeRaftVoter!(context, { clusterId: null, voterId: 2, voterDirectoryId: DIRECTORY });
    expect(removed.errorCode).toBe(ErrorCode.NONE);
    const again = await handler.removeRaftVoter!(context, { clusterId: null, voterId: 2, voterDirectoryId: DIRECTORY });
    expect(again).toMatchObject({ errorCode: ErrorCode.VOTER_NOT_FOUND, errorMessage: expect.stringContaining('not a voter') });
    const foreign = await handler.removeRaftVoter!(context, { clusterId: 'another', voterId: 1, voterDirectoryId: DIRECTORY });
    expect(foreign.errorCode).toBe(ErrorCode.INCONSISTENT_CLUSTER_ID);
  });

  it('a static quorum (kraft.version 0) does not change voters', async () => {
    const cluster = new PortCluster([1, 2, 3], [], {}, 7);
    cluster.settle();
    const answer = await handlerOf(cluster, 1).removeRaftVoter!(context, { clusterId: null, voterId: 3, voterDirectoryId: DIRECTORY });
    expect(answer).toMatchObject({ errorCode: ErrorCode.UNSUPPORTED_VERSION, errorMessage: expect.stringContaining('kraft.version') });
  });
});
