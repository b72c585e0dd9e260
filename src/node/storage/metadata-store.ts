/**
 * Everything a node keeps on disk, in `<metadata.log.dir>/__cluster_metadata-0/` as KRaft lays it
 * out: the segmented log, the snapshots and the quorum state. `persist` carries out one
 * `ready.persist` in the order the host interface prescribes (quorum state, truncation, snapshot,
 * appends, prefix deletion) and fsyncs when told; `open` recovers the `DurableState` a restarted
 * node is built from.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DurableState, LogEntry, PersistActions } from '../../core/host-interface.js';
import type { MetadataBatch } from '../../core/metadata-log.js';
import { readQuorumState, writeQuorumState } from './quorum-state-file.js';
import { SegmentedLog } from './segmented-log.js';
import { readLatestSnapshot, removeStaleTemporaries, writeSnapshot } from './snapshot-files.js';

export const METADATA_PARTITION_DIR = '__cluster_metadata-0';

export interface MetadataStoreOptions {
  metadataLogDir: string;
  clusterId: string;
  segmentBytes: number;
  /** Human log lines (recovery repairs, truncations). */
  log: (line: string) => void;
}

export interface OpenedStore {
  store: MetadataStore;
  /** Null when nothing was ever persisted here (a freshly formatted node). */
  recovered: DurableState<MetadataBatch> | null;
}

export class MetadataStore {
  /** fsyncs done, for tests and benchmarks. */
  syncCount = 0;

  private constructor(
    private readonly dir: string,
    private readonly clusterId: string,
    private readonly segmentedLog: SegmentedLog,
    private readonly log: (line: string) => void,
  ) {}

  static open(options: MetadataStoreOptions): OpenedStore {
    const dir = join(options.metadataLogDir, METADATA_PARTITION_DIR);
    mkdirSync(dir, { recursive: true });
    removeStaleTemporaries(dir);
    const quorumState = readQuorumState(dir, options.clusterId);
    const snapshot = readLatestSnapshot(dir, options.log);
    const opened = SegmentedLog.open(dir, options.segmentBytes, options.log);
    const store = new MetadataStore(dir, options.clusterId, opened.log, options.log);
    const log = store.logAfterSnapshot(opened.entries, snapshot?.endOffset ?? 0, snapshot?.lastEpoch);
    const empty = quorumState === null && snapshot === null && log.length === 0;
    return { store, recovered: empty ? null : { quorumState, snapshot, log } };
  }

  /** Carries out one `ready.persist`, in order; fsync before returning when `mustSync`. */
  persist(actions: PersistActions<MetadataBatch>, mustSync: boolean): void {
    if (actions.quorumState !== undefined) writeQuorumState(this.dir, this.clusterId, actions.quorumState);
    if (actions.truncateToOffset !== undefined) this.segmentedLog.truncateTo(actions.truncateToOffset);
    if (actions.snapshot !== undefined) {
      const snapshot = actions.snapshot;
      writeSnapshot(this.dir, snapshot);
      const continues = snapshot.endOffset === 0 || this.segmentedLog.epochAt(snapshot.endOffset - 1) === snapshot.lastEpoch;
      if (!continues) this.segmentedLog.resetTo(snapshot.endOffset);
    }
    if (actions.append !== undefined && actions.append.length > 0) {
      if (this.segmentedLog.endOffset === null) this.segmentedLog.resetTo(actions.append[0]!.offset);
      this.segmentedLog.append(actions.append);
    }
    if (actions.deleteBeforeOffset !== undefined) this.segmentedLog.deleteBefore(actions.deleteBeforeOffset);
    if (mustSync) this.sync();
  }

  /** Makes every write so far durable (the host's one fsync for a burst of readies). */
  sync(): void {
    this.segmentedLog.sync();
    this.syncCount++;
  }

  close(): void {
    this.segmentedLog.sync();
    this.segmentedLog.close();
  }

  /**
   * The entries after the snapshot, contiguous from its end. A log that does not continue the
   * snapshot (a crash between writing a fetched snapshot and emptying the log) is dropped.
   */
  private logAfterSnapshot(entries: LogEntry<MetadataBatch>[], snapshotEnd: number, snapshotEpoch: number | undefined): LogEntry<MetadataBatch>[] {
    const first = entries[0];
    if (first === undefined) return [];
    const boundaryEpoch = snapshotEnd === 0 ? undefined : entries.find((entry) => entry.offset === snapshotEnd - 1)?.epoch;
    const last = entries[entries.length - 1]!;
    const continues = snapshotEnd === 0
      ? first.offset === 0
      : (first.offset <= snapshotEnd && last.offset >= snapshotEnd - 1 && boundaryEpoch === snapshotEpoch) || first.offset === snapshotEnd;
    if (!continues) {
      if (snapshotEnd === 0) {
        throw new Error(`${this.dir}: the metadata log starts at offset ${first.offset} but no valid snapshot covers the offsets before it`);
      }
      this.log(`The metadata log [${first.offset}, ${last.offset + 1}) does not continue the snapshot ending at ${snapshotEnd}: discarding it`);
      this.segmentedLog.resetTo(snapshotEnd);
      return [];
    }
    return entries.filter((entry) => entry.offset >= snapshotEnd);
  }
}
