/**
 * The history as WGL walks it: a doubly linked list of call and return entries in real-time
 * order, with `lift` / `unlift` to take a linearized call (and its return) out of the list and
 * put it back on backtracking, as in Wing & Gong, Lowe, Knossos' wgl and porcupine.
 *
 * Order: by position in the source history (`invokeIndex`, `completeIndex`), which is a strict
 * total order of events. A call whose outcome is unknown has no return entry: its completion is
 * at +infinity, and it never forces the search to backtrack.
 *
 * Storage is typed arrays indexed by entry number, with entry `head` a sentinel before the first.
 */
import type { Call } from '../model.js';

export const NO_ENTRY = -1;

export class EntryList {
  /** Entry count, also the index of the head sentinel. */
  readonly head: number;
  /** The call each entry belongs to. */
  readonly callOf: Int32Array;
  /** 1 for a return entry, 0 for a call entry. */
  readonly isReturn: Uint8Array;
  /** For a call entry, its return entry (NO_ENTRY when the outcome is unknown). */
  readonly returnOf: Int32Array;
  /** The call entry of each call id. */
  readonly callEntryOf: Int32Array;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /**
   * A second list threading only the return entries, same head: `returnNext[head]` is the earliest
   * return of a call not yet linearized, in O(1).
   */
  readonly returnNext: Int32Array;
  readonly returnPrev: Int32Array;

  constructor(calls: readonly Call[]) {
    const events: { position: number; kind: 0 | 1; id: number }[] = [];
    calls.forEach((call, id) => {
      if (call.id !== id) throw new Error(`call at position ${id} has id ${call.id}: ids must be dense 0..n-1 in order`);
      events.push({ position: call.invokeIndex, kind: 0, id });
      if (call.outputKnown) {
        if (call.completeIndex === null) {
          throw new Error(`call ${id} (${call.f}) has a known output but no completeIndex`);
        }
        if (call.completeIndex < call.invokeIndex) {
          throw new Error(`call ${id} (${call.f}) completes at ${call.completeIndex}, before its invocation at ${call.invokeIndex}`);
        }
        events.push({ position: call.completeIndex, kind: 1, id });
      }
    });
    // At an equal position a call entry goes first: the two calls then overlap, the lenient reading.
    events.sort((a, b) => a.position - b.position || a.kind - b.kind || a.id - b.id);

    const count = events.length;
    this.head = count;
    this.callOf = new Int32Array(count);
    this.isReturn = new Uint8Array(count);
    this.returnOf = new Int32Array(count).fill(NO_ENTRY);
    this.callEntryOf = new Int32Array(calls.length);
    this.next = new Int32Array(count + 1);
    this.prev = new Int32Array(count + 1);
    this.returnNext = new Int32Array(count + 1);
    this.returnPrev = new Int32Array(count + 1);
    events.forEach((event, entry) => {
      this.callOf[entry] = event.id;
      this.isReturn[entry] = event.kind;
      if (event.kind === 0) this.callEntryOf[event.id] = entry;
      else this.returnOf[this.callEntryOf[event.id]!] = entry;
    });
    // Link head → 0 → 1 → … → count-1 → NO_ENTRY.
    this.next[count] = count > 0 ? 0 : NO_ENTRY;
    this.prev[count] = NO_ENTRY;
    for (let entry = 0; entry < count; entry++) {
      this.next[entry] = entry + 1 < count ? entry + 1 : NO_ENTRY;
      this.prev[entry] = entry === 0 ? count : entry - 1;
    }
    let lastReturn = count;
    this.returnNext[count] = NO_ENTRY;
    for (let entry = 0; entry < count; entry++) {
      if (this.isReturn[entry] === 0) continue;
      this.returnNext[lastReturn] = entry;
      this.returnPrev[entry] = lastReturn;
      this.returnNext[entry] = NO_ENTRY;
      lastReturn = entry;
    }
  }

  /** The earliest return entry still in the list, or NO_ENTRY. */
  firstReturn(): number {
    return this.returnNext[this.head]!;
  }

  /** Takes a call entry and its return entry (if any) out of the list. */
  lift(callEntry: number): void {
    this.unlink(callEntry);
    const returnEntry = this.returnOf[callEntry]!;
    if (returnEntry !== NO_ENTRY) {
      this.unlink(returnEntry);
      unlinkFrom(this.returnNext, this.returnPrev, returnEntry);
    }
  }

  /** Undoes `lift`; entries must be unlifted in the reverse order of lifting. */
  unlift(callEntry: number): void {
    const returnEntry = this.returnOf[callEntry]!;
    if (returnEntry !== NO_ENTRY) {
      relinkInto(this.returnNext, this.returnPrev, returnEntry);
      this.relink(returnEntry);
    }
    this.relink(callEntry);
  }

  private unlink(entry: number): void {
    unlinkFrom(this.next, this.prev, entry);
  }

  private relink(entry: number): void {
    relinkInto(this.next, this.prev, entry);
  }
}

function unlinkFrom(next: Int32Array, prev: Int32Array, entry: number): void {
  const before = prev[entry]!;
  const after = next[entry]!;
  next[before] = after;
  if (after !== NO_ENTRY) prev[after] = before;
}

/** Dancing links: an unlinked entry still knows its neighbours, so it can be put back. */
function relinkInto(next: Int32Array, prev: Int32Array, entry: number): void {
  const before = prev[entry]!;
  const after = next[entry]!;
  next[before] = entry;
  if (after !== NO_ENTRY) prev[after] = entry;
}
