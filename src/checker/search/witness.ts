/**
 * Turns a failed search into a witness a person can read: the longest linearizable prefix found,
 * the call that could not follow it, and each state it was tried against with the model's reason.
 *
 * The failing call after a prefix is the call with a known output, not in the prefix, that returns
 * first: the search had to linearize it before its return and could not. (Were it legal after a
 * longest prefix, prefix + call would be longer still, so each longest prefix ends where that call
 * is illegal or where no order of the calls before it is.)
 */
import { ILLEGAL, type Call, type Model } from '../model.js';
import type { LinearizabilityFailure, TriedState } from '../verdict.js';
import type { PrefixSnapshot } from './wgl.js';

export function buildFailure<S>(
  model: Model<S>,
  partition: string,
  calls: readonly Call[],
  longestPrefixes: readonly PrefixSnapshot<S>[],
): LinearizabilityFailure {
  const first = longestPrefixes[0];
  if (first === undefined) throw new Error('a failed search must report at least one prefix');
  const failingCall = firstUnlinearizedReturn(calls, first.callIds);
  const triedStates: TriedState[] = [];
  for (const prefix of longestPrefixes) {
    if (firstUnlinearizedReturn(calls, prefix.callIds) !== failingCall) continue;
    triedStates.push({ state: model.describeState(prefix.state), reason: reasonFor(model, prefix.state, failingCall) });
  }
  return { partition, calls: [...calls], longestPrefix: [...first.callIds], failingCall, triedStates };
}

function firstUnlinearizedReturn(calls: readonly Call[], prefix: readonly number[]): Call {
  const linearized = new Set(prefix);
  let failing: Call | undefined;
  for (const call of calls) {
    if (!call.outputKnown || linearized.has(call.id)) continue;
    if (failing === undefined || call.completeIndex! < failing.completeIndex!) failing = call;
  }
  if (failing === undefined) throw new Error('a failed search left no call with a known output unlinearized');
  return failing;
}

function reasonFor<S>(model: Model<S>, state: S, call: Call): string {
  if (model.step(state, call) !== ILLEGAL) {
    return `${model.describeCall(call)} is legal here, but no order of the calls that overlap it completes the history`;
  }
  return model.explainIllegal?.(state, call) ?? `${model.describeCall(call)} is illegal in this state`;
}
