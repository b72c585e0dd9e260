/**
 * The brokers a client is told about: registered, unfenced brokers with the advertised endpoint
 * of the listener the client came through, ordered by id. Kafka's Metadata and DescribeCluster
 * answers list exactly these.
 */
import type { BrokerDescription, MetadataImage } from '../../core/metadata/index.js';
import { answerRead } from '../../core/metadata/index.js';

export interface AdvertisedBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export function advertisedBrokers(image: MetadataImage, listenerName: string | null): AdvertisedBroker[] {
  const answer = answerRead(image, { type: 'describeCluster' });
  if (!answer.ok) return [];
  const brokers = (answer.reply as { brokers: BrokerDescription[] }).brokers;
  const listed: AdvertisedBroker[] = [];
  for (const broker of brokers) {
    const endpoint = listenerName === null ? broker.endpoints[0] : broker.endpoints.find((e) => e.name === listenerName);
    if (endpoint === undefined) continue;
    listed.push({ nodeId: broker.brokerId, host: endpoint.host, port: endpoint.port, rack: broker.rack });
  }
  return listed.sort((a, b) => a.nodeId - b.nodeId);
}
