/**
 * The checker hands each event only to the rules that name its kind (EventRule.kinds). A rule
 * that names too few kinds would silently stop judging: random event streams, judged once with
 * that dispatch and once with every rule seeing every event, must give the same violations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantChecker, kindMaskOf } from '../../../src/checker/invariants/invariant-checker.js';
import { INVARIANT_RULES } from '../../../src/checker/invariants/violation.js';
import type { NodeEvent, NodeEventKind, RaftStateName } from '../../../src/history/node-event.js';

const KINDS: NodeEventKind[] = [
  'epoch-changed', 'vote-granted', 'became-leader', 'high-watermark', 'committed', 'snapshot', 'snapshot-loaded',
  'log-truncated', 'log-flushed', 'restarted', 'broker-fenced', 'broker-unfenced', 'voters-changed', 'replica-started',
];
const STATES: RaftStateName[] = ['unattached', 'prospective', 'candidate', 'leader', 'follower', 'resigned'];
const VOTERS = [1, 2, 3];

const eventArbitrary = fc.record({
  node: fc.integer({ min: 1, max: 4 }),
  kind: fc.constantFrom(...KINDS),
  epoch: fc.integer({ min: 0, max: 4 }),
  state: fc.constantFrom(...STATES),
  leaderId: fc.option(fc.integer({ min: 1, max: 3 })),
  votedFor: fc.option(fc.integer({ min: 1, max: 3 })),
  offset: fc.integer({ min: 0, max: 6 }),
  recordEpoch: fc.integer({ min: 0, max: 4 }),
  highWatermark: fc.integer({ min: 0, max: 6 }),
  logStartOffset: fc.integer({ min: 0, max: 6 }),
  digest: fc.constantFrom('a', 'b'),
  voters: fc.constantFrom(['1', '2', '3'], ['1', '2'], ['1', '2', '3', '4']),
  directoryId: fc.constantFrom('d1', 'd2'),
});

/** The checker's dispatch: each rule's mask of the kinds it is asked about. */
function kindMasks(checker: InvariantChecker): Record<string, number> {
  return (checker as unknown as { kindMasks: Record<string, number> }).kindMasks;
}

/** A checker whose every rule sees every event (the dispatch before EventRule.kinds). */
function everyRuleChecker(): InvariantChecker {
  const checker = new InvariantChecker({ voters: VOTERS });
  const masks = kindMasks(checker);
  for (const rule of Object.keys(masks)) if (masks[rule] !== 0) masks[rule] = kindMaskOf(undefined);
  return checker;
}

describe('invariant rules see every event kind they read', () => {
  it('the reference asks every rule about every kind, and the checker asks each only about its own', () => {
    // NoAcknowledgedWriteLost reads no events: it is judged at the end, from what was committed.
    const eventRules = INVARIANT_RULES.filter((rule) => rule !== 'NoAcknowledgedWriteLost');
    const every = kindMasks(everyRuleChecker());
    const dispatched = kindMasks(new InvariantChecker({ voters: VOTERS }));
    for (const kind of KINDS) {
      expect(eventRules.filter((rule) => (every[rule]! & kindMaskOf([kind])) === 0)).toEqual([]);
    }
    expect(dispatched.SingleLeader).toBe(kindMaskOf(['became-leader', 'epoch-changed']));
    expect(dispatched.SingleLeader! & kindMaskOf(['committed'])).toBe(0);
    expect(dispatched.NoAcknowledgedWriteLost).toBe(0);
  });

  it('gives the same violations as every rule seeing every event', () => {
    fc.assert(fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 60 }), (drawn) => {
      const events: NodeEvent[] = drawn.map((event, index) => ({ ...event, voters: [...event.voters], timeNs: index * 1_000 }));
      const dispatched = new InvariantChecker({ voters: VOTERS });
      const reference = everyRuleChecker();
      for (const event of events) {
        expect(dispatched.observe(event)).toEqual(reference.observe(event));
      }
      expect(dispatched.finish([])).toEqual(reference.finish([]));
    }), { seed: 20261201, numRuns: 2_000 });
  });

  it('the reference really differs from the dispatch when a rule names too few kinds', () => {
    // The same comparison with SingleLeader told it reads only became-leader: epoch-changed
    // events naming another leader go unjudged, and some stream shows it.
    const found = fc.check(fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 60 }), (drawn) => {
      const events: NodeEvent[] = drawn.map((event, index) => ({ ...event, voters: [...event.voters], timeNs: index * 1_000 }));
      const narrowed = new InvariantChecker({ voters: VOTERS });
      kindMasks(narrowed).SingleLeader = kindMaskOf(['became-leader']);
      const reference = everyRuleChecker();
      for (const event of events) {
        narrowed.observe(event);
        reference.observe(event);
      }
      return JSON.stringify(narrowed.finish([])) === JSON.stringify(reference.finish([]));
    }), { seed: 20261201, numRuns: 2_000 });
    expect(found.failed).toBe(true);
  });
});
