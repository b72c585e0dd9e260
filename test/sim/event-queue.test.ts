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

  it('runs in-order, keyed and heap events as one stable sort of what was not replaced (seed 11)', () => {
    const random = SeededRandom.fromSeed(11);
    const queue = new EventQueue<number>();
    const live = new Map<number, { time: number; i: number }>();
    const others: { time: number; i: number }[] = [];
    let nowMs = 0;
    for (let i = 0; i < 3000; i++) {
      // Events are scheduled as a run schedules them: from a clock that moves forward as they pop.
      if (random.chance(0.3)) {
        const next = queue.pop();
        if (next !== undefined) nowMs = next.atMs;
        continue;
      }
      const draw = random.intBelow(3);
      if (draw === 0) {
        // Mostly a fixed delay (in order); now and then a shorter one, which must go into the heap.
        const time = nowMs + (random.chance(0.9) ? 20 : random.intBelow(20));
        queue.scheduleInOrder(time, i);
        others.push({ time, i });
      } else if (draw === 1) {
        const key = random.intBelow(4);
        const time = nowMs + random.intBelow(30);
        queue.scheduleKeyed(key, time, i);
        live.set(key, { time, i });
      } else {
        const time = nowMs + random.intBelow(30);
        queue.schedule(time, i);
        others.push({ time, i });
      }
    }
    // What is left must come out as a stable sort of what is left.
    const popped: { time: number; i: number }[] = [];
    for (let time = queue.peekTimeMs(), next = queue.popEvent(); next !== undefined; time = queue.peekTimeMs(), next = queue.popEvent()) {
      expect(queue.poppedAtMs).toBe(time);
      popped.push({ time, i: next });
    }
    const left = new Set(popped.map(({ i }) => i));
    const expected = [...others, ...live.values()].filter(({ i }) => left.has(i)).sort((a, b) => a.time - b.time || a.i - b.i);
    expect(popped).toEqual(expected);
    expect(queue.size).toBe(0);
  });

  it('pops an in-order list of thousands in order, past its compaction', () => {
    const queue = new EventQueue<number>();
    for (let i = 0; i < 5000; i++) queue.scheduleInOrder(i, i);
    queue.schedule(2500, -1);
    const popped: number[] = [];
    for (let next = queue.popEvent(); next !== undefined; next = queue.popEvent()) popped.push(next);
    expect(popped).toEqual([...Array.from({ length: 2501 }, (_, i) => i), -1, ...Array.from({ length: 2499 }, (_, i) => i + 2501)]);
  });

  it('refuses a key that is not a non-negative integer', () => {
    expect(() => new EventQueue<number>().scheduleKeyed(-1, 1, 1)).toThrow('an event key must be a non-negative integer, got -1');
  });

  it('refuses a time that is not finite', () => {
    expect(() => new EventQueue<number>().schedule(Infinity, 1)).toThrow('cannot schedule an event at time Infinity');
  });
});
