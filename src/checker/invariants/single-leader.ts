/**
 * SingleLeader: at most one leader per epoch (Raft's Election Safety). Every claim counts: a node
 * becoming leader, and a node that names a leader for an epoch (a follower's `leaderId`) must name
 * the same one, since a follower learns its leader only from that leader.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

export class SingleLeaderRule implements EventRule {
  readonly rule = 'SingleLeader' as const;
  readonly kinds: readonly NodeEventKind[] = ['became-leader', 'epoch-changed'];
  /** epoch -> the first event that named its leader. */
  private readonly leaderByEpoch = new Map<number, { leaderId: number; event: NodeEvent }>();

  observe(event: NodeEvent): Violation | null {
    const leaderId = claimedLeader(event);
    if (leaderId === null) return null;
    const known = this.leaderByEpoch.get(event.epoch);
    if (known === undefined) {
      this.leaderByEpoch.set(event.epoch, { leaderId, event });
      return null;
    }
    if (known.leaderId === leaderId) return null;
    return {
      rule: this.rule,
      message: `epoch ${event.epoch} has two leaders: node ${known.leaderId} (per node ${known.event.node}) ` +
        `and node ${leaderId} (per node ${event.node})`,
      events: [known.event, event],
    };
  }
}

function claimedLeader(event: NodeEvent): number | null {
  if (event.kind === 'became-leader') return event.node;
  if (event.kind !== 'epoch-changed') return null;
  if (event.state === 'leader') return event.node;
  return event.leaderId ?? null;
}
