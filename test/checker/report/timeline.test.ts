// The timeline data: which calls a large failure shows, their columns and lanes, and the states
// found by replaying the prefix.
import { describe, expect, it } from 'vitest';
import { checkCallsSync } from '../../../src/checker/check.js';
import { topicsModel } from '../../../src/checker/models/topics.js';
import { buildTimeline } from '../../../src/checker/report/timeline.js';
import { generateTopicHistory } from '../../support/generate-topic-history.js';
import { checkStaleRead } from './failing-history.js';

describe('buildTimeline', () => {
  it('on a small failure shows every call, one lane per process, columns in event order', () => {
    const failure = checkStaleRead('orders').failure!;
    const timeline = buildTimeline(failure, topicsModel);
    expect(timeline.calls.map((c) => c.id)).toEqual(failure.calls.map((c) => c.id));
    expect(timeline.lanes).toEqual(['0', '1', '2']);
    for (const call of timeline.calls) {
      const original = failure.calls.find((c) => c.id === call.id)!;
      expect(timeline.lanes[call.lane]).toBe(String(original.process));
      if (call.endColumn !== null) expect(call.endColumn).toBeGreaterThan(call.startColumn);
    }
    const byId = new Map(timeline.calls.map((c) => [c.id, c]));
    // Calls that do not overlap in time are in separate columns, in order.
    expect(byId.get(1)!.endColumn!).toBeLessThan(byId.get(3)!.startColumn);
    expect(timeline.initialState).toBe('no topics');
    expect(timeline.linearization[0]).toEqual({
      order: 1, id: 0, description: 'create topic orders (3 partitions) → created id id-a', stateAfter: 'orders: 3 partitions {} id id-a',
    });
    expect(timeline.replayProblem).toBeUndefined();
  });

  it('on a large failure shows the failing call and the end of the prefix, within the limit', () => {
    const seed = 11;
    const { calls } = generateTopicHistory({ seed, calls: 3000, clients: 10, corruptRead: true });
    const result = checkCallsSync(calls, topicsModel, { timeLimitMs: 20_000 });
    expect(result.verdict, `reproduce with seed ${seed}`).toBe('invalid');
    const failure = result.failure!;
    const timeline = buildTimeline(failure, topicsModel, { callsShownMax: 30, prefixShownMax: 10 });
    expect(timeline.callsInPart).toBe(failure.calls.length);
    const shown = new Set(timeline.calls.map((c) => c.id));
    expect(shown.has(failure.failingCall.id)).toBe(true);
    const tail = failure.longestPrefix.slice(-10);
    for (const id of tail) expect(shown.has(id)).toBe(true);
    // Beyond those, only calls that overlap the stretch from the tail's first invocation to the
    // failing call's completion, and no more than asked.
    const byId = new Map(failure.calls.map((c) => [c.id, c]));
    const windowStartNs = Math.min(...[...tail, failure.failingCall.id].map((id) => byId.get(id)!.invokeTimeNs));
    for (const id of shown) {
      if (tail.includes(id) || id === failure.failingCall.id) continue;
      const call = byId.get(id)!;
      expect(call.invokeTimeNs).toBeLessThanOrEqual(failure.failingCall.completeTimeNs);
      expect(call.completeTimeNs).toBeGreaterThanOrEqual(windowStartNs);
    }
    expect(timeline.calls.length).toBeLessThanOrEqual(30);
    const narrow = buildTimeline(failure, topicsModel, { callsShownMax: 3, prefixShownMax: 10 });
    expect(narrow.calls).toHaveLength(3);
    expect(narrow.calls.some((c) => c.failing)).toBe(true);
    expect(timeline.linearization.map((step) => step.order)).toEqual(
      Array.from({ length: 10 }, (_, i) => failure.longestPrefix.length - 9 + i));
    expect(timeline.linearization.every((step) => step.stateAfter !== null)).toBe(true);
    // The state after the last prefix call is the one the failing call was tried against first.
    expect(timeline.linearization[9]!.stateAfter).toBe(failure.triedStates[0]!.state);
  });

  it('without a model says that states are not shown', () => {
    const timeline = buildTimeline(checkStaleRead('orders').failure!);
    expect(timeline.replayProblem).toBe('no model was given, so states are not shown');
    expect(timeline.calls.every((c) => c.stateAfter === null)).toBe(true);
  });
});
