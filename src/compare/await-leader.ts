/**
 * The leader, waited for: an adapter's findLeader answers what the nodes say now (quorumd's asks
 * every node once, and right after a start or a fault nobody names one yet), so the comparison
 * asks again until one is named or the time is up.
 */
import type { LeaderReport } from '../harness/systems/system-adapter.js';
import type { StartedSystemCluster } from '../harness/systems/system-cluster.js';

export async function awaitLeader(started: StartedSystemCluster, timeoutMs: number): Promise<LeaderReport | null> {
  const deadlineMs = Date.now() + timeoutMs;
  for (;;) {
    const remainingMs = deadlineMs - Date.now();
    const leader = await started.findLeader(Math.max(1_000, Math.min(remainingMs, 5_000)));
    if (leader !== null || Date.now() >= deadlineMs) return leader;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
