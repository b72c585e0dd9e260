/**
 * This node's copy of the replicated log, whatever its role: the log itself, the latest snapshot,
 * the high watermark and what has been applied to the state machine. Leaders append to it,
 * followers append what they fetched, truncate a divergent tail or install a fetched snapshot, and
 * every role advances the high watermark through `advanceHighWatermark`, which hands each newly
 * committed entry to the state machine once, in offset order.
 *
 * The high watermark is volatile (KRaft does not persist it): after a restart it is only known to
 * cover the snapshot, and it only moves forward.
 *
 * It also reads the control records the log carries (KIP-853: the kraft.version and voter sets)
 * into a VoterSetHistory as entries come and go, and says so when the latest voter set changed:
 * a node uses the latest voter set in its log, committed or not.
 */
import type { LogEntry, SnapshotControl, SnapshotData } from '../host-interface.js';
import { assert, checkSafety } from '../assert.js';
import { VoterSetHistory, type ControlState } from './voter-set-history.js';
import { VoterSet } from './voter-set.js';
import type { Outbox } from './outbox.js';
import type { RaftLog } from './raft-log.js';
import type { RaftStateMachine } from './raft-node.js';
import { NO_LOG_RETENTION, retainedLogStart, type LogRetention } from './log-retention.js';

export class LocalReplica<R> {
  private highWatermarkValue: number;
  private appliedOffsetValue: number;
  private latestSnapshot: SnapshotData | null;
  readonly voterHistory: VoterSetHistory;

  /**
   * @param configured the kraft.version and voters this node's configuration gives (static
   *   voters, or the bootstrap voters `format` wrote), used until the replicated data says more
   * @param onVotersChanged called whenever the latest voter set changes
   * @param epoch the recovered epoch, for the event of loading the recovered snapshot
   * @param unsafeSwitches the node's bug switches (checkSafety reads safety-assertions-off)
   */
  constructor(
    readonly log: RaftLog<R>,
    snapshot: SnapshotData | null,
    private readonly outbox: Outbox<R>,
    private readonly stateMachine: RaftStateMachine<R>,
    configured: ControlState,
    private readonly onVotersChanged: () => void,
    epoch: number,
    private readonly unsafeSwitches: ReadonlySet<string>,
    /** How much log a local snapshot leaves behind it (log-retention.ts). */
    private readonly retention: LogRetention = NO_LOG_RETENTION,
  ) {
    this.latestSnapshot = snapshot;
    this.highWatermarkValue = snapshot?.endOffset ?? 0;
    this.appliedOffsetValue = this.highWatermarkValue;
    const fromSnapshot = snapshot?.control;
    this.voterHistory = fromSnapshot === undefined
      ? new VoterSetHistory(configured, false)
      : new VoterSetHistory(controlStateOf(fromSnapshot), true);
    // Log kept behind the snapshot (recovered with it) beyond what retention keeps goes; the
    // control records in what stays are the snapshot's past, already in its control state.
    if (log.startOffset < log.snapshotEndOffset) log.deleteBefore(retainedLogStart(log, retention, (record) => stateMachine.sizeOf(record)));
    for (let offset = log.snapshotEndOffset; offset < log.endOffset; offset++) this.readControl(log.entryAt(offset)!, null);
    if (snapshot !== null) this.loadSnapshot(snapshot, epoch);
  }

