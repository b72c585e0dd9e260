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
    const order = eventOrder(calls);
    const count = order.length;
    this.head = count;
    this.callOf = new Int32Array(count);
    this.isReturn = new Uint8Array(count);
    this.returnOf = new Int32Array(count).fill(NO_ENTRY);
    this.callEntryOf = new Int32Array(calls.length);
    this.next = new Int32Array(count + 1);
    this.prev = new Int32Array(count + 1);
    this.returnNext = new Int32Array(count + 1);
    this.returnPrev = new Int32Array(count + 1);
    for (let entry = 0; entry < count; entry++) {
      const event = order[entry]!;
      const id = event >>> 1;
      const kind = event & 1;
      this.callOf[entry] = id;
      this.isReturn[entry] = kind;
      if (kind === 0) this.callEntryOf[id] = entry;
      else this.returnOf[this.callEntryOf[id]!] = entry;
    }
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

/**
 * The history's events in entry order, each as `id * 2 + kind` (kind 0: call, 1: return): by
 * position in the source history, at an equal position a call entry first (the two calls then
 * overlap, the lenient reading), then by id. Checks the calls' shape on the way.
 *
 * Without an object per event, which was most of the entry list's cost on 9,000-call parts.
 * Positions are history indices, distinct and dense even in one key's part of a history, so
 * each event goes straight into a table by position; where two share a position or the table
 * would be far larger than the history, a comparator sort does the same.
 */
function eventOrder(calls: readonly Call[]): Int32Array {
  const n = calls.length;
  let count = 0;
  let maxPosition = 0;
  // The table needs non-negative integer positions (history indices always are).
  let integral = true;
  for (let id = 0; id < n; id++) {
    const call = calls[id]!;
    if (call.id !== id) throw new Error(`call at position ${id} has id ${call.id}: ids must be dense 0..n-1 in order`);
    count++;
    maxPosition = Math.max(maxPosition, call.invokeIndex);
    integral &&= Number.isInteger(call.invokeIndex) && call.invokeIndex >= 0;
    if (call.outputKnown) {
      if (call.completeIndex === null) {
        throw new Error(`call ${id} (${call.f}) has a known output but no completeIndex`);
      }
      if (call.completeIndex < call.invokeIndex) {
        throw new Error(`call ${id} (${call.f}) completes at ${call.completeIndex}, before its invocation at ${call.invokeIndex}`);
      }
      count++;
      maxPosition = Math.max(maxPosition, call.completeIndex);
      integral &&= Number.isInteger(call.completeIndex);
    }
  }
  const order = new Int32Array(count);
  if (!integral || maxPosition >= TABLE_SIZE_PER_EVENT * count + TABLE_SIZE_SLACK) return eventOrderByComparator(calls, order);
  // table[position] = event + 1 (0: no event there).
  const table = new Int32Array(maxPosition + 1);
  for (let id = 0; id < n; id++) {
    const call = calls[id]!;
    if (table[call.invokeIndex] !== 0) return eventOrderByComparator(calls, order);
    table[call.invokeIndex] = id * 2 + 1;
    if (call.outputKnown) {
      if (table[call.completeIndex!] !== 0) return eventOrderByComparator(calls, order);
      table[call.completeIndex!] = id * 2 + 2;
    }
  }
  let at = 0;
  for (let position = 0; position <= maxPosition; position++) {
    const event = table[position]!;
    if (event !== 0) order[at++] = event - 1;
  }
  return order;
}

/** Past this many table slots per event (plus the slack), the comparator sort is cheaper. */
const TABLE_SIZE_PER_EVENT = 64;
const TABLE_SIZE_SLACK = 1024;

function eventOrderByComparator(calls: readonly Call[], order: Int32Array): Int32Array {
  let at = 0;
  for (const call of calls) {
    order[at++] = call.id * 2;
    if (call.outputKnown) order[at++] = call.id * 2 + 1;
  }
  const position = (event: number): number => {
    const call = calls[event >>> 1]!;
    return (event & 1) === 0 ? call.invokeIndex : call.completeIndex!;
  };
  return order.sort((a, b) => position(a) - position(b) || (a & 1) - (b & 1) || (a >>> 1) - (b >>> 1));
}
