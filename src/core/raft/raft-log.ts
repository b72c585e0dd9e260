/**
 * The in-memory view of one node's metadata log: a snapshot base followed by entries, plus the
 * epoch start offsets that Kafka keeps as its leader-epoch cache. The host persists what the core
 * tells it to (see host-interface.ts); this class only keeps the core's own copy consistent with
 * those instructions.
 *
 * Offsets are dense. The log covers [startOffset, endOffset); everything below
 * `snapshotEndOffset` is summarised by the latest snapshot, whose last epoch is `snapshotEpoch`.
 * The log may keep entries behind that snapshot (startOffset < snapshotEndOffset), as KRaft's
 * metadata log keeps its segments until retention removes them: a follower a few entries behind
 * then fetches those entries instead of the whole snapshot. It never starts after the snapshot.
 */
import type { LogEntry, SnapshotData } from '../host-interface.js';
import { assert } from '../assert.js';

interface EpochStart {
  epoch: number;
  startOffset: number;
}

export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

export class RaftLog<R = unknown> {
  private entries: LogEntry<R>[] = [];
  private epochStarts: EpochStart[] = [];
  private start = 0;
  /** Epoch of the entry just before `start` (0 at offset 0). */
  private startEpoch = 0;
  private snapshotEnd = 0;
  private snapshotEndEpoch = 0;
  /** The durable end offset: appends count only once the host has persisted them. */
  flushedEndOffset = 0;

  get startOffset(): number {
    return this.start;
  }

  get endOffset(): number {
    return this.start + this.entries.length;
  }

  /** Where the latest snapshot ends: the log may be deleted up to here, no further. */
  get snapshotEndOffset(): number {
    return this.snapshotEnd;
  }

  get snapshotEpoch(): number {
    return this.snapshotEndEpoch;
  }

  /** Epoch of the last entry (or of the snapshot when there is no entry; 0 for an empty log). */
  get lastEpoch(): number {
    const last = this.entries[this.entries.length - 1];
    return last === undefined ? this.snapshotEndEpoch : last.epoch;
  }

  entryAt(offset: number): LogEntry<R> | undefined {
    return this.entries[offset - this.start];
  }

  /** Epoch of the entry just before `endOffset` (0 for offset 0), or undefined below the log start. */
  epochBefore(endOffset: number): number | undefined {
    if (endOffset === 0) return 0;
    if (endOffset === this.start) return this.startEpoch;
    if (endOffset === this.snapshotEnd) return this.snapshotEndEpoch;
    return this.entryAt(endOffset - 1)?.epoch;
  }

  /**
   * Entries in [fromOffset, fromOffset + maxEntries), clipped to the log, and only as many as fit
   * in `maxSize` together by `sizeOf` (the first entry always goes, whatever its size).
   */
  slice(fromOffset: number, maxEntries: number, sizeOf?: (entry: LogEntry<R>) => number, maxSize = Infinity): LogEntry<R>[] {
    const from = fromOffset - this.start;
    if (from < 0) assert(false, `slice from ${fromOffset} below log start ${this.start}`);
    let to = Math.min(this.entries.length, from + maxEntries);
    if (sizeOf !== undefined) {
      let size = 0;
      for (let i = from; i < to; i++) {
        size += sizeOf(this.entries[i]!);
        if (size > maxSize && i > from) to = i;
      }
    }
    return this.entries.slice(from, to);
  }

  /**
   * Kafka's OffsetForLeaderEpoch: the largest epoch <= `epoch` that this log knows, and the end
   * offset of that epoch (the start of the next one, or the log end). Undefined when every known
   * epoch is newer (the answer lies below the log start, inside the snapshot).
   */
  endOffsetForEpoch(epoch: number): EpochEndOffset | undefined {
    for (let i = this.epochStarts.length - 1; i >= 0; i--) {
      const start = this.epochStarts[i]!;
      if (start.epoch <= epoch) {
        const next = this.epochStarts[i + 1];
        return { epoch: start.epoch, endOffset: next === undefined ? this.endOffset : next.startOffset };
      }
    }
    if (epoch >= this.startEpoch) {
      return { epoch: this.startEpoch, endOffset: this.start };
    }
    return undefined;
  }

  append(entry: LogEntry<R>): void {
    // Guarded so the messages are built only on failure: this runs for every record appended.
    if (entry.offset !== this.endOffset) assert(false, `append at ${entry.offset} but log ends at ${this.endOffset}`);
    if (entry.epoch < this.lastEpoch) assert(false, `append of epoch ${entry.epoch} after epoch ${this.lastEpoch}`);
    if (entry.epoch !== this.lastEpoch || this.epochStarts.length === 0) {
      this.epochStarts.push({ epoch: entry.epoch, startOffset: entry.offset });
    }
    this.entries.push(entry);
  }