  /** The latest voter set in the log, committed or not. */
  get voters(): VoterSet {
    return this.voterHistory.voters;
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
      this.readControl(entry, epoch);
    }
    this.outbox.appendEntries(entries);
  }

  /** A follower appends fetched entries that extend its log (overlaps and gaps are skipped). */
  appendFetched(entries: readonly LogEntry<R>[], epoch: number): void {
    // Each entry goes to the outbox as it is appended, not gathered in a list first: reading its
    // control records touches nothing the outbox persists, so the outbox ends the same.
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.offset < this.log.endOffset) continue;
      if (entry.offset > this.log.endOffset) break;
      this.log.append(entry);
      this.outbox.appendEntry(entry);
      this.readControl(entry, epoch);
    }
  }

  /**
   * A follower whose log diverges from the leader's drops its tail down to where both agree: the
   * end of `diverging.epoch` in the leader's log, or the end of the newest epoch both know. Only
   * uncommitted entries can diverge, so this never goes below the high watermark.
   */
  truncateDivergentTail(diverging: { epoch: number; endOffset: number }, epoch: number): void {
    const own = this.log.endOffsetForEpoch(diverging.epoch);
    let truncateTo = Math.min(diverging.endOffset, own?.endOffset ?? this.log.startOffset, this.log.endOffset);
    // ConsistentCommittedData judges this too; without the assertion the committed entries go.
    checkSafety(this.unsafeSwitches, truncateTo >= this.highWatermarkValue, `truncation to ${truncateTo} below the high watermark ${this.highWatermarkValue}`);
    // Below the snapshot's end the records are in a snapshot: without the assertion the whole tail
    // goes and the snapshot stays, as committed as it was (ConsistentCommittedData then judges it).
    const snapshotEnd = this.log.snapshotEndOffset;
    if (!checkSafety(this.unsafeSwitches, truncateTo >= snapshotEnd, `truncation to ${truncateTo} below the snapshot end ${snapshotEnd}`)) {
      truncateTo = snapshotEnd;
    }
    if (truncateTo >= this.log.endOffset) return;
    const votersBefore = this.voterHistory.voters;
    this.log.truncateTo(truncateTo);
    this.voterHistory.truncate(truncateTo);
    this.outbox.truncate(truncateTo);
    this.outbox.event({ kind: 'log-truncated', epoch, offset: truncateTo });
    if (this.voterHistory.voters !== votersBefore) this.onVotersChanged();
  }

  /**
   * A fetched snapshot ending at `endOffset` is about to be built: if installing it will replace
   * the state (it reaches past the snapshot held and what is applied), the old snapshot and the
   * state machine's state are dropped now, before the new one is built. Returns whether they were;
   * `installFetchedSnapshot` must follow in the same input when they were.
   */
  releaseFor(endOffset: number): boolean {
    if (endOffset <= this.log.snapshotEndOffset || endOffset <= this.appliedOffsetValue) return false;
    this.latestSnapshot = null;
    this.stateMachine.releaseState();
    return true;
  }

  /** A snapshot fetched from the leader replaces the log when it reaches past the snapshot held. */
  installFetchedSnapshot(snapshot: SnapshotData, epoch: number): void {
    if (snapshot.endOffset <= this.log.snapshotEndOffset) return;
    this.latestSnapshot = snapshot;
    this.log.resetToSnapshot(snapshot);
    const votersBefore = this.voterHistory.voters;
    if (snapshot.control !== undefined) this.voterHistory.reset(controlStateOf(snapshot.control));
    this.outbox.replaceWithSnapshot(snapshot);
    this.outbox.event({ kind: 'snapshot', epoch, offset: snapshot.endOffset, recordEpoch: snapshot.lastEpoch, logStartOffset: this.log.startOffset });
    if (snapshot.endOffset > this.appliedOffsetValue) {
      this.loadSnapshot(snapshot, epoch);
      this.appliedOffsetValue = snapshot.endOffset;
    }
    this.advanceHighWatermark(snapshot.endOffset, epoch);
    if (!this.voterHistory.voters.equals(votersBefore)) {
      // The entry that set these voters went with the log behind the snapshot: the event names the
      // snapshot's last offset, so whoever counts majorities from the events learns the set too.
      this.emitVotersChanged(snapshot.endOffset - 1, this.voterHistory.voters.voters, epoch);
      this.onVotersChanged();
    }
  }

  /** The state machine is replaced by `snapshot` (LeaderNeverLoadSnapshot watches for this on a leader). */
  private loadSnapshot(snapshot: SnapshotData, epoch: number): void {
    this.outbox.event({ kind: 'snapshot-loaded', epoch, offset: snapshot.endOffset, recordEpoch: snapshot.lastEpoch });
    this.stateMachine.restoreSnapshot(snapshot);
  }

  /**
   * A snapshot of the applied state: the log before it may go, except what retention keeps behind
   * it for followers a little behind. The snapshot also records the kraft.version and voter set in
   * force at its end, since the control entries before it go too (none is read again: nothing
   * below the snapshot is ever truncated).
   */
  takeSnapshot(stateSnapshot: SnapshotData, epoch: number): void {
    // A node snapshots several times a simulated second: the messages are built only on failure.
    if (stateSnapshot.endOffset > this.appliedOffsetValue) assert(false, `snapshot at ${stateSnapshot.endOffset} beyond applied ${this.appliedOffsetValue}`);
    assert(this.log.epochBefore(stateSnapshot.endOffset) === stateSnapshot.lastEpoch, 'snapshot epoch disagrees with the log');
    const control = this.voterHistory.stateBefore(stateSnapshot.endOffset);
    // Built field by field, not spread: one object shape, and the spread was most of this method's own time.
    const snapshot: SnapshotData = {
      endOffset: stateSnapshot.endOffset, lastEpoch: stateSnapshot.lastEpoch, state: stateSnapshot.state, control: snapshotControlOf(control),
    };
    this.voterHistory.compact(snapshot.endOffset, control);
    this.latestSnapshot = snapshot;
    this.log.snapshotTaken(snapshot);
    this.log.deleteBefore(retainedLogStart(this.log, this.retention, (record) => this.stateMachine.sizeOf(record)));
    this.outbox.addSnapshot(snapshot, this.log.startOffset);
    this.outbox.event({ kind: 'snapshot', epoch, offset: snapshot.endOffset, recordEpoch: snapshot.lastEpoch, logStartOffset: this.log.startOffset });
  }

  /** Reads the control records of an entry now in the log (`epoch` null: recovered at start-up, no event). */
  private readControl(entry: LogEntry<R>, epoch: number | null): void {
    const content = this.stateMachine.controlOf(entry.record);
    if (content === undefined) return;
    this.voterHistory.record(entry.offset, content);
    if (content.voters === undefined || epoch === null) return;
    this.emitVotersChanged(entry.offset, content.voters, epoch);
    this.onVotersChanged();
  }

  private emitVotersChanged(offset: number, voters: readonly { id: number; directoryId: string | null }[], epoch: number): void {
    this.outbox.event({
      kind: 'voters-changed', epoch, offset,
      voters: voters.map((voter) => voter.directoryId === null ? String(voter.id) : `${voter.id}@${voter.directoryId}`),
    });
  }

  /** The host made appends durable up to `appendedUpTo`. Returns whether the flushed end moved. */
  markFlushed(appendedUpTo: number, epoch: number): boolean {
    if (appendedUpTo <= this.log.flushedEndOffset || appendedUpTo > this.log.endOffset) return false;
    this.log.flushedEndOffset = appendedUpTo;
    this.outbox.event({ kind: 'log-flushed', epoch, offset: appendedUpTo, recordEpoch: this.log.epochBefore(appendedUpTo) ?? 0 });
    return true;
  }
}

function controlStateOf(control: SnapshotControl): ControlState {
  return { kraftVersion: control.kraftVersion, voters: control.voters === null ? null : new VoterSet(control.voters) };
}

function snapshotControlOf(state: ControlState): SnapshotControl {
  return { kraftVersion: state.kraftVersion, voters: state.voters === null ? null : state.voters.voters };
}
