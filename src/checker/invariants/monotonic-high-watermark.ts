/**
 * MonotonicHighWatermark: a node's high watermark never goes back, except at a restart, where the
 * node forgets it (it is volatile) and learns it again from the leader.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

export class MonotonicHighWatermarkRule implements EventRule {
  readonly rule = 'MonotonicHighWatermark' as const;
  readonly kinds: readonly NodeEventKind[] = ['restarted', 'high-watermark'];
  private readonly lastByNode = new Map<number, NodeEvent>();

  forgetReplica(node: number): void {
    this.lastByNode.delete(node);
  }

  observe(event: NodeEvent): Violation | null {
    if (event.kind === 'restarted') {
      this.lastByNode.delete(event.node);
      return null;
    }
    if (event.kind !== 'high-watermark' || event.highWatermark === undefined) return null;
    const last = this.lastByNode.get(event.node);
    if (last === undefined || (last.highWatermark ?? 0) <= event.highWatermark) {
      this.lastByNode.set(event.node, event);
      return null;
    }
    return {
      rule: this.rule,
      message: `node ${event.node}'s high watermark went back from ${last.highWatermark} to ` +
        `${event.highWatermark} without a restart`,
      events: [last, event],
    };
  }
}
