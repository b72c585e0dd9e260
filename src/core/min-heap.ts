/**
 * A binary min-heap by a numeric key, for the node's timers and apply offsets: the earliest of
 * many pending requests is found in O(log n) rather than by scanning them all on every event.
 * Entries are removed lazily by their owners (a popped entry whose request is gone is skipped).
 */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly values: T[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, value: T): void {
    this.keys.push(key);
    this.values.push(value);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peekKey(): number {
    return this.keys.length === 0 ? Infinity : this.keys[0]!;
  }

  peek(): T | undefined {
    return this.values[0];
  }

  pop(): T | undefined {
    const top = this.values[0];
    const lastKey = this.keys.pop();
    const lastValue = this.values.pop();
    if (this.keys.length > 0 && lastKey !== undefined) {
      this.keys[0] = lastKey;
      this.values[0] = lastValue!;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(start: number): void {
    let i = start;
    const n = this.keys.length;
    while (true) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.keys[left]! < this.keys[smallest]!) smallest = left;
      if (right < n && this.keys[right]! < this.keys[smallest]!) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const key = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = key;
    const value = this.values[a]!;
    this.values[a] = this.values[b]!;
    this.values[b] = value;
  }
}
