/**
 * Whether every voter came back into the quorum after the heal, read off the node events (the
 * same streams in both worlds, on the world's clock). A voter is back once it follows the leader
 * of the newest epoch, in that epoch, and has fetched from it since the heal: it learned a high
 * watermark in that epoch (a follower learns one only from its leader's fetch answers) at or after
 * the heal and after it last began following. The leader itself is back once elected.
 *
 * Why a high watermark: no event marks a fetch, and one that moves proves the leader answered.
 * After the heal it moves on every follower that fetches: the recovery probe's write commits after
 * the heal, and a follower that was away (crashed, paused, cut off) holds a high watermark from
 * before it.
 *
 * Fed one event at a time in time order (`observe`), so the recovery phase can ask it during the
 * run (a world with live node events, the simulator) and the judge once after it.
 */
import type { NodeEvent, RaftStateName } from '../../history/node-event.js';

export interface VoterRejoin {
  nodeId: number;
  /** World ms at which the voter was last seen coming back, or null: not back at the end. */
  backAtMs: number | null;
  /** Where it stood at the end, in words (for a voter not back). */
  lastSeen: string;
}

export interface QuorumRejoin {
  /** The leader of the newest epoch anyone was elected in, or null. */
  leader: { nodeId: number; epoch: number } | null;
  voters: VoterRejoin[];
  /** ms from the heal until the last voter was back; null when one is not. */
  quorumMs: number | null;
}

interface NodeView {
  state: RaftStateName | null;
  epoch: number;
  leaderId: number | null;
  /** When the node entered its present state (or restarted). */
  sinceNs: number;
  /** When it first learned a high watermark in this state at or after the heal, or null. */
  fetchedAtNs: number | null;
}

export class QuorumRejoinTracker {
  private readonly nodes = new Map<number, NodeView>();
  private newestLeader: { nodeId: number; epoch: number; atNs: number } | null = null;
  private readonly healedAtNs: number;

  constructor(healedAtMs: number) {
    this.healedAtNs = Math.round(healedAtMs * 1e6);
  }

  observe(event: NodeEvent): void {
    const view = this.view(event.node);
    switch (event.kind) {
      case 'restarted':
        // What the node did before is over: it must come back as its new incarnation.
        Object.assign(view, { state: null, leaderId: null, sinceNs: event.timeNs, fetchedAtNs: null });
        break;
      case 'epoch-changed':
        if (view.state === event.state && view.epoch === event.epoch && view.leaderId === (event.leaderId ?? null)) break;
        Object.assign(view, { state: event.state ?? null, epoch: event.epoch, leaderId: event.leaderId ?? null, sinceNs: event.timeNs, fetchedAtNs: null });
        if (event.state === 'leader' && (this.newestLeader === null || event.epoch >= this.newestLeader.epoch)) {
          this.newestLeader = { nodeId: event.node, epoch: event.epoch, atNs: event.timeNs };
        }
        break;
      case 'high-watermark':
        if (view.state === 'follower' && event.epoch === view.epoch && view.fetchedAtNs === null && event.timeNs >= this.healedAtNs) {
          view.fetchedAtNs = event.timeNs;
        }
        break;
      default:
        break;
    }
  }

  /** Where `voters` stand now (or at the end of the events observed). */
  result(voters: readonly number[]): QuorumRejoin {
    const leader = this.newestLeader;
    const rejoins = voters.map((nodeId): VoterRejoin => {
      const view = this.nodes.get(nodeId);
      const lastSeen = view === undefined ? 'no events' : describe(view);
      if (leader === null || view === undefined || view.epoch !== leader.epoch) return { nodeId, backAtMs: null, lastSeen };
      if (nodeId === leader.nodeId) {
        return { nodeId, backAtMs: view.state === 'leader' ? Math.max(view.sinceNs, this.healedAtNs) / 1e6 : null, lastSeen };
      }
      const back = view.state === 'follower' && view.leaderId === leader.nodeId && view.fetchedAtNs !== null;
      return { nodeId, backAtMs: back ? view.fetchedAtNs! / 1e6 : null, lastSeen };
    });
    const times = rejoins.map((voter) => voter.backAtMs);
    const quorumMs = times.every((time): time is number => time !== null) ? Math.max(this.healedAtNs / 1e6, ...times) - this.healedAtNs / 1e6 : null;
    return { leader: leader === null ? null : { nodeId: leader.nodeId, epoch: leader.epoch }, voters: rejoins, quorumMs };
  }

  private view(node: number): NodeView {
    let view = this.nodes.get(node);
    if (view === undefined) {
      view = { state: null, epoch: 0, leaderId: null, sinceNs: 0, fetchedAtNs: null };
      this.nodes.set(node, view);
    }
    return view;
  }
}

function describe(view: NodeView): string {
  if (view.state === null) return `restarted at ${Math.round(view.sinceNs / 1e6)} ms, no state since`;
  const leader = view.leaderId === null ? '' : ` of node ${view.leaderId}`;
  const fetched = view.state === 'follower' ? (view.fetchedAtNs === null ? ', no high watermark learned since the heal' : '') : '';
  return `${view.state}${leader} in epoch ${view.epoch} since ${Math.round(view.sinceNs / 1e6)} ms${fetched}`;
}
