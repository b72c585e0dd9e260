/**
 * The event sources a system's observed invariants are judged on (checker/invariants/
 * observed-invariants.ts takes them as they are): the events read from each voter's output, and
 * the polled DescribeQuorum answers, each with the rules its scope gives it. The run and the
 * comparison both build their sources here.
 */
import type { NodeEvent } from '../../history/node-event.js';
import { describeQuorumEvents, type DescribeQuorumAnswer } from './kafka/describe-quorum-poll.js';
import type { ObservedInvariantScope } from './system-adapter.js';

export interface ObservedEventSource {
  how: string;
  rules: readonly string[];
  streams: readonly (readonly NodeEvent[])[];
}

/** `outputEvents`: one stream per voter, or null when not read; `answers`: null when not polled. */
export function observedSources(
  scope: ObservedInvariantScope, outputEvents: readonly (readonly NodeEvent[])[] | null, answers: readonly DescribeQuorumAnswer[] | null,
): ObservedEventSource[] {
  const sources: ObservedEventSource[] = [];
  if (scope.fromOutput !== undefined && outputEvents !== null) sources.push({ ...scope.fromOutput, streams: outputEvents });
  if (scope.fromDescribeQuorum !== undefined && answers !== null) {
    sources.push({ ...scope.fromDescribeQuorum, streams: describeQuorumEvents(answers) });
  }
  return sources;
}
