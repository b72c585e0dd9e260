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

  get size(): number {
    let keyed = 0;
    for (const time of this.keyedTimes) if (time !== Infinity) keyed += 1;
    return this.times.length + keyed;
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
    const key = this.earliestKey();
    return key >= 0 ? this.keyedTimes[key]! : this.times.length === 0 ? Infinity : this.times[0]!;
  }

  pop(): ScheduledEvent<T> | undefined {
    const key = this.earliestKey();
    if (key >= 0) return { atMs: this.keyedTimes[key]!, sequence: this.keyedSequences[key]!, event: this.takeKeyed(key) };
    if (this.times.length === 0) return undefined;
    const top = { atMs: this.times[0]!, sequence: this.sequences[0]!, event: this.events[0]! };
    this.removeTop();
    return top;
  }

  /** The earliest event, removed, without the entry object of `pop` (its time is `peekTimeMs()` before the call). */
  popEvent(): T | undefined {
    const key = this.earliestKey();
    if (key >= 0) return this.takeKeyed(key);
    if (this.times.length === 0) return undefined;
    const event = this.events[0]!;
    this.removeTop();
    return event;
  }

  /** The key whose event comes before every other keyed one and the heap's top, or -1. */
  private earliestKey(): number {
    const { keyedTimes, keyedSequences } = this;
    let best = -1;
    let bestTime = this.times.length === 0 ? Infinity : this.times[0]!;
    let bestSequence = this.times.length === 0 ? Infinity : this.sequences[0]!;
    for (let key = 0; key < keyedTimes.length; key++) {
      const time = keyedTimes[key]!;
      if (time === Infinity || !before(time, keyedSequences[key]!, bestTime, bestSequence)) continue;
      best = key;
      bestTime = time;
      bestSequence = keyedSequences[key]!;
    }
    return best;
  }

  private takeKeyed(key: number): T {
    const event = this.keyedEvents[key] as T;
    this.keyedTimes[key] = Infinity;
    this.keyedEvents[key] = undefined;
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

function before(timeA: number, sequenceA: number, timeB: number, sequenceB: number): boolean {
  return timeA < timeB || (timeA === timeB && sequenceA < sequenceB);
}
