/**
 * A graceful stop, as an operator's restart: SIGTERM, and SIGKILL only if the node has not exited
 * within `timeoutMs`. quorumd resigns its leadership on the way out, so this tests the hand-over
 * path that kill -9 never takes. The node comes back with `startNode`.
 */
import type { StartedQuorumCluster } from '../cluster/started-quorum-cluster.js';

/** Long enough for quorumd's resignation grace; beyond it the stop becomes a kill. */
export const gracefulStopTimeoutMsDefault = 10_000;

export async function stopNode(cluster: StartedQuorumCluster, nodeId: number, timeoutMs = gracefulStopTimeoutMsDefault): Promise<void> {
  await cluster.node(nodeId).stop(timeoutMs);
}

export async function startNode(cluster: StartedQuorumCluster, nodeId: number): Promise<void> {
  await cluster.node(nodeId).start();
}
