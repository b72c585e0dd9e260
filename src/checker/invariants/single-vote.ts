/**
 * SingleVote: a voter votes for at most one candidate per epoch, also across restarts, because the
 * vote is durable (KRaft's quorum-state file). A node that forgets its vote in a crash can elect
 * two leaders in one epoch; this rule catches the forgetting itself, before a second leader exists.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

export class SingleVoteRule implements EventRule {
  readonly rule = 'SingleVote' as const;
  readonly kinds: readonly NodeEventKind[] = ['vote-granted', 'epoch-changed'];
  /** node -> its vote in its latest epoch (votes of older epochs can no longer change). */
  private readonly voteByNode = new Map<number, { epoch: number; votedFor: number; event: NodeEvent }>();

  forgetReplica(node: number): void {
    this.voteByNode.delete(node);
  }

  observe(event: NodeEvent): Violation | null {
    if (event.kind !== 'vote-granted' && event.kind !== 'epoch-changed') return null;
    const votedFor = event.votedFor ?? null;
    if (votedFor === null) return null;
    const known = this.voteByNode.get(event.node);
    if (known === undefined || event.epoch > known.epoch) {
      this.voteByNode.set(event.node, { epoch: event.epoch, votedFor, event });
      return null;
    }
    if (event.epoch < known.epoch || known.votedFor === votedFor) return null;
    return {
      rule: this.rule,
      message: `node ${event.node} voted for both node ${known.votedFor} and node ${votedFor} in epoch ${event.epoch}`,
      events: [known.event, event],
    };
  }
}
