/**
 * kill -9 and restart: SIGKILL to the node's main process ends its container at once, as a power
 * cut ends a machine (nothing flushed that was not already synced; sockets closed by the kernel).
 * Restart starts the same container again on its own file system, in a new network namespace:
 * the partition and loss in force are put back on it by the cluster's packet filters.
 */
import type { StartedQuorumCluster } from '../cluster/started-quorum-cluster.js';

export async function killNode(cluster: StartedQuorumCluster, nodeId: number): Promise<void> {
  await cluster.node(nodeId).kill('SIGKILL');
}

export async function restartNode(cluster: StartedQuorumCluster, nodeId: number): Promise<void> {
  await cluster.node(nodeId).start();
}
