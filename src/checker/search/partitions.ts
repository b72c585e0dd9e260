/**
 * P-compositionality (Herlihy & Wing's locality; Horn & Kroening): a history is linearizable iff
 * each independent sub-history is. The model says how to split (`Model.partition`); this module
 * turns each part into a search-ready call list with dense ids 0..n-1 in invocation order, and
 * keeps the way back to the caller's ids so that witnesses name the calls the caller knows.
 */
import type { Call, Model } from '../model.js';

/** The key of the single part when the model does not partition. */
export const WHOLE_HISTORY_PART = 'all';

export interface Part {
  key: string;
  /** The part's calls re-numbered 0..n-1 in invocation order. */
  calls: Call[];
  /** The caller's call for each local id. */
  originals: Call[];
}

export function splitIntoParts(model: Model<unknown>, calls: readonly Call[]): Part[] {
  const groups = model.partition ? model.partition(calls) : new Map([[WHOLE_HISTORY_PART, [...calls]]]);
  const parts: Part[] = [];
  for (const [key, group] of groups) parts.push(renumber(key, group));
  return parts;
}

function renumber(key: string, group: readonly Call[]): Part {
  // Parts usually come in invocation order already: a scan is cheaper than a sort that finds so.
  const originals = isInInvocationOrder(group) ? [...group] : [...group].sort((a, b) => a.invokeIndex - b.invokeIndex);
  const calls = originals.map((call, id) => (call.id === id ? call : withId(call, id)));
  return { key, calls, originals };
}

/** A copy of the call with another id; written out, as a spread costs several times more here. */
function withId(call: Call, id: number): Call {
  return {
    id, process: call.process, f: call.f, input: call.input, output: call.output, outputKnown: call.outputKnown,
    invokeIndex: call.invokeIndex, completeIndex: call.completeIndex, invokeTimeNs: call.invokeTimeNs, completeTimeNs: call.completeTimeNs,
  };
}

function isInInvocationOrder(calls: readonly Call[]): boolean {
  for (let i = 1; i < calls.length; i++) if (calls[i]!.invokeIndex < calls[i - 1]!.invokeIndex) return false;
  return true;
}
