/**
 * The simulator's default core: quorumd's own QuorumNode, configured for a simulated cluster.
 * Run settings may override any consensus or node setting by its config name (tests pin timing
 * this way); QuorumNode validates them and names a bad one.
 */
import { QuorumNode } from '../core/quorum-node.js';
import type { CoreFactory } from './consensus-core.js';

export const SIM_CLUSTER_ID = 'sim-cluster';

export function quorumNodeCore(overrides: Readonly<Record<string, number>> = {}): CoreFactory {
  return (start) => new QuorumNode({
    config: { nodeId: start.nodeId, voters: start.voters, clusterId: SIM_CLUSTER_ID, ...overrides },
    recovered: start.recovered as ConstructorParameters<typeof QuorumNode>[0]['recovered'],
    random: start.random,
    nowMs: start.nowMs,
  });
}
