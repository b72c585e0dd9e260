/**
 * One node's simulated disk. Writes land in a volatile page cache (`pending`); `sync` makes them
 * durable. A crash loses whatever was not synced, or, with torn writes on, keeps a random prefix
 * of it: the writes that happened to reach the platter, the last one possibly cut short. The
 * disk can also be told to lie about fsync (`lyingFsync`), which is how tests prove the invariant
 * checker catches a node that forgets its vote.
 *
 * The durable image is KRaft's on-disk layout in miniature: the quorum-state file, the latest
 * snapshot, and the log (which may still hold entries below the snapshot until the prefix is
 * deleted).
 */
import type { DurableState, LogEntry, PersistActions, QuorumStateRecord, SnapshotData } from '../core/host-interface.js';
import type { SeededRandom } from './random.js';
import { appendsHoldSnapshotEnd } from '../core/snapshot-continuity.js';

type WriteUnit =
  | { kind: 'quorum-state'; quorumState: QuorumStateRecord }
  | { kind: 'truncate'; offset: number }
  | { kind: 'snapshot'; snapshot: SnapshotData }
  | { kind: 'append'; entries: readonly LogEntry[] }
  | { kind: 'delete-prefix'; offset: number };

export interface DiskOptions {
  /** On a crash keep a random prefix of the unsynced writes (the last possibly partial). */
  tornWrites: boolean;
  /**
   * A broken disk for tests: fsync does not make the quorum state durable (`quorum-state`), or
   * makes it durable without the vote (`vote`: the epoch survives a crash, the vote does not).
   */
  lyingFsync?: 'quorum-state' | 'vote';
}

interface DiskImage {
  quorumState: QuorumStateRecord | null;
  snapshot: SnapshotData | null;
  log: LogEntry[];
}

export interface FlushedLog {
  /** Exclusive end offset of the durable log (or of the snapshot when the log is empty). */
  endOffset: number;
  lastEpoch: number;
}

export class SimDisk {
  private readonly durable: DiskImage = { quorumState: null, snapshot: null, log: [] };
  private pending: WriteUnit[] = [];
  syncs = 0;

  constructor(private readonly options: DiskOptions) {}

  get hasPendingWrites(): boolean {
    return this.pending.length > 0;
  }

  /** Queue the writes of one `ready.persist`, in the order the host interface prescribes. */
  write(actions: PersistActions): void {
    if (actions.quorumState !== undefined) this.pending.push({ kind: 'quorum-state', quorumState: { ...actions.quorumState } });
    if (actions.truncateToOffset !== undefined) this.pending.push({ kind: 'truncate', offset: actions.truncateToOffset });
    // A local snapshot of entries this same ready appends (a follower that fetched, committed and
    // applied them in one go, as it does catching up from the log kept behind the leader's
    // snapshot) continues the log once they are written: they go first.
    const appendsFirst = actions.snapshot !== undefined && appendsHoldSnapshotEnd(actions.append ?? [], actions.snapshot);
    if (appendsFirst) this.pending.push({ kind: 'append', entries: actions.append as LogEntry[] });
    if (actions.snapshot !== undefined) this.pending.push({ kind: 'snapshot', snapshot: actions.snapshot as SnapshotData });
    if (!appendsFirst && actions.append !== undefined && actions.append.length > 0) {
      this.pending.push({ kind: 'append', entries: actions.append as LogEntry[] });
    }
    if (actions.deleteBeforeOffset !== undefined) this.pending.push({ kind: 'delete-prefix', offset: actions.deleteBeforeOffset });
  }

  /** fsync: everything written so far becomes durable (unless the disk lies). */
  sync(): void {
    this.syncs += 1;
    // Most syncs find nothing new (the host syncs after every input that asks): keep the array.
    if (this.pending.length === 0) return;
    for (const unit of this.pending) {
      if (unit.kind === 'quorum-state' && this.options.lyingFsync === 'quorum-state') continue;
      if (unit.kind === 'quorum-state' && this.options.lyingFsync === 'vote') {
        applyUnit(this.durable, { kind: 'quorum-state', quorumState: { ...unit.quorumState, votedFor: null } });
        continue;
      }
      applyUnit(this.durable, unit);
    }
    this.pending = [];
  }

