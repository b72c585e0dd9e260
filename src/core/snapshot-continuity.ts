/**
 * For hosts: whether a local snapshot in a `ready.persist` ends inside that same ready's appends.
 * A follower that fetches entries, learns they are committed and applies them in one input may
 * take a snapshot of them at once (most often one catching up from the log a leader keeps behind
 * its snapshot). Such a snapshot continues the log once the appends are written, so a host that
 * tells a local snapshot from a fetched one by whether its log holds the snapshot's last entry
 * must write these appends first.
 */
import type { LogEntry, SnapshotData } from './host-interface.js';

/** Whether `entries` (contiguous, in order) hold the snapshot's last entry: offset endOffset - 1, in its last epoch. */
export function appendsHoldSnapshotEnd(entries: readonly LogEntry<unknown>[], snapshot: Pick<SnapshotData, 'endOffset' | 'lastEpoch'>): boolean {
  const first = entries[0];
  if (first === undefined || snapshot.endOffset === 0) return false;
  const boundary = entries[snapshot.endOffset - 1 - first.offset];
  return boundary !== undefined && boundary.offset === snapshot.endOffset - 1 && boundary.epoch === snapshot.lastEpoch;
}
