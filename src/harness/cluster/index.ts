/**
 * The cluster wrapper's public face: start quorumd (or any system's program) in containers and
 * act on its nodes. Everything a nemesis, client or run needs is reachable from here.
 */
export { QuorumCluster, type QuorumClusterSpec } from './quorum-cluster.js';
export { StartedQuorumCluster } from './started-quorum-cluster.js';
export { StartedQuorumNode, NodeExecError, type ExecOutcome } from './started-quorum-node.js';
export { ClusterPacketFilters, type LinkLoss } from './cluster-packet-filters.js';
export { quorumdProgram, nodeScriptProgram, type NodeProgram, type NodeFile, type QuorumdProgramOptions } from './node-program.js';
export { combinedNodes, nodeCountMax, type AdvertiseMode, type NodeLayout } from './cluster-layout.js';
export type { FaultPath, FaultPathChoice, NodeAccess } from './node-access.js';
export type { DropMode, PacketFilterRule } from './packet-filter-commands.js';
export type { CollectedNodeLogs, NodeLogTexts } from './node-log-collection.js';
