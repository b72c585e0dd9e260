/**
 * The run's invariant checks: the k-way merge visits node streams in exactly the checker's
 * mergeByTime order (ties by stream, then position), and a broken rule is its own invalid check
 * naming the first violating event.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeByTime } from '../../../src/checker/invariants/event-log-reader.js';
import type { NodeEvent } from '../../../src/history/node-event.js';
import { checkInvariants, mergeStreams } from '../../../src/run/checks/invariants.js';

function stream(node: number, times: number[]): NodeEvent[] {
  return [...times].sort((a, b) => a - b).map((timeNs, position) => ({ timeNs, node, kind: 'high-watermark', epoch: 1, highWatermark: position }));
}

describe('run invariant checks', () => {
  it('mergeStreams visits events in mergeByTime order (property, seeded)', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12 }), { maxLength: 5 }), (timesByNode) => {
      const streams = timesByNode.map((times, index) => stream(index + 1, times));
      const visited: NodeEvent[] = [];
      mergeStreams(streams, (event) => visited.push(event));
      expect(visited).toEqual(mergeByTime(streams));
    }), { seed: 20261201, numRuns: 300 });
  });

  it('two leaders in one epoch are an invalid SingleLeader check naming the second', () => {
    const leader = (node: number, timeNs: number): NodeEvent => ({ timeNs, node, kind: 'epoch-changed', epoch: 3, state: 'leader', leaderId: node });
    const checks = checkInvariants([
      { nodeId: 1, roles: ['controller'], events: [leader(1, 10)], logFile: null, eventsFile: null, missing: null },
      { nodeId: 2, roles: ['controller'], events: [leader(2, 20)], logFile: null, eventsFile: null, missing: null },
    ], [1, 2, 3], [], 0);
    const single = checks.find((check) => check.name === 'SingleLeader')!;
    expect(single.verdict).toBe('invalid');
    expect(single.firstViolation).toMatchObject({ node: 2, timeNs: 20 });
    expect(checks.find((check) => check.name === 'MonotonicEpoch')!.verdict).toBe('valid');
  });
});
