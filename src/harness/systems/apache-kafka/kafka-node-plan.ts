/**
 * What one Kafka node needs to know to start, independent of how the harness lays clusters out:
 * its id and roles, the controllers (KRaft voters) or ZooKeeper members, how many brokers the
 * cluster has (internal topics' replication factor), its ports and what it advertises.
 */
import type { NodeLayout } from '../../cluster/cluster-layout.js';

export type KafkaRole = 'broker' | 'controller';

export interface KafkaPeer {
  nodeId: number;
  alias: string;
}

export interface KafkaNodePlan {
  nodeId: number;
  alias: string;
  roles: readonly KafkaRole[];
  /** The KRaft voters (ZooKeeper mode: the ensemble's members). */
  voters: readonly KafkaPeer[];
  brokerCount: number;
  clusterId: string;
  clientPort: number;
  peerPort: number;
  advertisedClientHost: string;
  advertisedClientPort: number;
  dataDir: string;
}

export const kafkaDataDir = '/var/lib/kafka/data';

/** The plan of a harness node layout. */
export function kafkaPlanOf(layout: NodeLayout): KafkaNodePlan {
  const voters = layout.peers.filter((peer) => peer.voter).map((peer) => ({ nodeId: peer.nodeId, alias: peer.alias }));
  return {
    nodeId: layout.nodeId,
    alias: layout.alias,
    roles: layout.roles.filter((role): role is KafkaRole => role === 'broker' || role === 'controller'),
    voters,
    brokerCount: layout.peers.filter((peer) => peer.roles.includes('broker')).length,
    clusterId: layout.clusterId,
    clientPort: layout.clientPort,
    peerPort: layout.peerPort,
    advertisedClientHost: layout.advertisedClientHost,
    advertisedClientPort: layout.advertisedClientPort,
    dataDir: kafkaDataDir,
  };
}

/** Replication factor of Kafka's internal topics: 3 where there are 3 brokers, else what there is. */
export function internalReplicationFactor(plan: KafkaNodePlan): number {
  return Math.max(1, Math.min(3, plan.brokerCount));
}
