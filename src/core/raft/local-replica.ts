/**
 * This node's copy of the replicated log, whatever its role: the log itself, the latest snapshot,
 * the high watermark and what has been applied to the state machine. Leaders append to it,
 * followers append what they fetched, truncate a divergent tail or install a fetched snapshot, and
 * every role advances the high watermark through `advanceHighWatermark`, which hands each newly
 * committed entry to the state machine once, in offset order.
 *
 * The high watermark is volatile (KRaft does not persist it): after a restart it is only known to
 * cover the snapshot, and it only moves forward.
 */
import type { LogEntry, SnapshotData } from '../host-interface.js';
import { assert } from '../assert.js';
import type { Outbox } from './outbox.js';
import type { RaftLog } from './raft-log.js';
import type { RaftStateMachine } from './raft-node.js';

export class LocalReplica<R> {
  private highWatermarkValue: number;
  private appliedOffsetValue: number;
  private latestSnapshot: SnapshotData | null;

  constructor(
    readonly log: RaftLog<R>,
    snapshot: SnapshotData | null,
    private readonly outbox: Outbox<R>,
    private readonly stateMachine: RaftStateMachine<R>,
  ) {
    this.latestSnapshot = snapshot;
    this.highWatermarkValue = snapshot?.endOffset ?? 0;
    this.appliedOffsetValue = this.highWatermarkValue;
    if (snapshot !== null) this.stateMachine.restoreSnapshot(snapshot);
  }

  get highWatermark(): number { return this.highWatermarkValue; }
  get appliedOffset(): number { return this.appliedOffsetValue; }
  get snapshot(): SnapshotData | null { return this.latestSnapshot; }

  /**
   * Moves the high watermark to `offset` (never back) and applies every entry it newly covers.
   * Returns whether it moved.
   */
  advanceHighWatermark(offset: number, epoch: number): boolean {
    if (offset <= this.highWatermarkValue) return false;
    this.highWatermarkValue = offset;
    this.outbox.event({ kind: 'high-watermark', epoch, highWatermark: offset });
    while (this.appliedOffsetValue < offset) {
      const entry = this.log.entryAt(this.appliedOffsetValue);
      if (entry === undefined) assert(false, `committed offset ${this.appliedOffsetValue} missing from the log`);
      this.outbox.event({ kind: 'committed', epoch, offset: entry.offset, recordEpoch: entry.epoch, digest: this.stateMachine.digest(entry.record) });
      // Counted as applied before the state machine sees it: applying may take a snapshot, which
      // must not end beyond what is applied.
      this.appliedOffsetValue++;
      this.stateMachine.applyCommitted(entry);
    }
    return true;
  }

  /** The leader appends its own records, written in its epoch. */
  appendAsLeader(records: readonly R[], epoch: number): void {
    const entries: LogEntry<R>[] = [];
    for (const record of records) {
      const entry: LogEntry<R> = { offset: this.log.endOffset, epoch, record };
      this.log.append(entry);
      entries.push(entry);
    }
    this.outbox.appendEntries(entries);
  }

  /** A follower appends fetched entries that extend its log (overlaps and gaps are skipped). */
  appendFetched(entries: readonly LogEntry<R>[]): void {
    const appended: LogEntry<R>[] = [];
    for (const entry of entries) {
      if (entry.offset < this.log.endOffset) continue;
      if (entry.offset > this.log.endOffset) break;
      this.log.append(entry);
      appended.push(entry);
    }
    if (appended.length > 0) this.outbox.appendEntries(appended);
  }

  /**
   * A follower whose log diverges from the leader's drops its tail down to where both agree: the
   * end of `diverging.epoch` in the leader's log, or the end of the newest epoch both know. Only
   * uncommitted entries can diverge, so this never goes below the high watermark.
   */
  truncateDivergentTail(diverging: { epoch: number; endOffset: number }, epoch: number): void {
    const own = this.log.endOffsetForEpoch(diverging.epoch);
    const truncateTo = Math.min(diverging.endOffset, own?.endOffset ?? this.log.startOffset, this.log.endOffset);
    assert(truncateTo >= this.highWatermarkValue, `truncation to ${truncateTo} below the high watermark ${this.highWatermarkValue}`);
    if (truncateTo >= this.log.endOffset) return;
    this.log.truncateTo(truncateTo);
    this.outbox.truncate(truncateTo);
    this.outbox.event({ kind: 'log-truncated', epoch, offset: truncateTo });
  }

  /** A snapshot fetched from the leader replaces the log when it reaches past the log's start. */
  installFetchedSnapshot(snapshot: SnapshotData, epoch: number): void {
    if (snapshot.endOffset <= this.log.startOffset) return;
    this.latestSnapshot = snapshot;
    this.log.resetToSnapshot(snapshot);
    this.outbox.replaceWithSnapshot(snapshot);
    this.outbox.event({ kind: 'snapshot', epoch, offset: snapshot.endOffset, recordEpoch: snapshot.lastEpoch, logStartOffset: this.log.startOffset });
    if (snapshot.endOffset > this.appliedOffsetValue) {
      this.stateMachine.restoreSnapshot(snapshot);
      this.appliedOffsetValue = snapshot.endOffset;
    }
    this.advanceHighWatermark(snapshot.endOffset, epoch);
  }

  /** A snapshot of the applied state: the log before it may go. */
  takeSnapshot(snapshot: SnapshotData, epoch: number): void {
    assert(snapshot.endOffset <= this.appliedOffsetValue, `snapshot at ${snapshot.endOffset} beyond applied ${this.appliedOffsetValue}`);
    assert(this.log.epochBefore(snapshot.endOffset) === snapshot.lastEpoch, 'snapshot epoch disagrees with the log');
    this.latestSnapshot = snapshot;
    this.log.resetToSnapshot(snapshot);
    this.outbox.addSnapshot(snapshot);
    this.outbox.event({ kind: 'snapshot', epoch, offset: snapshot.endOffset, recordEpoch: snapshot.lastEpoch, logStartOffset: this.log.startOffset });
  }

  /** The host made appends durable up to `appendedUpTo`. Returns whether the flushed end moved. */
  markFlushed(appendedUpTo: number, epoch: number): boolean {
    if (appendedUpTo <= this.log.flushedEndOffset || appendedUpTo > this.log.endOffset) return false;
    this.log.flushedEndOffset = appendedUpTo;
    this.outbox.event({ kind: 'log-flushed', epoch, offset: appendedUpTo, recordEpoch: this.log.epochBefore(appendedUpTo) ?? 0 });
    return true;
  }
}
