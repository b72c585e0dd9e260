/**
 * Everything a node keeps on disk, in `<metadata.log.dir>/__cluster_metadata-0/` as KRaft lays it
 * out: the segmented log, the snapshots and the quorum state. `persist` carries out one
 * `ready.persist` in the order the host interface prescribes (quorum state, truncation, snapshot,
 * appends, prefix deletion) and fsyncs when told; `open` recovers the `DurableState` a restarted
 * node is built from.
 *
 * Snapshots. A local snapshot (the log continues it) is written in the background
 * (snapshot-writer.ts): the log still holds everything it covers, so nothing waits for it, and the
 * log prefix it covers is deleted only once it is durable. While one is being written, a newer
 * local one waits its turn (only the newest waiting one is kept). A fetched snapshot replaces the
 * log, so it is made durable at once (its partial file fsynced and renamed into place) before the
 * old log goes; it supersedes any local one in progress.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DurableState, LogEntry, PersistActions, SnapshotData, SnapshotId } from '../../core/host-interface.js';
import type { MetadataBatch } from '../../core/metadata-log.js';
import { metadataSnapshotOf, type MetadataSnapshot } from '../../core/metadata/index.js';
import { appendsHoldSnapshotEnd } from '../../core/snapshot-continuity.js';
import { readQuorumState, writeQuorumState } from './quorum-state-file.js';
import { SegmentedLog } from './segmented-log.js';
import { PartialSnapshotFile } from './partial-snapshot.js';
import { publishSnapshot, readLatestSnapshot, removeStaleTemporaries, snapshotFileName, writeSnapshot } from './snapshot-files.js';
import { BackgroundSnapshotWrite, SLICE_WALL_TARGET_MS, SnapshotWriteCancelled, type SnapshotWriteOptions, type SnapshotWriteReport } from './snapshot-writer.js';

export const METADATA_PARTITION_DIR = '__cluster_metadata-0';

export interface MetadataStoreOptions {
  metadataLogDir: string;
  clusterId: string;
  segmentBytes: number;
  /** Human log lines (recovery repairs, truncations). */
  log: (line: string) => void;
  /** Each background snapshot once durable (default: a log line). */
  onSnapshotWritten?: (report: SnapshotWriteReport) => void;
  /** A background snapshot write failed (the disk is full or gone): the node must stop. */
  onBackgroundError?: (error: Error) => void;
  snapshotWrite?: SnapshotWriteOptions;
  /**
   * How much of the log behind the snapshot to recover (the core's metadata.log.retention.entries
   * and .records), so a restarted leader serves followers a little behind from its log instead of
   * sending its whole snapshot. Default none: recovery starts at the snapshot's end.
   */
  retention?: { entries: number; records: number };
}

export interface OpenedStore {
  store: MetadataStore;
  /** Null when nothing was ever persisted here (a freshly formatted node). */
  recovered: DurableState<MetadataBatch, MetadataSnapshot> | null;
}

export class MetadataStore {
  /** fsyncs done, for tests and benchmarks. */
  syncCount = 0;
  /** The local snapshot being written in the background, and the newest one waiting for it. */
  private writing: BackgroundSnapshotWrite | null = null;
  private waiting: SnapshotData<MetadataSnapshot> | null = null;
  /** Cancelled writes still winding down (closing and removing their temporary file). */
  private readonly cancelled = new Set<Promise<unknown>>();
  /** The end offset of the newest durable snapshot: the log may be deleted below it, no further. */
  private durableSnapshotEnd: number;
  /** The newest durable snapshot file (what a leader serves FetchSnapshot from). */
  private durableSnapshot: SnapshotId | null;
  /** The deletion the core asked for last; carried out up to `durableSnapshotEnd`. */
  private deletionRequested = 0;
  private closed = false;
  /**
   * The snapshot being fetched from the leader, piece by piece: the core's SnapshotReceiver
   * (`snapshotReceiver`) writes and decodes it, and installing it renames the file into place.
   */
  private readonly partialSnapshot: PartialSnapshotFile;

  private constructor(
    private readonly dir: string,
    private readonly clusterId: string,
    private readonly segmentedLog: SegmentedLog,
    private readonly options: MetadataStoreOptions,
    snapshot: SnapshotId | null,
  ) {
    this.durableSnapshot = snapshot;
    this.durableSnapshotEnd = snapshot?.endOffset ?? 0;
    this.partialSnapshot = new PartialSnapshotFile(dir);
  }

  private get log(): (line: string) => void {
    return this.options.log;
  }

