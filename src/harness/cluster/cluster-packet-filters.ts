/**
 * The network faults in force on a cluster, by node id: one grudge (a partition; applying one
 * replaces the one in force) and packet loss on some links. Every change renders each node's
 * whole chain from this state with the peers' current addresses and rewrites, in parallel, only
 * the chains whose text changed. A node that restarts comes back with an empty chain (and maybe
 * a new address): the state is put back on it, and on every node if its address moved.
 */
import { drops, HEALED, type Grudge } from '../../faults/grudge.js';
import type { PacketFilterRule } from './packet-filter-commands.js';
import type { StartedQuorumNode } from './started-quorum-node.js';

/** Loss on the links into one node: packets from `from` dropped with `probability`. */
export interface LinkLoss {
  from: ReadonlySet<number>;
  probability: number;
}

export class ClusterPacketFilters {
  private grudge: Grudge = HEALED;
  private readonly loss = new Map<number, LinkLoss>();
  /** The rules last written to each node, to skip unchanged nodes. */
  private readonly written = new Map<number, string>();

  constructor(private readonly nodes: readonly StartedQuorumNode[]) {}

  /** The partition in force (HEALED when none). */
  currentGrudge(): Grudge {
    return this.grudge;
  }

  currentLoss(): ReadonlyMap<number, LinkLoss> {
    return this.loss;
  }

  /** Makes `grudge` the partition in force, replacing the previous one; loss stays. */
  async setGrudge(grudge: Grudge): Promise<void> {
    this.assertKnown(grudge);
    this.grudge = grudge;
    await this.sync();
  }

  /** Makes `loss` the packet loss in force, replacing the previous one; the grudge stays. */
  async setLoss(loss: ReadonlyMap<number, LinkLoss>): Promise<void> {
    for (const [nodeId, link] of loss) {
      this.node(nodeId);
      for (const from of link.from) this.node(from);
      if (!(link.probability > 0 && link.probability <= 1)) throw new RangeError(`loss probability must be in (0, 1], got ${link.probability}`);
    }
    this.loss.clear();
    for (const [nodeId, link] of loss) this.loss.set(nodeId, link);
    await this.sync();
  }

  async clearLoss(): Promise<void> {
    this.loss.clear();
    await this.sync();
  }

  /** No partition and no loss: every chain empty. */
  async healAll(): Promise<void> {
    this.grudge = HEALED;
    this.loss.clear();
    await this.sync();
  }

  /** The rules of one node's chain under the current state. */
  rulesFor(nodeId: number): PacketFilterRule[] {
    const rules: PacketFilterRule[] = [];
    const ignored = new Set<number>();
    for (const peer of this.nodes) {
      if (peer.nodeId !== nodeId && drops(this.grudge, peer.nodeId, nodeId)) ignored.add(peer.nodeId);
    }
    for (const peerId of [...ignored].sort((a, b) => a - b)) rules.push({ kind: 'drop', from: this.node(peerId).bridgeAddress });
    const loss = this.loss.get(nodeId);
    for (const peerId of [...(loss?.from ?? [])].sort((a, b) => a - b)) {
      if (peerId === nodeId || ignored.has(peerId)) continue; // a dropped link loses everything already
      rules.push({ kind: 'loss', from: this.node(peerId).bridgeAddress, probability: loss!.probability });
    }
    return rules;
  }

  /** @internal Called by a node after it (re)started: its chain is empty, its address may be new. */
  async afterStart(node: StartedQuorumNode, previousAddress: string): Promise<void> {
    this.written.delete(node.nodeId);
    if (node.bridgeAddress !== previousAddress) {
      // Every other node's rules name the old address: rewrite them all.
      await this.sync();
      return;
    }
    const rules = this.rulesFor(node.nodeId);
    if (rules.length > 0) await this.write(node, rules);
  }

  /** Rewrites every running node whose chain text differs from what it should be. */
  private async sync(): Promise<void> {
    await Promise.all(this.nodes.map(async (node) => {
      const rules = this.rulesFor(node.nodeId);
      if (this.written.get(node.nodeId) === JSON.stringify(rules)) return;
      try {
        await this.write(node, rules);
      } catch (error) {
        // A killed or stopped node has no namespace to write into; its rules go in when it starts.
        if (await node.isRunning()) throw error;
        this.written.delete(node.nodeId);
      }
    }));
  }

  private async write(node: StartedQuorumNode, rules: PacketFilterRule[]): Promise<void> {
    await node.setPacketFilter(rules);
    this.written.set(node.nodeId, JSON.stringify(rules));
  }

  private assertKnown(grudge: Grudge): void {
    for (const [nodeId, ignored] of grudge) {
      this.node(nodeId);
      for (const peerId of ignored) {
        this.node(peerId);
        if (peerId === nodeId) throw new RangeError(`grudge: node ${nodeId} cannot ignore itself`);
      }
    }
  }

  private node(nodeId: number): StartedQuorumNode {
    const found = this.nodes.find((node) => node.nodeId === nodeId);
    if (found === undefined) throw new RangeError(`no node ${nodeId} in this cluster (nodes ${this.nodes.map((node) => node.nodeId).join(', ')})`);
    return found;
  }
}
