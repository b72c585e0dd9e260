/**
 * What every handler test starts from: a settled 3-voter PortCluster (optionally with an
 * observer broker), a handler mounted on each node, and short request builders.
 */
import type { CreatableTopic } from '../../../src/kafka/apis/create-topics/index.js';
import { createKafkaRequestHandler, type KafkaHandlerOptions } from '../../../src/kafka/handlers/index.js';
import type { KafkaRequestHandler, RequestContext } from '../../../src/kafka/server/request-handler.js';
import { PortCluster } from './port-cluster.js';

export const SEED = Number(process.env.HANDLER_TEST_SEED ?? 20261121);

export const context: RequestContext = {
  connectionId: 1, remoteAddress: '127.0.0.1', remotePort: 50000, clientId: 'handler-test', correlationId: 1, apiKey: 0, apiVersion: 0,
};

export interface Fixture {
  cluster: PortCluster;
  handler(nodeId: number, options?: KafkaHandlerOptions): KafkaRequestHandler;
  createTopic(nodeId: number, topic: Partial<CreatableTopic> & { name: string }, timeoutMs?: number): Promise<{ errorCode: number; errorMessage: string | null }>;
}

export function settledCluster(observers: number[] = []): Fixture {
  const cluster = new PortCluster([1, 2, 3], observers, {}, SEED);
  cluster.settle();
  const handler = (nodeId: number, options: KafkaHandlerOptions = {}): KafkaRequestHandler =>
    createKafkaRequestHandler(cluster.port(nodeId), { listenerName: 'PLAINTEXT', defaultRequestTimeoutMs: 5000, ...options });
  return {
    cluster,
    handler,
    async createTopic(nodeId, topic, timeoutMs = 5000) {
      const response = await handler(nodeId).createTopics(context, {
        topics: [{ numPartitions: 1, replicationFactor: 3, assignments: [], configs: [], ...topic }], timeoutMs, validateOnly: false,
      });
      return response.topics[0]!;
    },
  };
}

/** A failure message that names the seed, so a reader can rerun it. */
export function withSeed(what: string): string {
  return `${what} (reproduce with HANDLER_TEST_SEED=${SEED})`;
}
