/**
 * The rules made cheaper per event in session 8 (MajorityReachedHighWatermark, with the voter-set
 * tracker it reads, and AppliedBeforeAcknowledged) judge exactly as they did: random event streams
 * with voter changes, replaced disks and snapshots, and random acknowledged writes, judged by each
 * rule and by its earlier form (support/reference-rules.ts), give the same violations. Streams
 * that break the rules are common, so the comparison covers what each rule catches.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppliedBeforeAcknowledgedRule } from '../../../src/checker/invariants/applied-before-acknowledged.js';
import { MajorityReachedHighWatermarkRule } from '../../../src/checker/invariants/majority-reached-high-watermark.js';
import type { Violation } from '../../../src/checker/invariants/violation.js';
import { VoterSetTracker } from '../../../src/checker/invariants/voter-set-tracker.js';
import type { AcknowledgedWrite } from '../../../src/checker/invariants/acknowledged-writes.js';
import type { NodeEvent, NodeEventKind } from '../../../src/history/node-event.js';
import {
  ReferenceAppliedBeforeAcknowledgedRule, ReferenceMajorityReachedHighWatermarkRule, ReferenceVoterSetTracker,
} from './support/reference-rules.js';

const VOTERS = [1, 2, 3];
const NODES = [1, 2, 3, 4];
// Weighted towards what the two rules read.
const KINDS: NodeEventKind[] = [
  'log-flushed', 'log-flushed', 'high-watermark', 'high-watermark', 'committed', 'committed', 'log-truncated', 'snapshot',
  'snapshot-loaded', 'voters-changed', 'voters-changed', 'replica-started', 'became-leader', 'became-leader', 'epoch-changed', 'restarted',
];

const eventArbitrary = fc.record({
  node: fc.constantFrom(...NODES),
  kind: fc.constantFrom(...KINDS),
  epoch: fc.integer({ min: 0, max: 4 }),
  state: fc.constantFrom('leader' as const, 'follower' as const),
  offset: fc.integer({ min: 0, max: 12 }),
  recordEpoch: fc.integer({ min: 0, max: 4 }),
  highWatermark: fc.integer({ min: 0, max: 12 }),
  voters: fc.constantFrom(['1', '2', '3'], ['1', '2'], ['1', '2', '3', '4'], ['1@d1', '2', '4@d2'], ['2@d2', '3@d1', '4@d1']),
  directoryId: fc.constantFrom('d1', 'd2'),
});

const writeArbitrary = fc.record({
  committedOffset: fc.integer({ min: 0, max: 12 }),
  committedEpoch: fc.integer({ min: 0, max: 4 }),
  node: fc.constantFrom(...NODES, 5),
  timeIndex: fc.integer({ min: 0, max: 80 }),
});

function eventsOf(drawn: (typeof eventArbitrary extends fc.Arbitrary<infer T> ? T : never)[]): NodeEvent[] {
  return drawn.map((event, index) => ({ ...event, voters: [...event.voters], timeNs: index * 1_000 }));
}

function writesOf(drawn: { committedOffset: number; committedEpoch: number; node: number; timeIndex: number }[]): AcknowledgedWrite[] {
  return drawn.map((write, index) => ({
    committedOffset: write.committedOffset, committedEpoch: write.committedEpoch,
    operation: { index, type: 'ok', process: 0, f: 'create-topic', value: null, timeNs: write.timeIndex * 1_000 + 500, node: write.node },
  }));
}

describe('the incremental rules judge as their earlier forms did', () => {
  it('MajorityReachedHighWatermark and the voter-set tracker, under changing voter sets and replaced disks', () => {
    let violations = 0;
    fc.assert(fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 80 }), (drawn) => {
      const tracker = new VoterSetTracker(VOTERS);
      const rule = new MajorityReachedHighWatermarkRule(VOTERS, tracker);
      const referenceTracker = new ReferenceVoterSetTracker(VOTERS);
      const reference = new ReferenceMajorityReachedHighWatermarkRule(VOTERS, referenceTracker);
      for (const event of eventsOf(drawn)) {
        // As the checker does: a node seen on another disk is forgotten by the tracker first.
        if (event.kind === 'replica-started') {
          tracker.forgetReplica(event.node);
          referenceTracker.forgetReplica(event.node);
        }
        tracker.observe(event);
        referenceTracker.observe(event);
        expect(tracker.dynamic).toBe(referenceTracker.dynamic);
        for (const node of NODES) {
          for (const offset of [event.offset!, event.highWatermark!]) expect(tracker.setAt(node, offset)?.event).toBe(referenceTracker.setAt(node, offset)?.event);
        }
        const found: Violation | null = rule.observe(event);
        expect(found).toEqual(reference.observe(event));
        if (found !== null) violations++;
      }
    }), { seed: 20261202, numRuns: 1_000 });
    // The streams break the rule often enough that the comparison covers its violations.
    expect(violations).toBeGreaterThan(100);
  });

  it('AppliedBeforeAcknowledged, fed only the kinds it reads, with the nodes seen kept beside it', () => {
    let violations = 0;
    fc.assert(fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 80 }), fc.array(writeArbitrary, { maxLength: 12 }), (drawn, drawnWrites) => {
      const seen = new Set<number>();
      const rule = new AppliedBeforeAcknowledgedRule(seen);
      const reference = new ReferenceAppliedBeforeAcknowledgedRule();
      for (const event of eventsOf(drawn)) {
        seen.add(event.node);
        if (rule.kinds.includes(event.kind)) rule.observe(event);
        reference.observe(event);
      }
      const writes = writesOf(drawnWrites);
      const found = rule.judge(writes);
      expect(found).toEqual(reference.judge(writes));
      violations += found.length;
    }), { seed: 20261203, numRuns: 1_000 });
    expect(violations).toBeGreaterThan(100);
  });
});
