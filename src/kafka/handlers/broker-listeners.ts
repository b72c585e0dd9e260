/**
 * The brokers a client is told about: registered, unfenced brokers with the advertised endpoint
 * of the listener the client came through, ordered by id. Kafka's Metadata and DescribeCluster
 * answers list exactly these.
 */
import type { MetadataImage } from '../../core/metadata/index.js';

export interface AdvertisedBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export function advertisedBrokers(image: MetadataImage, listenerName: string | null): AdvertisedBroker[] {
  const listed: AdvertisedBroker[] = [];
  // The image keeps its unfenced ids sorted until a broker record changes them: every Metadata
  // answer built DescribeCluster's reply instead (every broker listed and sorted, every endpoint copied).
  for (const brokerId of image.unfencedBrokerIds()) {
    const broker = image.broker(brokerId)!;
    const endpoint = listenerName === null ? broker.endpoints[0] : broker.endpoints.find((e) => e.name === listenerName);
    if (endpoint === undefined) continue;
    listed.push({ nodeId: brokerId, host: endpoint.host, port: endpoint.port, rack: broker.rack });
  }
  return listed;
}
