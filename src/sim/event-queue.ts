/**
 * The simulator's agenda: a binary min-heap of events keyed by (time, sequence number). The
 * sequence number breaks ties in scheduling order, so two events at the same simulated time always
 * run in the same order: the whole run is a function of its seed.
 *
 * The heap is kept as three parallel arrays (times, sequences, events) rather than an object per
 * entry: the simulator schedules tens of thousands of events per simulated minute, and an entry
 * object each was garbage the collector had to sweep.
 *
 * Beside the heap, a few keyed entries (`scheduleKeyed`): at most one pending event per key, and
 * scheduling a key again replaces its event, which then never runs. A node's timer is one: a core
 * that moves its next wake (most inputs do) used to leave the old wake in the heap, to be popped and
 * dropped as stale (three of four wakes in membership runs). A keyed entry takes its sequence number
 * from the same counter as the heap's, so the order of the events that do run is exactly what it
 * was with the stale ones in the heap. Keys are small integers, few enough to scan.
 *
 * And beside both, a first-in first-out list for events scheduled in time order (`scheduleInOrder`:
 * clients' request timeouts, each a fixed delay after its request), which would otherwise be most
 * of a busy run's heap. Its entries too take their sequence numbers from the one counter, and
 * every pop takes the earliest (time, sequence) of the heap's top, the list's head and the keys.
 */

export interface ScheduledEvent<T> {
  atMs: number;
  sequence: number;
  event: T;
}