  /** The node died: unsynced writes are lost, or with torn writes a random prefix survives. */
  crash(random: SeededRandom): void {
    if (this.options.tornWrites && this.pending.length > 0) {
      const survivors = random.intBelow(this.pending.length + 1);
      for (const unit of this.pending.slice(0, survivors)) applyUnit(this.durable, unit);
      const torn = this.pending[survivors];
      if (torn?.kind === 'append') {
        applyUnit(this.durable, { kind: 'append', entries: torn.entries.slice(0, random.intBelow(torn.entries.length)) });
      }
    }
    this.pending = [];
  }

  /** What a restarting node reads back: the log after the snapshot only, contiguous. */
  recover(): DurableState {
    const snapshotEnd = this.durable.snapshot?.endOffset ?? 0;
    return {
      quorumState: this.durable.quorumState === null ? null : { ...this.durable.quorumState },
      snapshot: this.durable.snapshot,
      log: this.durable.log.filter((entry) => entry.offset >= snapshotEnd),
    };
  }

  /** Where the durable log ends: what `log-flushed` reports. */
  flushedLog(): FlushedLog {
    const last = this.durable.log[this.durable.log.length - 1];
    const snapshot = this.durable.snapshot;
    if (last !== undefined && (snapshot === null || last.offset >= snapshot.endOffset)) {
      return { endOffset: last.offset + 1, lastEpoch: last.epoch };
    }
    return { endOffset: snapshot?.endOffset ?? 0, lastEpoch: snapshot?.lastEpoch ?? 0 };
  }
}

function applyUnit(image: DiskImage, unit: WriteUnit): void {
  switch (unit.kind) {
    case 'quorum-state':
      image.quorumState = unit.quorumState;
      return;
    case 'truncate':
      image.log = image.log.filter((entry) => entry.offset < unit.offset);
      return;
    case 'snapshot':
      applySnapshot(image, unit.snapshot);
      return;
    case 'append':
      appendEntries(image, unit.entries);
      return;
    case 'delete-prefix':
      image.log = image.log.slice(firstIndexFrom(image.log, unit.offset));
      return;
  }
}

/**
 * A snapshot that the log continues (the log holds its last record, same epoch) keeps the log
 * after it; any other snapshot replaces the log, as a follower that fetched one starts afresh.
 */
function applySnapshot(image: DiskImage, snapshot: SnapshotData): void {
  const at = firstIndexFrom(image.log, snapshot.endOffset - 1);
  const boundary = image.log[at]?.offset === snapshot.endOffset - 1 ? image.log[at] : undefined;
  const continues = snapshot.endOffset === 0 || (boundary !== undefined && boundary.epoch === snapshot.lastEpoch);
  image.snapshot = snapshot;
  if (!continues) image.log = [];
}

function appendEntries(image: DiskImage, entries: readonly LogEntry[]): void {
  const first = entries[0];
  if (first === undefined) return;
  const end = endOffset(image);
  // A host that appends with a gap or over existing entries is a broken simulator, not a fault.
  if (first.offset !== end) {
    throw new Error(`sim disk: append at offset ${first.offset} does not continue the log ending at ${end}`);
  }
  for (const entry of entries) image.log.push(entry);
}

/**
 * The index of the first entry at or past `offset`. The log is contiguous (appends continue it,
 * truncation and prefix deletion keep it so), so that is where the offsets say; a node snapshots
 * several times a simulated second, and scanning the log for it each time showed in profiles.
 */
function firstIndexFrom(log: readonly LogEntry[], offset: number): number {
  const first = log[0];
  if (first === undefined || offset <= first.offset) return 0;
  const index = offset - first.offset;
  if (index >= log.length ? log[log.length - 1]!.offset < offset : log[index]!.offset === offset && log[index - 1]!.offset < offset) {
    return Math.min(index, log.length);
  }
  // Not contiguous after all: the scan finds it anyway.
  const found = log.findIndex((entry) => entry.offset >= offset);
  return found < 0 ? log.length : found;
}

function endOffset(image: DiskImage): number {
  const last = image.log[image.log.length - 1];
  return last === undefined ? (image.snapshot?.endOffset ?? 0) : last.offset + 1;
}
