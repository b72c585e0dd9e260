/**
 * The simulator's default core: quorumd's own QuorumNode, configured for a simulated cluster.
 * Settings may override any consensus or node setting by its config name (tests pin timing this
 * way; `--node-config` arrives here through sim-node-config.ts); QuorumNode validates them and
 * names a bad one. `controllerOnly` voters are KRaft's isolated controllers (no broker role).
 */
import { QuorumNode } from '../core/quorum-node.js';
import type { CoreFactory } from './consensus-core.js';

export const SIM_CLUSTER_ID = 'sim-cluster';

export function quorumNodeCore(overrides: Readonly<Record<string, unknown>> = {}, controllerOnly = false): CoreFactory {
  return (start) => new QuorumNode({
    config: {
      nodeId: start.nodeId, voters: start.voters, clusterId: SIM_CLUSTER_ID,
      ...(controllerOnly && start.voters.includes(start.nodeId) ? { processRoles: ['controller'] } : {}),
      ...overrides,
    } as ConstructorParameters<typeof QuorumNode>[0]['config'],
    recovered: start.recovered as ConstructorParameters<typeof QuorumNode>[0]['recovered'],
    random: start.random,
    nowMs: start.nowMs,
  });
}