  static open(options: MetadataStoreOptions): OpenedStore {
    const dir = join(options.metadataLogDir, METADATA_PARTITION_DIR);
    mkdirSync(dir, { recursive: true });
    removeStaleTemporaries(dir);
    const quorumState = readQuorumState(dir, options.clusterId);
    const snapshot = readLatestSnapshot(dir, options.log);
    // Entries the snapshot covers are checked but not decoded.
    const opened = SegmentedLog.open(dir, options.segmentBytes, options.log, snapshot?.endOffset ?? 0);
    const store = new MetadataStore(dir, options.clusterId, opened.log, options, snapshot === null ? null : { endOffset: snapshot.endOffset, epoch: snapshot.lastEpoch });
    const after = store.logAfterSnapshot(opened.entries, snapshot?.endOffset ?? 0, snapshot?.lastEpoch);
    const log = [...store.logBehindSnapshot(snapshot?.endOffset ?? 0, options.retention ?? { entries: 0, records: 0 }), ...after];
    const empty = quorumState === null && snapshot === null && log.length === 0;
    return { store, recovered: empty ? null : { quorumState, snapshot, log } };
  }

  /** Carries out one `ready.persist`, in order; fsync before returning when `mustSync`. */
  persist(actions: PersistActions<MetadataBatch>, mustSync: boolean): void {
    if (actions.quorumState !== undefined) writeQuorumState(this.dir, this.clusterId, actions.quorumState);
    if (actions.truncateToOffset !== undefined) this.segmentedLog.truncateTo(actions.truncateToOffset);
    // A local snapshot of entries this same ready appends continues the log once they are written.
    const appendsFirst = actions.snapshot !== undefined && appendsHoldSnapshotEnd(actions.append ?? [], actions.snapshot);
    if (appendsFirst) this.appendEntries(actions.append!);
    if (actions.snapshot !== undefined) {
      const snapshot = { ...actions.snapshot, state: metadataSnapshotOf(actions.snapshot.state) };
      const continues = snapshot.endOffset === 0 || this.segmentedLog.epochAt(snapshot.endOffset - 1) === snapshot.lastEpoch;
      if (continues) {
        this.writeInBackground(snapshot);
      } else {
        this.cancelBackgroundWrites();
        // A fetched snapshot: its pieces are already on disk, the very bytes the core verified.
        const whole = this.partialSnapshot.takeWhole(snapshot.endOffset, snapshot.lastEpoch);
        if (whole !== null) publishSnapshot(this.dir, whole, snapshotFileName(snapshot.endOffset, snapshot.lastEpoch));
        else writeSnapshot(this.dir, snapshot);
        this.durableSnapshotEnd = snapshot.endOffset;
        this.durableSnapshot = { endOffset: snapshot.endOffset, epoch: snapshot.lastEpoch };
        this.segmentedLog.resetTo(snapshot.endOffset);
      }
    }
    if (!appendsFirst && actions.append !== undefined) this.appendEntries(actions.append);
    if (actions.deleteBeforeOffset !== undefined) {
      this.deletionRequested = Math.max(this.deletionRequested, actions.deleteBeforeOffset);
      this.deleteCoveredPrefix();
    }
    if (mustSync) this.sync();
  }

  private appendEntries(entries: readonly LogEntry<MetadataBatch>[]): void {
    if (entries.length === 0) return;
    if (this.segmentedLog.endOffset === null) this.segmentedLog.resetTo(entries[0]!.offset);
    this.segmentedLog.append(entries);
  }

  /** The newest snapshot whose file is durable, or null (the leader points followers at it). */
  get newestDurableSnapshot(): SnapshotId | null {
    return this.durableSnapshot;
  }

  /** Where a snapshot being fetched is kept, for the core (SnapshotCodec.receiver). */
  get snapshotReceiver(): PartialSnapshotFile {
    return this.partialSnapshot;
  }

  /** Where the snapshot files are (the leader serves FetchSnapshot pieces from them). */
  get snapshotDir(): string {
    return this.dir;
  }

  /** True while a local snapshot is being written or waits to be (for tests and shutdown). */
  get snapshotWritePending(): boolean {
    return this.writing !== null;
  }

  /** Resolves once no background snapshot write is running, waiting or winding down. */
  async snapshotsSettled(): Promise<void> {
    while (this.writing !== null || this.cancelled.size > 0) {
      await Promise.allSettled([this.writing?.done, ...this.cancelled]);
    }
  }

  private writeInBackground(snapshot: SnapshotData<MetadataSnapshot>): void {
    if (this.writing !== null) {
      this.waiting = snapshot;
      return;
    }
    const write = new BackgroundSnapshotWrite(this.dir, snapshot, this.options.snapshotWrite);
    this.writing = write;
    write.done.then((report) => {
      if (this.writing !== write) return;
      this.writing = null;
      if (report.endOffset > this.durableSnapshotEnd) {
        this.durableSnapshotEnd = report.endOffset;
        this.durableSnapshot = { endOffset: snapshot.endOffset, epoch: snapshot.lastEpoch };
      }
      if (this.closed) return;
      (this.options.onSnapshotWritten ?? ((r) => this.log(describeSnapshotWrite(r))))(report);
      this.deleteCoveredPrefix();
      this.startWaiting();
    }, (error: unknown) => {
      if (this.writing !== write) return;
      this.writing = null;
      if (error instanceof SnapshotWriteCancelled || this.closed) return;
      const failure = error instanceof Error ? error : new Error(String(error));
      if (this.options.onBackgroundError === undefined) throw failure;
      this.options.onBackgroundError(failure);
    });
  }

