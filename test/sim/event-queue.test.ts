import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/event-queue.js';
import { SeededRandom } from '../../src/sim/random.js';

describe('EventQueue', () => {
  it('pops by time, and in scheduling order at equal times', () => {
    const queue = new EventQueue<string>();
    queue.schedule(5, 'late');
    queue.schedule(1, 'first at 1');
    queue.schedule(1, 'second at 1');
    queue.schedule(3, 'middle');
    queue.schedule(1, 'third at 1');
    const popped: string[] = [];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) popped.push(next.event);
    expect(popped).toEqual(['first at 1', 'second at 1', 'third at 1', 'middle', 'late']);
    expect(queue.peekTimeMs()).toBe(Infinity);
  });

  it('agrees with a stable sort on a random schedule (seed 99)', () => {
    const random = SeededRandom.fromSeed(99);
    const queue = new EventQueue<number>();
    const times = Array.from({ length: 2000 }, () => random.intBelow(50));
    times.forEach((time, i) => queue.schedule(time, i));
    const expected = times.map((time, i) => ({ time, i })).sort((a, b) => a.time - b.time || a.i - b.i).map(({ i }) => i);
    const popped: number[] = [];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) popped.push(next.event);
    expect(popped).toEqual(expected);
  });

  it('runs a keyed event in sequence with the heap, and a key scheduled again drops its earlier event', () => {
    const queue = new EventQueue<string>();
    queue.schedule(2, 'heap at 2');
    queue.scheduleKeyed(0, 2, 'key 0 at 2, dropped');
    queue.scheduleKeyed(1, 1, 'key 1 at 1');
    queue.schedule(2, 'heap at 2, after');
    queue.scheduleKeyed(0, 2, 'key 0 at 2');
    queue.schedule(1, 'heap at 1, after key 1');
    expect(queue.size).toBe(5);
    const popped: string[] = [];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) popped.push(`${next.event} (${next.atMs})`);
    expect(popped).toEqual(['key 1 at 1 (1)', 'heap at 1, after key 1 (1)', 'heap at 2 (2)', 'heap at 2, after (2)', 'key 0 at 2 (2)']);
    expect(queue.peekTimeMs()).toBe(Infinity);
    expect(queue.size).toBe(0);
  });

  it('orders keyed and heap events as one stable sort of what was not replaced (seed 7)', () => {
    const random = SeededRandom.fromSeed(7);
    const queue = new EventQueue<number>();
    const live = new Map<number, { time: number; i: number }>();
    const heap: { time: number; i: number }[] = [];
    for (let i = 0; i < 2000; i++) {
      const time = random.intBelow(50);
      if (random.chance(0.5)) {
        const key = random.intBelow(4);
        queue.scheduleKeyed(key, time, i);
        live.set(key, { time, i });
      } else {
        queue.schedule(time, i);
        heap.push({ time, i });
      }
    }
    const expected = [...heap, ...live.values()].sort((a, b) => a.time - b.time || a.i - b.i).map(({ i }) => i);
    const popped: number[] = [];
    for (let time = queue.peekTimeMs(), next = queue.popEvent(); next !== undefined; time = queue.peekTimeMs(), next = queue.popEvent()) {
      expect(time).toBeLessThan(Infinity);
      popped.push(next);
    }
    expect(popped).toEqual(expected);
  });

  it('refuses a key that is not a non-negative integer', () => {
    expect(() => new EventQueue<number>().scheduleKeyed(-1, 1, 1)).toThrow('an event key must be a non-negative integer, got -1');
  });

  it('refuses a time that is not finite', () => {
    expect(() => new EventQueue<number>().schedule(Infinity, 1)).toThrow('cannot schedule an event at time Infinity');
  });
});
