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

  it('refuses a time that is not finite', () => {
    expect(() => new EventQueue<number>().schedule(Infinity, 1)).toThrow('cannot schedule an event at time Infinity');
  });
});