  private startWaiting(): void {
    const next = this.waiting;
    this.waiting = null;
    if (next !== null && next.endOffset > this.durableSnapshotEnd) this.writeInBackground(next);
  }

  private cancelBackgroundWrites(): void {
    const writing = this.writing;
    if (writing !== null) {
      writing.cancel();
      const done = writing.done.catch(() => undefined).finally(() => this.cancelled.delete(done));
      this.cancelled.add(done);
    }
    this.writing = null;
    this.waiting = null;
  }

  /** Deletes what the core asked to, but never past the newest durable snapshot. */
  private deleteCoveredPrefix(): void {
    const offset = Math.min(this.deletionRequested, this.durableSnapshotEnd);
    if (offset > 0) this.segmentedLog.deleteBefore(offset);
  }

  /** Makes every write so far durable (the host's one fsync for a burst of readies). */
  sync(): void {
    this.segmentedLog.sync();
    this.syncCount++;
  }

  close(): void {
    // A snapshot still being written is abandoned: the log holds what it covers, and the next
    // start removes its temporary file.
    this.closed = true;
    this.cancelBackgroundWrites();
    this.partialSnapshot.discard();
    this.segmentedLog.sync();
    this.segmentedLog.close();
  }

  /**
   * The entries the log keeps just behind the snapshot's end (the log continues the snapshot:
   * `logAfterSnapshot` ran first), newest first back to where retention stops, read and decoded
   * one at a time so the rest is never decoded: at 2M partitions an entry holds up to 10,000
   * records, and retention keeps 50,000. One more entry than retention keeps comes along: the core
   * takes the first entry only for its epoch (RaftLog.recover).
   */
  private logBehindSnapshot(snapshotEnd: number, retention: { entries: number; records: number }): LogEntry<MetadataBatch>[] {
    const start = this.segmentedLog.startOffset;
    if (start === null || snapshotEnd === 0 || retention.entries === 0 || retention.records === 0) return [];
    const kept: LogEntry<MetadataBatch>[] = [];
    let records = 0;
    for (let offset = snapshotEnd - 1; offset >= start && kept.length <= retention.entries && records <= retention.records; offset--) {
      const entry = this.segmentedLog.readEntry(offset)!;
      kept.push(entry);
      records += entry.record.length;
    }
    return kept.reverse();
  }

  /**
   * The entries after the snapshot, contiguous from its end. A log that does not continue the
   * snapshot (a crash between writing a fetched snapshot and emptying the log) is dropped.
   */
  private logAfterSnapshot(entries: LogEntry<MetadataBatch>[], snapshotEnd: number, snapshotEpoch: number | undefined): LogEntry<MetadataBatch>[] {
    const start = this.segmentedLog.startOffset;
    const end = this.segmentedLog.endOffset;
    if (start === null || end === null || end === start) return [];
    const continues = snapshotEnd === 0
      ? start === 0
      : (start <= snapshotEnd && end >= snapshotEnd && this.segmentedLog.epochAt(snapshotEnd - 1) === snapshotEpoch) || start === snapshotEnd;
    if (!continues) {
      if (snapshotEnd === 0) {
        throw new Error(`${this.dir}: the metadata log starts at offset ${start} but no valid snapshot covers the offsets before it`);
      }
      this.log(`The metadata log [${start}, ${end}) does not continue the snapshot ending at ${snapshotEnd}: discarding it`);
      this.segmentedLog.resetTo(snapshotEnd);
      return [];
    }
    return entries.filter((entry) => entry.offset >= snapshotEnd);
  }
}

/** A log line for a background snapshot write. */
export function describeSnapshotWrite(report: SnapshotWriteReport): string {
  return `Wrote snapshot ${report.name} (${report.bytes} bytes) in ${report.durationMs.toFixed(0)} ms in the background; ` +
    `longest slice ${report.longestSliceMs.toFixed(1)} ms (${report.longestSliceCpuMs.toFixed(1)} ms of CPU; ` +
    `most CPU in a slice ${report.mostSliceCpuMs.toFixed(1)} ms), ` +
    `event loop delay max ${report.eventLoopDelayMaxMs.toFixed(1)} ms; ${report.slices} slices, ${report.slicesOverTarget} over ${SLICE_WALL_TARGET_MS} ms; ` +
    `memory ${describeMemory(report.memory)}`;
}

/** Resident, V8 heap used of its total, external (array buffers among it), in MiB. */
function describeMemory(memory: NodeJS.MemoryUsage): string {
  const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  return `rss ${mib(memory.rss)} MiB, heap ${mib(memory.heapUsed)} of ${mib(memory.heapTotal)} MiB, ` +
    `external ${mib(memory.external)} MiB (array buffers ${mib(memory.arrayBuffers)} MiB)`;
}
