/**
 * The controller id a node names to Kafka clients (Metadata's and DescribeCluster's controller):
 * the quorum's leader when it is a live (unfenced) broker, else the lowest unfenced broker, else
 * the node itself. One rule for the real server (node/quorum-host.ts) and the simulator
 * (sim/sim-metadata-port.ts), so both answer clients alike.
 */
import type { MetadataImage } from './metadata/index.js';

export function controllerIdForClients(image: MetadataImage, leaderId: number | null, selfId: number): number {
  const live = image.unfencedBrokerIds();
  if (leaderId !== null && live.includes(leaderId)) return leaderId;
  return live[0] ?? selfId;
}
