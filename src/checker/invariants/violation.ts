/**
 * What a broken Raft invariant looks like: a value naming the rule, the events that together break
 * it (in the order they were observed), and a sentence a person can act on.
 */
import { nodeEventJson, type NodeEvent, type NodeEventKind } from '../../history/node-event.js';
import type { Operation } from '../../history/operation.js';

export const INVARIANT_RULES = [
  'SingleLeader',
  'SingleVote',
  'MonotonicEpoch',
  'MonotonicHighWatermark',
  'MajorityReachedHighWatermark',
  'AtMostOneUncommittedVoterSet',
  'SnapshotAtLogStart',
  'LeaderNeverLoadSnapshot',
  'LeaderCommitsOwnEpoch',
  'CheckQuorum',
  'StableLeadership',
  'ConsistentCommittedData',
  'NoAcknowledgedWriteLost',
  'AppliedBeforeAcknowledged',
] as const;
export type InvariantRule = (typeof INVARIANT_RULES)[number];

export interface Violation {
  rule: InvariantRule;
  message: string;
  /** The events that together break the rule, earliest first. */
  events: NodeEvent[];
  /** For NoAcknowledgedWriteLost and AppliedBeforeAcknowledged: the client's `ok` operation that acknowledged the write. */
  operation?: Operation;
}

/** One rule judged event by event. Rules keep O(1)-ish state per event (maps keyed by node/epoch/offset). */
export interface EventRule {
  readonly rule: InvariantRule;
  /**
   * The event kinds the rule reads (it returns null for every other kind, and keeps no state
   * from them); absent: every kind. The checker calls a rule only with these, since a run has
   * hundreds of thousands of events and most rules read a few kinds.
   */
  readonly kinds?: readonly NodeEventKind[];
  observe(event: NodeEvent): Violation | null;
  /**
   * The node now runs on a replaced, empty disk (a new directory id): it is a new replica, and
   * what the rule remembered of its durable state (epoch, vote, high watermark) no longer holds.
   */
  forgetReplica?(node: number): void;
}

export function describeViolation(violation: Violation): string {
  const events = violation.events.map((event) => `    ${nodeEventJson(event)}`).join('\n');
  const operation = violation.operation === undefined ? '' : `\n    operation ${JSON.stringify(violation.operation)}`;
  return `${violation.rule}: ${violation.message}${events === '' ? '' : `\n${events}`}${operation}`;
}
