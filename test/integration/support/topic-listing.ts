/**
 * Asking one node directly, bypassing kafkajs's broker discovery: a test that restarted a node
 * must know what that node itself answers.
 */
import { metadataApi } from '../../../src/kafka/apis/metadata/index.js';
import { KafkaClientConnection } from '../../../src/kafka/client/kafka-client-connection.js';

/** Every topic name the node at `port` answers a Metadata v6 request for all topics with. */
export async function topicsOnNode(port: number): Promise<string[] | null> {
  try {
    const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 1000 });
    try {
      const response = await connection.request(metadataApi, 6, { topics: null, allowAutoTopicCreation: false });
      return response.topics.map((t) => t.name).sort();
    } finally {
      await connection.close();
    }
  } catch {
    return null;
  }
}
