/**
 * Who leads an etcd cluster, as its members say: each answers Maintenance.Status with the
 * member id it believes leads and its raft term. Member ids are etcd's own 64-bit numbers; the
 * member list maps them to names, which are the nodes' aliases (`node<id>`).
 */
import { Etcd3 } from 'etcd3';
import { noop } from 'cockatiel';

export interface EtcdLeaderReport {
  leaderId: number;
  /** The raft term. */
  epoch: number;
  reportedBy: number;
}

export interface EtcdEndpoint {
  nodeId: number;
  /** `host:port` of the node's client port. */
  clientAddress: string;
}

/** Asks each endpoint in turn until one names a leader; null if none does within the time. */
export async function findEtcdLeader(endpoints: readonly EtcdEndpoint[], timeoutMs: number): Promise<EtcdLeaderReport | null> {
  const deadlineMs = Date.now() + timeoutMs;
  while (Date.now() < deadlineMs) {
    for (const endpoint of endpoints) {
      const remainingMs = deadlineMs - Date.now();
      if (remainingMs <= 0) break;
      const report = await askStatus(endpoint, Math.min(remainingMs, 2_000)).catch(() => null);
      if (report !== null) return report;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

async function askStatus(endpoint: EtcdEndpoint, timeoutMs: number): Promise<EtcdLeaderReport | null> {
  const client = new Etcd3({
    hosts: `http://${endpoint.clientAddress}`,
    dialTimeout: timeoutMs,
    faultHandling: { host: () => noop, global: noop },
    defaultCallOptions: () => ({ deadline: Date.now() + timeoutMs }),
  });
  try {
    const status = await client.maintenance.status();
    if (status.leader === '0') return null;
    const members = await client.cluster.memberList({ linearizable: false });
    const leader = members.members.find((member) => member.ID === status.leader);
    const leaderId = nodeIdOfMemberName(leader?.name ?? '');
    if (leaderId === null) return null;
    return { leaderId, epoch: Number(status.raftTerm), reportedBy: endpoint.nodeId };
  } finally {
    client.close();
  }
}

/** `node3` → 3; anything else → null. */
export function nodeIdOfMemberName(name: string): number | null {
  const match = /^node(\d+)$/.exec(name);
  return match === null ? null : Number(match[1]);
}
