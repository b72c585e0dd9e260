/**
 * Pausing a node: every process of it stops running while its sockets stay open, so peers see
 * silence rather than closed connections (a long GC pause, a stalled VM). Two mechanisms:
 * `freezer` (the cgroup freezer, `docker pause`; the default) freezes the whole container at
 * once; `signal` sends SIGSTOP to its main process and SIGCONT to resume, as Jepsen's
 * hammer-time does, for engines where the freezer is unavailable.
 */
import type { StartedQuorumCluster } from '../cluster/started-quorum-cluster.js';

export type PauseMode = 'freezer' | 'signal';

export async function pauseNode(cluster: StartedQuorumCluster, nodeId: number, mode: PauseMode = 'freezer'): Promise<void> {
  const node = cluster.node(nodeId);
  if (mode === 'freezer') await node.pause();
  else await node.kill('SIGSTOP');
}

export async function resumeNode(cluster: StartedQuorumCluster, nodeId: number, mode: PauseMode = 'freezer'): Promise<void> {
  const node = cluster.node(nodeId);
  if (mode === 'freezer') await node.unpause();
  else await node.kill('SIGCONT');
}
