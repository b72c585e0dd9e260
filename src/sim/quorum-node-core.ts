/**
 * The simulator's default core: quorumd's own QuorumNode, configured for a simulated cluster.
 * Settings may override any consensus or node setting by its config name (tests pin timing this
 * way; `--node-config` arrives here through sim-node-config.ts); QuorumNode validates them and
 * names a bad one. `controllerOnly` voters are KRaft's isolated controllers (no broker role).
 */
import { QuorumNode } from '../core/quorum-node.js';
import type { CoreFactory } from './consensus-core.js';
import { membershipSettings, type SimMembership } from './sim-membership.js';

export const SIM_CLUSTER_ID = 'sim-cluster';

export function quorumNodeCore(
  overrides: Readonly<Record<string, unknown>> = {}, controllerOnly = false, membership: { seed: number; nodes: SimMembership } | null = null,
): CoreFactory {
  return (start) => {
    const controller = start.voters.includes(start.nodeId) || (membership?.nodes.spares.includes(start.nodeId) ?? false);
    const roles = controller ? (controllerOnly ? ['controller'] : ['broker', 'controller']) : ['broker'];
    const dynamic = membership !== null && start.disk !== undefined ? { ...membershipSettings(membership.seed, membership.nodes, start.disk), processRoles: roles } : {};
    return makeQuorumNode(start, {
      nodeId: start.nodeId, voters: start.voters, clusterId: SIM_CLUSTER_ID,
      ...(controllerOnly && start.voters.includes(start.nodeId) ? { processRoles: ['controller'] } : {}),
      ...dynamic,
      ...overrides,
    });
  };
}

function makeQuorumNode(start: Parameters<CoreFactory>[0], config: Record<string, unknown>): QuorumNode {
  return new QuorumNode({
    config: config as ConstructorParameters<typeof QuorumNode>[0]['config'],
    recovered: start.recovered as ConstructorParameters<typeof QuorumNode>[0]['recovered'],
    random: start.random,
    nowMs: start.nowMs,
  });
}
