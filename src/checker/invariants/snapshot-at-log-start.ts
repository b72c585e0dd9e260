/**
 * SnapshotAtLogStart: when a node reports a snapshot, its log starts no later than the snapshot's
 * end offset: the log continues the snapshot with no gap (records that nobody holds). It may start
 * earlier: retention keeps some log behind a local snapshot (core/raft/log-retention.ts), as
 * KRaft's metadata log does; a fetched snapshot replaces the log, which then starts at its end.
 */
import type { NodeEvent, NodeEventKind } from '../../history/node-event.js';
import type { EventRule, Violation } from './violation.js';

export class SnapshotAtLogStartRule implements EventRule {
  readonly rule = 'SnapshotAtLogStart' as const;
  readonly kinds: readonly NodeEventKind[] = ['snapshot'];
  /** Snapshots judged (a run that takes none leaves the rule nothing to judge). */
  judged = 0;

  observe(event: NodeEvent): Violation | null {
    if (event.kind !== 'snapshot' || event.offset === undefined || event.logStartOffset === undefined) return null;
    this.judged += 1;
    if (event.logStartOffset <= event.offset) return null;
    return {
      rule: this.rule,
      message: `node ${event.node} holds a snapshot ending at offset ${event.offset} but its log starts at ` +
        `offset ${event.logStartOffset}`,
      events: [event],
    };
  }
}
