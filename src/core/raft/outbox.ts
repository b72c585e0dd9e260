/**
 * Everything a node wants done between two `ready()` calls: what to persist, the messages to send,
 * the client responses and the events. Persistence instructions are merged so that the host's
 * fixed order (quorum state, truncation, snapshot, appends, deletion) always gives the same log as
 * the core's own view, even when a truncation or a fetched snapshot follows appends in one batch.
 */
import type {
  ClientResponse, CoreEvent, LogEntry, PeerEnvelope, PersistActions, QuorumStateRecord, Ready, SnapshotData,
} from '../host-interface.js';

/*
 * What `take` hands over for a list or a persist that stayed empty: one shared frozen value, not a
 * new one per take. Most takes carry no client response, no persist action and no event (a node
 * takes after every input), and hosts only read what they are handed; a host that wrote into one
 * of these would throw instead of changing the next take.
 */
const NOTHING = Object.freeze([]) as never[];
const NOTHING_TO_PERSIST: PersistActions<never> = Object.freeze({});

export class Outbox<R> {
  private persist: PersistActions<R> = {};
  private mustSync = false;
  private messages: PeerEnvelope[] = [];
  private responses: ClientResponse[] = [];
  private events: CoreEvent[] = [];

  constructor(private readonly nodeId: number) {}

  send(to: number, message: unknown): void {
    this.messages.push({ from: this.nodeId, to, message });
  }

  respond(response: ClientResponse): void {
    this.responses.push(response);
  }

  event(event: CoreEvent): void {
    this.events.push(event);
  }

  persistQuorumState(state: QuorumStateRecord): void {
    this.persist.quorumState = state;
    this.mustSync = true;
  }

  appendEntries(entries: LogEntry<R>[]): void {
    const append = this.persist.append ??= [];
    for (let i = 0; i < entries.length; i++) append.push(entries[i]!);
    this.mustSync = true;
  }

  /** One entry to append (the same as `appendEntries` of a list holding only it). */
  appendEntry(entry: LogEntry<R>): void {
    (this.persist.append ??= []).push(entry);
    this.mustSync = true;
  }

  truncate(offset: number): void {
    const pending = this.persist.append;
    if (pending === undefined || pending.length === 0 || offset < pending[0]!.offset) {
      this.persist.truncateToOffset = Math.min(this.persist.truncateToOffset ?? Infinity, offset);
      delete this.persist.append;
    } else {
      this.persist.append = pending.filter((entry) => entry.offset < offset);
    }
    this.mustSync = true;
  }

  /** A local snapshot: the log before `deleteBeforeOffset` (at most the snapshot's end) may go. */
  addSnapshot(snapshot: SnapshotData, deleteBeforeOffset: number): void {
    this.persist.snapshot = snapshot;
    this.persist.deleteBeforeOffset = deleteBeforeOffset;
    this.mustSync = true;
  }

  /** A snapshot fetched from the leader replaces the whole log. */
  replaceWithSnapshot(snapshot: SnapshotData): void {
    delete this.persist.append;
    this.persist.truncateToOffset = 0;
    this.persist.snapshot = snapshot;
    this.persist.deleteBeforeOffset = snapshot.endOffset;
    this.mustSync = true;
  }

  isEmpty(): boolean {
    // Every persist action also sets mustSync, so `persist` is empty whenever mustSync is false: no
    // need to list its keys (an allocation on every hasReady).
    return this.messages.length === 0 && this.responses.length === 0 && this.events.length === 0 && !this.mustSync;
  }

  /** Hands everything gathered so far to the host, with the end offset of the appends in it. */
  take(): { ready: Ready<R>; appendedUpTo: number | undefined } {
    const append = this.persist.append;
    const lastAppended = append === undefined || append.length === 0 ? undefined : append[append.length - 1]!;
    // An empty list (or persist) stays here to be filled next time; the host gets NOTHING instead.
    const ready: Ready<R> = {
      persist: this.mustSync ? this.persist : NOTHING_TO_PERSIST, mustSync: this.mustSync,
      messages: this.messages.length === 0 ? NOTHING : this.messages,
      responses: this.responses.length === 0 ? NOTHING : this.responses,
      events: this.events.length === 0 ? NOTHING : this.events,
    };
    if (this.mustSync) this.persist = {};
    this.mustSync = false;
    if (this.messages.length > 0) this.messages = [];
    if (this.responses.length > 0) this.responses = [];
    if (this.events.length > 0) this.events = [];
    return { ready, appendedUpTo: lastAppended === undefined ? undefined : lastAppended.offset + 1 };
  }
}
