/**
 * etcd 3.4 as a system under test: every member serves clients (there are no isolated roles),
 * the register workload's operations through the etcd3 client pinned to one member per process,
 * the leader from Maintenance.Status. etcd writes no node event stream of ours, and Go's clock
 * ignores libfaketime: Raft invariants are `unknown` and clock faults do not apply.
 *
 * `reads` chooses what a read is: `linearizable` (etcd's default, a quorum read through ReadIndex)
 * or `serializable` (the member's own store, possibly stale: Jepsen's finding, which the suite
 * must reproduce).
 */
import { etcdNodeProgram, etcdClientPort, etcdPeerPort } from './etcd-program.js';
import { ensureEtcdImage } from './etcd-image.js';
import { findEtcdLeader } from './etcd-leader.js';
import { checkEtcdNodeConfig, etcdEnvironmentOf } from './etcd-node-config.js';
import { EtcdRegisterClient, ETCD_READ_CONSISTENCIES, type EtcdReadConsistency } from './etcd-register-client.js';
import { resolveEtcdVersion } from './etcd-version.js';
import { imageSource } from '../reference/image-source.js';
import { TopologyError, VOTER_COUNTS, type PlannedNode, type SystemAdapter, type TopologyRequest } from '../system-adapter.js';

export interface EtcdSystemOptions {
  /** `3.4` (default) or a 3.4 release. */
  version?: string;
  reads?: EtcdReadConsistency;
}

/** One register operation's timeout in a run. */
export const etcdRequestTimeoutMs = 1_500;

/** The register workload's model: etcd's register per key, values `[key, value]`. */
export const etcdRegisterModel = 'etcd-keyed';

export function etcdSystem(options: EtcdSystemOptions = {}): SystemAdapter & { readonly version: string; readonly reads: EtcdReadConsistency } {
  const reads = options.reads ?? 'linearizable';
  if (!ETCD_READ_CONSISTENCIES.includes(reads)) {
    throw new RangeError(`etcd reads must be ${ETCD_READ_CONSISTENCIES.join(' or ')}, got '${String(reads)}'`);
  }
  // Resolved now when asked for (a bad --version is a usage error at once), else on first use, so
  // listing the systems never depends on QUORUMCHECK_SYSTEM_IMAGES.
  const asked = options.version === undefined ? undefined : resolveEtcdVersion(options.version, imageSource());
  return {
    name: 'etcd',
    summary: `etcd ${options.version ?? '3.4'} (Raft key-value store), register workload with ${reads} reads`,
    workload: 'register',
    model: etcdRegisterModel,
    get version() {
      return asked ?? resolveEtcdVersion(undefined, imageSource());
    },
    reads,
    ports: { client: etcdClientPort, peer: etcdPeerPort },
    // etcd answers in milliseconds; a request cut off by a partition should end soon after, so
    // its client goes on (Jepsen's etcd tests use timeouts of a few seconds, our fixtures 1.5-2 s).
    requestTimeoutMs: etcdRequestTimeoutMs,
    eventLogPath: null,
    clockFaults: false,
    ensureImage: (imageOptions) => ensureEtcdImage({ ...(options.version === undefined ? {} : { version: options.version }), ...imageOptions }),
    planTopology: planEtcdTopology,
    checkNodeConfig: checkEtcdNodeConfig,
    nodeProgram: (settings) => etcdNodeProgram(etcdEnvironmentOf(settings.nodeConfig)),
    findLeader: (endpoints, timeoutMs) => findEtcdLeader(endpoints, timeoutMs),
    openClient: async (clientOptions) => {
      const servers = clientOptions.endpoints.filter((endpoint) => endpoint.servesClients);
      if (servers.length === 0) throw new RangeError('an etcd client needs at least one member to talk to');
      // Pinned, so a process of an isolated member keeps asking it (see etcd-register-client.ts).
      const endpoint = servers[clientOptions.process % servers.length]!;
      return new EtcdRegisterClient({ endpoint: endpoint.clientAddress, nodeId: endpoint.nodeId, requestTimeoutMs: clientOptions.requestTimeoutMs, reads });
    },
  };
}

export function planEtcdTopology(request: TopologyRequest): PlannedNode[] {
  if (request.roles !== 'combined') {
    throw new TopologyError(`etcd has no ${String(request.roles)} roles: every member votes and serves clients (use --roles combined)`);
  }
  if (request.servers !== undefined) throw new TopologyError('etcd members all serve clients: servers applies to isolated roles only');
  if (!Number.isInteger(request.voters) || request.voters < 1 || request.voters > 9) {
    throw new TopologyError(`etcd clusters have 1 to 9 members (runs use ${VOTER_COUNTS.join(', ')}), got ${request.voters}`);
  }
  return Array.from({ length: request.voters }, (_, index) => ({
    nodeId: index + 1, roles: ['etcd'], voter: true, servesClients: true,
  }));
}
