/**
 * Packet loss between nodes: each target node drops a random fraction of the packets arriving
 * from its peers (iptables `statistic --mode random`), in the same chain as partitions. Clients
 * on the host are not affected, as with partitions: the point is the quorum's own traffic (lost
 * fetches, votes and acknowledgements), not client timeouts. Loss on a link that a partition
 * already cuts is moot and not written.
 */
import type { StartedQuorumCluster } from '../cluster/started-quorum-cluster.js';

export interface PacketLoss {
  /** The nodes whose incoming peer traffic is lossy. */
  nodes: readonly number[];
  /** The fraction of packets dropped, in (0, 1]. */
  probability: number;
}

/** Makes loss into each listed node, from every other node, the loss in force (replacing any). */
export async function startPacketLoss(cluster: StartedQuorumCluster, loss: PacketLoss): Promise<void> {
  const all = cluster.nodes.map((node) => node.nodeId);
  const links = new Map(loss.nodes.map((nodeId) => [nodeId, {
    from: new Set(all.filter((peer) => peer !== nodeId)),
    probability: loss.probability,
  }]));
  await cluster.packetFilters.setLoss(links);
}

export async function stopPacketLoss(cluster: StartedQuorumCluster): Promise<void> {
  await cluster.packetFilters.clearLoss();
}
