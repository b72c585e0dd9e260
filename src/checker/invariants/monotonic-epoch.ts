/**
 * MonotonicEpoch: a node's epoch never goes back, also across restarts (the epoch is durable).
 * Judged on the events that state the node's own epoch: state changes, votes, restarts.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

const EPOCH_STATING_KINDS: ReadonlySet<NodeEventKind> = new Set(['epoch-changed', 'vote-granted', 'became-leader', 'restarted']);

export class MonotonicEpochRule implements EventRule {
  readonly rule = 'MonotonicEpoch' as const;
  readonly kinds: readonly NodeEventKind[] = [...EPOCH_STATING_KINDS];
  private readonly lastByNode = new Map<number, NodeEvent>();

  forgetReplica(node: number): void {
    this.lastByNode.delete(node);
  }

  observe(event: NodeEvent): Violation | null {
    if (!EPOCH_STATING_KINDS.has(event.kind)) return null;
    const last = this.lastByNode.get(event.node);
    this.lastByNode.set(event.node, last !== undefined && last.epoch > event.epoch ? last : event);
    if (last === undefined || event.epoch >= last.epoch) return null;
    const across = event.kind === 'restarted' ? ' across a restart (the durable epoch was lost)' : '';
    return {
      rule: this.rule,
      message: `node ${event.node} went back from epoch ${last.epoch} to epoch ${event.epoch}${across}`,
      events: [last, event],
    };
  }
}