  /** Drops every entry at offset >= `offset` (never what the snapshot covers). */
  truncateTo(offset: number): void {
    assert(offset >= this.snapshotEnd, `truncate to ${offset} below the snapshot end ${this.snapshotEnd}`);
    if (offset >= this.endOffset) return;
    this.entries.length = offset - this.start;
    while (this.epochStarts.length > 0 && this.epochStarts[this.epochStarts.length - 1]!.startOffset >= offset) {
      this.epochStarts.pop();
    }
    this.flushedEndOffset = Math.min(this.flushedEndOffset, offset);
  }

  /**
   * Makes the log start at the snapshot's end. Entries after it that agree with the snapshot's
   * last epoch are kept (a local snapshot); otherwise the whole log is replaced (a fetched one).
   */
  resetToSnapshot(snapshot: Pick<SnapshotData, 'endOffset' | 'lastEpoch'>): void {
    const keep = snapshot.endOffset >= this.start && snapshot.endOffset <= this.endOffset &&
      this.epochBefore(snapshot.endOffset) === snapshot.lastEpoch;
    if (keep) {
      this.snapshotTaken(snapshot);
      this.deleteBefore(snapshot.endOffset);
      return;
    }
    this.entries = [];
    this.epochStarts = [];
    this.start = snapshot.endOffset;
    this.startEpoch = snapshot.lastEpoch;
    this.snapshotEnd = snapshot.endOffset;
    this.snapshotEndEpoch = snapshot.lastEpoch;
    this.flushedEndOffset = snapshot.endOffset;
  }

  /**
   * A local snapshot of entries this log holds: it summarises everything before its end, and the
   * entries stay until `deleteBefore` drops them (retention keeps some behind it).
   */
  snapshotTaken(snapshot: Pick<SnapshotData, 'endOffset' | 'lastEpoch'>): void {
    if (snapshot.endOffset < this.snapshotEnd || snapshot.endOffset < this.start || snapshot.endOffset > this.endOffset) {
      assert(false, `snapshot at ${snapshot.endOffset} outside the log [${this.start}, ${this.endOffset}) or before the snapshot at ${this.snapshotEnd}`);
    }
    assert(this.epochBefore(snapshot.endOffset) === snapshot.lastEpoch, 'snapshot epoch disagrees with the log');
    this.snapshotEnd = snapshot.endOffset;
    this.snapshotEndEpoch = snapshot.lastEpoch;
    // A follower may apply (and snapshot) entries it has not made durable yet: the snapshot is.
    this.flushedEndOffset = Math.max(this.flushedEndOffset, this.snapshotEnd);
  }

  /** Drops the entries before `offset`, which the snapshot covers (`offset` <= its end). */
  deleteBefore(offset: number): void {
    if (offset > this.snapshotEnd) assert(false, `deleting the log before ${offset}, past the snapshot end ${this.snapshotEnd}`);
    if (offset <= this.start) return;
    this.startEpoch = this.epochBefore(offset)!;
    this.entries = this.entries.slice(offset - this.start);
    this.start = offset;
    let dropped = 0;
    while (dropped + 1 < this.epochStarts.length && this.epochStarts[dropped + 1]!.startOffset <= offset) dropped++;
    this.epochStarts = this.epochStarts.slice(dropped);
    const first = this.epochStarts[0];
    if (first !== undefined) {
      if (this.entries.length === 0) this.epochStarts = [];
      else first.startOffset = Math.max(first.startOffset, offset);
    }
  }

  /**
   * Loads what the host recovered; everything recovered is durable. The entries may begin before
   * the snapshot's end (log kept behind it, which a leader serves to followers a little behind):
   * then the first of them only says the epoch before the log start (the epoch of the entry
   * before it is not known), and the log starts after it.
   */
  static recover<R>(snapshot: SnapshotData | null, entries: LogEntry<R>[]): RaftLog<R> {
    const log = new RaftLog<R>();
    const first = entries[0];
    if (snapshot !== null && first !== undefined && first.offset < snapshot.endOffset) {
      log.start = first.offset + 1;
      log.startEpoch = first.epoch;
      for (let i = 1; i < entries.length; i++) log.append(entries[i]!);
      log.snapshotTaken(snapshot);
    } else {
      if (snapshot !== null) log.resetToSnapshot(snapshot);
      for (const entry of entries) log.append(entry);
    }
    log.flushedEndOffset = log.endOffset;
    return log;
  }
}
