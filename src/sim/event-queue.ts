/**
 * The simulator's agenda: a binary min-heap of events keyed by (time, sequence number). The
 * sequence number breaks ties in scheduling order, so two events at the same simulated time always
 * run in the same order: the whole run is a function of its seed.
 */

export interface ScheduledEvent<T> {
  atMs: number;
  sequence: number;
  event: T;
}

export class EventQueue<T> {
  private readonly heap: ScheduledEvent<T>[] = [];
  private nextSequence = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(atMs: number, event: T): void {
    if (!Number.isFinite(atMs)) throw new RangeError(`cannot schedule an event at time ${atMs}`);
    this.heap.push({ atMs, sequence: this.nextSequence, event });
    this.nextSequence += 1;
    this.siftUp(this.heap.length - 1);
  }

  /** The time of the earliest event, or Infinity when there is none. */
  peekTimeMs(): number {
    return this.heap[0]?.atMs ?? Infinity;
  }

  pop(): ScheduledEvent<T> | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(index: number): void {
    const item = this.heap[index] as ScheduledEvent<T>;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.heap[parentIndex] as ScheduledEvent<T>;
      if (!before(item, parent)) break;
      this.heap[index] = parent;
      index = parentIndex;
    }
    this.heap[index] = item;
  }

  private siftDown(index: number): void {
    const length = this.heap.length;
    const item = this.heap[index] as ScheduledEvent<T>;
    while (true) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(this.heap[right] as ScheduledEvent<T>, this.heap[left] as ScheduledEvent<T>)) child = right;
      if (!before(this.heap[child] as ScheduledEvent<T>, item)) break;
      this.heap[index] = this.heap[child] as ScheduledEvent<T>;
      index = child;
    }
    this.heap[index] = item;
  }
}

function before<T>(a: ScheduledEvent<T>, b: ScheduledEvent<T>): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.sequence < b.sequence);
}
