/**
 * The simulator's agenda: a binary min-heap of events keyed by (time, sequence number). The
 * sequence number breaks ties in scheduling order, so two events at the same simulated time always
 * run in the same order: the whole run is a function of its seed.
 *
 * The heap is kept as three parallel arrays (times, sequences, events) rather than an object per
 * entry: the simulator schedules tens of thousands of events per simulated minute, and an entry
 * object each was garbage the collector had to sweep.
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

  get size(): number {
    return this.times.length;
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

  /** The time of the earliest event, or Infinity when there is none. */
  peekTimeMs(): number {
    return this.times.length === 0 ? Infinity : this.times[0]!;
  }

  pop(): ScheduledEvent<T> | undefined {
    if (this.times.length === 0) return undefined;
    const top = { atMs: this.times[0]!, sequence: this.sequences[0]!, event: this.events[0]! };
    this.removeTop();
    return top;
  }

  /** The earliest event, removed, without the entry object of `pop` (its time is `peekTimeMs()` before the call). */
  popEvent(): T | undefined {
    if (this.times.length === 0) return undefined;
    const event = this.events[0]!;
    this.removeTop();
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
