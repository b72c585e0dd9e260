/**
 * LeaderNeverLoadSnapshot (Kafka's RaftEventSimulationTest): a node never replaces its state
 * machine with a snapshot while it leads. A leader's state is the newest there is; loading a
 * snapshot would throw away what it appended and may have acknowledged. Loading one at start-up
 * (before the node can lead) or as a follower catching up is how snapshots are meant to be used.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

export class LeaderNeverLoadSnapshotRule implements EventRule {
  readonly rule = 'LeaderNeverLoadSnapshot' as const;
  readonly kinds: readonly NodeEventKind[] = ['became-leader', 'epoch-changed', 'restarted', 'snapshot-loaded'];
  /** Node → the event by which it became the leader it still is. */
  private readonly leading = new Map<number, NodeEvent>();
  /** Snapshot loads judged (only a load can break the rule: a run where no node loads one leaves it nothing to judge). */
  judged = 0;

  observe(event: NodeEvent): Violation | null {
    switch (event.kind) {
      case 'became-leader':
        this.leading.set(event.node, event);
        return null;
      case 'epoch-changed':
        if (event.state === 'leader') this.leading.set(event.node, event);
        else this.leading.delete(event.node);
        return null;
      case 'restarted':
        this.leading.delete(event.node);
        return null;
      case 'snapshot-loaded': {
        this.judged += 1;
        const since = this.leading.get(event.node);
        if (since === undefined) return null;
        return {
          rule: this.rule,
          message: `node ${event.node} loaded the snapshot ending at offset ${event.offset} while leading epoch ${since.epoch}`,
          events: [since, event],
        };
      }
      default:
        return null;
    }
  }
}
