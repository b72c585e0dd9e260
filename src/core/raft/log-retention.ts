/**
 * How much log a node keeps behind its newest snapshot. Without any, a follower only a few entries
 * behind (restarted after a crash, or briefly cut off) finds its fetch offset below the leader's
 * log start and must fetch the whole snapshot: 45-70 MB at two million partitions, where the
 * entries it lacks are a few kilobytes.
 *
 * KRaft keeps its metadata log's segments behind a snapshot until retention removes them
 * (`metadata.max.retention.bytes`, default 100 MiB, and `metadata.max.retention.ms`, counted over
 * the log and its snapshots together, checked once a minute). quorumd's core holds its log in
 * memory and knows no bytes, so it bounds what a snapshot leaves behind by entries and by size in
 * RaftStateMachine.sizeOf's units (for metadata, records: about 35 bytes each on disk), oldest
 * entries dropped first, whenever it takes a snapshot. Both bounds hold at once; either at 0 keeps
 * no log behind the snapshot, as before.
 */
import type { RaftLog } from './raft-log.js';

export interface LogRetention {
  /** The most log entries kept behind the newest snapshot. */
  entries: number;
  /** The most sizeOf units (metadata: records) those entries hold together. */
  size: number;
}

export const NO_LOG_RETENTION: LogRetention = { entries: 0, size: 0 };

/**
 * Where the log should start once a snapshot was taken: the snapshot's end, moved back over the
 * newest entries behind it while both bounds hold (never before the log's present start).
 */
export function retainedLogStart<R>(log: RaftLog<R>, retention: LogRetention, sizeOf: (record: R) => number): number {
  const end = log.snapshotEndOffset;
  let start = end;
  let size = 0;
  while (start > log.startOffset && end - start < retention.entries) {
    size += sizeOf(log.entryAt(start - 1)!.record);
    if (size > retention.size) break;
    start--;
  }
  return start;
}
