/**
 * The entry list's order (src/checker/search/entry-list.ts): call and return entries by position
 * in the source history, a call entry before a return at the same position, then by id. It is built
 * by a table indexed by position, or by a comparator sort where positions repeat, are not
 * non-negative integers, or are far sparser than the history: each way must give the order a plain
 * sort of the events gives. Random histories from a printed seed (CHECKER_PROPERTY_SEED).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Call } from '../../../src/checker/model.js';
import { EntryList } from '../../../src/checker/search/entry-list.js';

const seed = Number(process.env.CHECKER_PROPERTY_SEED ?? Date.now() % 2 ** 31);

function call(id: number, invokeIndex: number, completeIndex: number | null): Call {
  return {
    id, process: id, f: 'read', input: null, output: completeIndex === null ? undefined : 1, outputKnown: completeIndex !== null,
    invokeIndex, completeIndex, invokeTimeNs: invokeIndex, completeTimeNs: completeIndex ?? Infinity,
  };
}

/** The events as [call id, 0 call | 1 return], sorted the plain way. */
function expectedOrder(calls: readonly Call[]): [number, number][] {
  const events: { position: number; kind: number; id: number }[] = [];
  for (const c of calls) {
    events.push({ position: c.invokeIndex, kind: 0, id: c.id });
    if (c.outputKnown) events.push({ position: c.completeIndex!, kind: 1, id: c.id });
  }
  events.sort((a, b) => a.position - b.position || a.kind - b.kind || a.id - b.id);
  return events.map((event) => [event.id, event.kind]);
}

function actualOrder(list: EntryList): [number, number][] {
  return Array.from({ length: list.head }, (_, entry) => [list.callOf[entry]!, list.isReturn[entry]!]);
}

/** Calls with positions drawn from `position`; each return at or after its call. */
const callsArbitrary = (position: fc.Arbitrary<number>): fc.Arbitrary<Call[]> =>
  fc.array(fc.tuple(position, position, fc.boolean()), { maxLength: 40 }).map((drawn) =>
    drawn
      .map(([a, b, known]) => ({ invoke: Math.min(a, b), complete: known ? Math.max(a, b) : null }))
      .sort((x, y) => x.invoke - y.invoke)
      .map(({ invoke, complete }, id) => call(id, invoke, complete)));

describe(`the entry list's order (seed ${seed})`, () => {
  it('is the plain sort\'s for distinct dense positions (the table)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer(), (n, shuffleSeed) => {
      // 2n distinct positions 0..2n-1, shuffled, paired into calls.
      const positions = Array.from({ length: 2 * n }, (_, i) => i);
      let state = shuffleSeed | 0;
      for (let i = positions.length - 1; i > 0; i--) {
        state = (Math.imul(state, 1103515245) + 12345) | 0;
        const j = (state >>> 1) % (i + 1);
        [positions[i], positions[j]] = [positions[j]!, positions[i]!];
      }
      const pairs = Array.from({ length: n }, (_, i) => [positions[2 * i]!, positions[2 * i + 1]!] as const)
        .map(([a, b], i) => ({ invoke: Math.min(a, b), complete: i % 3 === 2 ? null : Math.max(a, b) }))
        .sort((x, y) => x.invoke - y.invoke);
      const calls = pairs.map(({ invoke, complete }, id) => call(id, invoke, complete));
      expect(actualOrder(new EntryList(calls))).toEqual(expectedOrder(calls));
    }), { seed, numRuns: 300 });
  });

  it('is the plain sort\'s where positions repeat, are sparse, negative or fractional (the comparator)', () => {
    const positions = fc.oneof(
      fc.integer({ min: 0, max: 10 }), // repeats
      fc.integer({ min: 0, max: 2 ** 40 }), // far sparser than the history
      fc.integer({ min: -50, max: 50 }),
      fc.double({ min: -100, max: 100, noNaN: true }),
    );
    fc.assert(fc.property(callsArbitrary(positions), (calls) => {
      expect(actualOrder(new EntryList(calls))).toEqual(expectedOrder(calls));
    }), { seed, numRuns: 500 });
  });

  it('puts a call entry before a return entry at the same position, so the two calls overlap', () => {
    const calls = [call(0, 0, 5), call(1, 5, 7)];
    expect(actualOrder(new EntryList(calls))).toEqual([[0, 0], [1, 0], [0, 1], [1, 1]]);
  });

  it('links the return entries in order, and the return of each call entry', () => {
    const calls = [call(0, 0, 3), call(1, 1, null), call(2, 2, 4)];
    const list = new EntryList(calls);
    expect(list.firstReturn()).toBe(3);
    expect(list.returnNext[3]).toBe(4);
    expect([...list.returnOf]).toEqual([3, -1, 4, -1, -1]);
    expect([...list.callEntryOf]).toEqual([0, 1, 2]);
  });

  it('names a call whose return comes before its invocation', () => {
    expect(() => new EntryList([call(0, 5, 3)])).toThrow(/completes at 3, before its invocation at 5/);
  });
});
