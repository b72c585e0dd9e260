/**
 * The in-memory view of one node's metadata log: a snapshot base followed by entries, plus the
 * epoch start offsets that Kafka keeps as its leader-epoch cache. The host persists what the core
 * tells it to (see host-interface.ts); this class only keeps the core's own copy consistent with
 * those instructions.
 *
 * Offsets are dense. The log covers [startOffset, endOffset); everything below startOffset is
 * summarised by the snapshot ending there, whose last epoch is `snapshotEpoch`.
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
  private snapshotEndEpoch = 0;
  /** The durable end offset: appends count only once the host has persisted them. */
  flushedEndOffset = 0;

  get startOffset(): number {
    return this.start;
  }

  get endOffset(): number {
    return this.start + this.entries.length;
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
    if (endOffset === this.start) return this.snapshotEndEpoch;
    return this.entryAt(endOffset - 1)?.epoch;
  }

  /**
   * Entries in [fromOffset, fromOffset + maxEntries), clipped to the log, and cut after the entry
   * that brings their total `sizeOf` to `maxSize` or beyond (the first entry always goes).
   */
  slice(fromOffset: number, maxEntries: number, sizeOf?: (record: R) => number, maxSize = Infinity): LogEntry<R>[] {
    const from = fromOffset - this.start;
    if (from < 0) assert(false, `slice from ${fromOffset} below log start ${this.start}`);
    let to = Math.min(this.entries.length, from + maxEntries);
    if (sizeOf !== undefined) {
      let size = 0;
      for (let i = from; i < to; i++) {
        size += sizeOf(this.entries[i]!.record);
        if (size >= maxSize) to = i + 1;
      }
    }
    return this.entries.slice(from, to);
  }

  /**
   * Kafka's OffsetForLeaderEpoch: the largest epoch <= `epoch` that this log knows, and the end
   * offset of that epoch (the start of the next one, or the log end). Undefined when every known
   * epoch is newer (the answer lies inside the snapshot).
   */
  endOffsetForEpoch(epoch: number): EpochEndOffset | undefined {
    for (let i = this.epochStarts.length - 1; i >= 0; i--) {
      const start = this.epochStarts[i]!;
      if (start.epoch <= epoch) {
        const next = this.epochStarts[i + 1];
        return { epoch: start.epoch, endOffset: next === undefined ? this.endOffset : next.startOffset };
      }
    }
    if (epoch >= this.snapshotEndEpoch) {
      return { epoch: this.snapshotEndEpoch, endOffset: this.start };
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

  /** Drops every entry at offset >= `offset`. */
  truncateTo(offset: number): void {
    assert(offset >= this.start, `truncate to ${offset} below log start ${this.start}`);
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
      this.entries = this.entries.slice(snapshot.endOffset - this.start);
    } else {
      this.entries = [];
      this.flushedEndOffset = snapshot.endOffset;
    }
    this.epochStarts = [];
    for (const entry of this.entries) {
      const last = this.epochStarts[this.epochStarts.length - 1];
      if (last === undefined || last.epoch !== entry.epoch) {
        this.epochStarts.push({ epoch: entry.epoch, startOffset: entry.offset });
      }
    }
    this.start = snapshot.endOffset;
    this.snapshotEndEpoch = snapshot.lastEpoch;
    this.flushedEndOffset = Math.max(this.flushedEndOffset, this.start);
  }

  /** Loads what the host recovered; everything recovered is durable. */
  static recover<R>(snapshot: SnapshotData | null, entries: LogEntry<R>[]): RaftLog<R> {
    const log = new RaftLog<R>();
    if (snapshot !== null) log.resetToSnapshot(snapshot);
    for (const entry of entries) log.append(entry);
    log.flushedEndOffset = log.endOffset;
    return log;
  }
}
