/**
 * Partitions as grudges (src/faults/grudge.ts): node → the nodes whose packets it drops. Applying
 * a grudge replaces the one in force (one atomic chain rewrite per node whose rules change), so
 * a schedule can move from one partition shape to the next without a heal between; healing
 * applies the empty grudge. Packet loss in force is kept either way. The shapes themselves
 * (halves, ring, bridge, ping-pong...) are pure functions in src/faults/; this is the mechanism.
 */
import { HEALED, type Grudge } from '../../faults/grudge.js';
import type { StartedQuorumCluster } from '../cluster/started-quorum-cluster.js';

export async function applyPartition(cluster: StartedQuorumCluster, grudge: Grudge): Promise<void> {
  await cluster.packetFilters.setGrudge(grudge);
}

export async function healPartition(cluster: StartedQuorumCluster): Promise<void> {
  await cluster.packetFilters.setGrudge(HEALED);
}