export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly sequences: number[] = [];
  private readonly events: T[] = [];
  private nextSequence = 0;
  /** Keyed entries by key; a time of Infinity is an empty key. */
  private readonly keyedTimes: number[] = [];
  private readonly keyedSequences: number[] = [];
  private readonly keyedEvents: (T | undefined)[] = [];
  /** Entries scheduled in time order (`scheduleInOrder`), oldest first from `inOrderHead`. */
  private inOrderTimes: number[] = [];
  private inOrderSequences: number[] = [];
  private inOrderEvents: (T | undefined)[] = [];
  private inOrderHead = 0;
  /** The time and sequence number of the event `popEvent` returned last. */
  private poppedTimeMs = Infinity;
  private poppedSequence = -1;

  get size(): number {
    let keyed = 0;
    for (const time of this.keyedTimes) if (time !== Infinity) keyed += 1;
    return this.times.length + keyed + this.inOrderTimes.length - this.inOrderHead;
  }

  schedule(atMs: number, event: T): void {
    if (!Number.isFinite(atMs)) throw new RangeError(`cannot schedule an event at time ${atMs}`);
    const sequence = this.nextSequence;
    this.nextSequence += 1;
    this.times.push(atMs);
    this.sequences.push(sequence);
    this.events.push(event);
    this.siftUp(this.times.length - 1, atMs, sequence, event);
  }

  /**
   * As `schedule`, for events that mostly come in time order: a fixed delay after a clock that only
   * goes forward, as every client request's timeout is. They wait in a first-in first-out list
   * beside the heap instead of in it: thousands of timeouts are pending at a time in a busy run,
   * and in the heap each made every other event's way in and out longer. An event earlier than the
   * last one scheduled here goes into the heap; either way it runs exactly where `schedule` would
   * have run it.
   */
  scheduleInOrder(atMs: number, event: T): void {
    const last = this.inOrderTimes.length - 1;
    if (last >= this.inOrderHead && atMs < this.inOrderTimes[last]!) {
      this.schedule(atMs, event);
      return;
    }
    if (!Number.isFinite(atMs)) throw new RangeError(`cannot schedule an event at time ${atMs}`);
    this.inOrderTimes.push(atMs);
    this.inOrderSequences.push(this.nextSequence);
    this.inOrderEvents.push(event);
    this.nextSequence += 1;
  }

  /**
   * Schedules `event` as key `key`'s one pending event, replacing (dropping) the one it had. `key`
   * is a small non-negative integer: keys are scanned on every pop.
   */
  scheduleKeyed(key: number, atMs: number, event: T): void {
    if (!Number.isFinite(atMs)) throw new RangeError(`cannot schedule an event at time ${atMs}`);
    if (!Number.isInteger(key) || key < 0) throw new RangeError(`an event key must be a non-negative integer, got ${key}`);
    while (this.keyedTimes.length <= key) {
      this.keyedTimes.push(Infinity);
      this.keyedSequences.push(0);
      this.keyedEvents.push(undefined);
    }
    this.keyedTimes[key] = atMs;
    this.keyedSequences[key] = this.nextSequence;
    this.nextSequence += 1;
    this.keyedEvents[key] = event;
  }

  /** The time of the earliest event, or Infinity when there is none. */
  peekTimeMs(): number {
    let time = this.times.length === 0 ? Infinity : this.times[0]!;
    if (this.inOrderHead < this.inOrderTimes.length && this.inOrderTimes[this.inOrderHead]! < time) time = this.inOrderTimes[this.inOrderHead]!;
    const keyedTimes = this.keyedTimes;
    for (let key = 0; key < keyedTimes.length; key++) if (keyedTimes[key]! < time) time = keyedTimes[key]!;
    return time;
  }

  pop(): ScheduledEvent<T> | undefined {
    const event = this.popEvent();
    return event === undefined ? undefined : { atMs: this.poppedTimeMs, sequence: this.poppedSequence, event };
  }

  /** The earliest event, removed, without the entry object of `pop`; its time is then `poppedAtMs`. */
  popEvent(): T | undefined {
    // The heap's top, then the in-order list's head, then each key: the earliest (time, sequence) wins.
    let time = Infinity;
    let sequence = Infinity;
    let from = FROM_NONE;
    if (this.times.length > 0) {
      time = this.times[0]!;
      sequence = this.sequences[0]!;
      from = FROM_HEAP;
    }
    const head = this.inOrderHead;
    if (head < this.inOrderTimes.length && before(this.inOrderTimes[head]!, this.inOrderSequences[head]!, time, sequence)) {
      time = this.inOrderTimes[head]!;
      sequence = this.inOrderSequences[head]!;
      from = FROM_IN_ORDER;
    }
    const { keyedTimes, keyedSequences } = this;
    for (let key = 0; key < keyedTimes.length; key++) {
      const keyedTime = keyedTimes[key]!;
      if (keyedTime === Infinity || !before(keyedTime, keyedSequences[key]!, time, sequence)) continue;
      time = keyedTime;
      sequence = keyedSequences[key]!;
      from = key;
    }
    if (from === FROM_NONE) return undefined;
    this.poppedTimeMs = time;
    this.poppedSequence = sequence;
    if (from === FROM_HEAP) {
      const event = this.events[0]!;
      this.removeTop();
      return event;
    }
    if (from === FROM_IN_ORDER) return this.takeInOrder();
    const event = this.keyedEvents[from] as T;
    this.keyedTimes[from] = Infinity;
    this.keyedEvents[from] = undefined;
    return event;
  }

  /** The time of the event `popEvent` (or `pop`) returned last. */
  get poppedAtMs(): number {
    return this.poppedTimeMs;
  }

  private takeInOrder(): T {
    const head = this.inOrderHead;
    const event = this.inOrderEvents[head] as T;
    this.inOrderEvents[head] = undefined;
    this.inOrderHead = head + 1;
    if (this.inOrderHead === this.inOrderTimes.length) {
      this.inOrderTimes = [];
      this.inOrderSequences = [];
      this.inOrderEvents = [];
      this.inOrderHead = 0;
    } else if (this.inOrderHead >= IN_ORDER_COMPACT_AT && this.inOrderHead * 2 >= this.inOrderTimes.length) {
      this.inOrderTimes = this.inOrderTimes.slice(this.inOrderHead);
      this.inOrderSequences = this.inOrderSequences.slice(this.inOrderHead);
      this.inOrderEvents = this.inOrderEvents.slice(this.inOrderHead);
      this.inOrderHead = 0;
    }
    return event;
  }

  private removeTop(): void {
    const lastTime = this.times.pop()!;
    const lastSequence = this.sequences.pop()!;
    const lastEvent = this.events.pop()!;
    if (this.times.length > 0) this.siftDown(0, lastTime, lastSequence, lastEvent);
  }

  /** Moves parents down until (atMs, sequence) fits at `index`, then writes it there. */
  private siftUp(index: number, atMs: number, sequence: number, event: T): void {
    const { times, sequences, events } = this;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent]!;
      if (!before(atMs, sequence, parentTime, sequences[parent]!)) break;
      times[index] = parentTime;
      sequences[index] = sequences[parent]!;
      events[index] = events[parent]!;
      index = parent;
    }
    times[index] = atMs;
    sequences[index] = sequence;
    events[index] = event;
  }

  /** Moves children up until (atMs, sequence) fits at `index`, then writes it there. */
  private siftDown(index: number, atMs: number, sequence: number, event: T): void {
    const { times, sequences, events } = this;
    const length = times.length;
    while (true) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(times[right]!, sequences[right]!, times[left]!, sequences[left]!)) child = right;
      if (!before(times[child]!, sequences[child]!, atMs, sequence)) break;
      times[index] = times[child]!;
      sequences[index] = sequences[child]!;
      events[index] = events[child]!;
      index = child;
    }
    times[index] = atMs;
    sequences[index] = sequence;
    events[index] = event;
  }
}

/** Where the earliest event is, beside a key (0 and up). */
const FROM_NONE = -1;
const FROM_HEAP = -2;
const FROM_IN_ORDER = -3;
/** The in-order list drops the entries it has run once this many are at its front, and they are at least half of it. */
const IN_ORDER_COMPACT_AT = 1024;

function before(timeA: number, sequenceA: number, timeB: number, sequenceB: number): boolean {
  return timeA < timeB || (timeA === timeB && sequenceA < sequenceB);
}
