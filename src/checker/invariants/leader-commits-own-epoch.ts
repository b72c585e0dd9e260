/**
 * LeaderCommitsOwnEpoch (Raft §5.4.2, the "figure 8" rule): a leader never commits a record of an
 * earlier epoch by counting replicas alone. It moves its high watermark only once a record of its
 * own epoch (its epoch-start record first) is on a majority, and that commits the older records
 * before it too. So whenever a leader's high watermark moves, the record just below it is of the
 * leader's own epoch. A leader that commits an older epoch's record on its own may commit what a
 * later leader, elected without it, overwrites: committed data lost.
 *
 * Judged on each node's own events alone (its `high-watermark` event, then the `committed` events
 * of the records it newly covers), so it holds on any clock, containers included.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

export class LeaderCommitsOwnEpochRule implements EventRule {
  readonly rule = 'LeaderCommitsOwnEpoch' as const;
  readonly kinds: readonly NodeEventKind[] = ['became-leader', 'epoch-changed', 'restarted', 'high-watermark', 'committed'];
  /** Node → the event by which it became the leader it still is. */
  private readonly leading = new Map<number, NodeEvent>();
  /** Node → the last record its newest high watermark move covers, while the node leads. */
  private readonly expected = new Map<number, { offset: number; epoch: number; event: NodeEvent }>();

  observe(event: NodeEvent): Violation | null {
    switch (event.kind) {
      case 'became-leader':
        this.leading.set(event.node, event);
        return null;
      case 'epoch-changed':
        if (event.state === 'leader') this.leading.set(event.node, event);
        else this.stopLeading(event.node);
        return null;
      case 'restarted':
        this.stopLeading(event.node);
        return null;
      case 'high-watermark': {
        const since = this.leading.get(event.node);
        if (since !== undefined && event.highWatermark !== undefined && event.highWatermark > 0) {
          this.expected.set(event.node, { offset: event.highWatermark - 1, epoch: since.epoch, event });
        }
        return null;
      }
      case 'committed': {
        const expected = this.expected.get(event.node);
        if (expected === undefined || event.offset !== expected.offset) return null;
        this.expected.delete(event.node);
        if (event.recordEpoch === undefined || event.recordEpoch === expected.epoch) return null;
        return {
          rule: this.rule,
          message: `node ${event.node}, leading epoch ${expected.epoch}, moved its high watermark to ${expected.offset + 1} ` +
            `over a record of epoch ${event.recordEpoch} before any record of its own epoch was committed`,
          events: [this.leading.get(event.node) ?? expected.event, expected.event, event],
        };
      }
      default:
        return null;
    }
  }

  private stopLeading(node: number): void {
    this.leading.delete(node);
    this.expected.delete(node);
  }
}
