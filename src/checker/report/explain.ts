/**
 * The failure report in words: a few lines a person can read in a terminal, saying which part of
 * the history failed, how far a linearization got (the end of the longest linearizable prefix, as
 * described calls), the call that could not follow, and each state it was tried against with the
 * model's reason. Valid and unknown results get one line each.
 */
import type { Call, Model } from '../model.js';
import type { CheckResult, LinearizabilityFailure } from '../verdict.js';

export interface ExplainOptions {
  /** How many calls at the end of the longest prefix to show (default 8). */
  prefixCallsMax?: number;
  /** How many tried states to show (default 4). */
  triedStatesMax?: number;
}

/** One line: the verdict with its counts, or its cause. */
export function summarizeResult(result: CheckResult): string {
  const counts = `${result.calls} call${result.calls === 1 ? '' : 's'} in ${result.partitions} part${result.partitions === 1 ? '' : 's'}`;
  const checked = `model ${result.model}, ${counts}, ${Math.round(result.elapsedMs)} ms`;
  switch (result.verdict) {
    case 'valid':
      return `valid: the history is linearizable (${checked})`;
    case 'invalid':
      return `invalid: the history is not linearizable (${checked})`;
    case 'unknown':
      return `unknown: ${result.cause ?? 'no cause given'} (${checked})`;
  }
}

/** The summary line, followed for an invalid result by the explanation of its failure. */
export function explainResult(result: CheckResult, model?: Model<unknown>, options: ExplainOptions = {}): string {
  const summary = summarizeResult(result);
  if (result.verdict !== 'invalid' || result.failure === undefined) return `${summary}\n`;
  return `${summary}\n${explainFailure(result.failure, model, options)}`;
}

export function explainFailure(failure: LinearizabilityFailure, model?: Model<unknown>, options: ExplainOptions = {}): string {
  const prefixCallsMax = options.prefixCallsMax ?? 8;
  const triedStatesMax = options.triedStatesMax ?? 4;
  const describe = (call: Call): string => describeCallLine(call, model);
  const byId = new Map(failure.calls.map((call) => [call.id, call]));
  const lines: string[] = [];
  lines.push(`part ${failure.partition} (${failure.calls.length} calls) is not linearizable.`);

  const prefix = failure.longestPrefix;
  const shownFrom = Math.max(0, prefix.length - prefixCallsMax);
  if (prefix.length === 0) {
    lines.push('No call could be linearized first.');
  } else {
    const which = shownFrom === 0 ? '' : `; the last ${prefix.length - shownFrom} shown`;
    lines.push(`The longest linearizable prefix has ${prefix.length} call${prefix.length === 1 ? '' : 's'}${which}:`);
    for (let position = shownFrom; position < prefix.length; position++) {
      const id = prefix[position];
      const call = id === undefined ? undefined : byId.get(id);
      lines.push(`  ${String(position + 1).padStart(String(prefix.length).length)}. ${call === undefined ? `call ${String(id)} (not in the part)` : describe(call)}`);
    }
  }
  lines.push(`It could not be followed by: ${describe(failure.failingCall)}`);

  const tried = failure.triedStates;
  if (tried.length === 0) {
    lines.push('No state was recorded for it.');
  } else {
    lines.push(`Tried against ${tried.length} state${tried.length === 1 ? '' : 's'}:`);
    for (const { state, reason } of tried.slice(0, triedStatesMax)) lines.push(`  - in state ${state}: ${reason}`);
    if (tried.length > triedStatesMax) lines.push(`  … and ${tried.length - triedStatesMax} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** "process 3, history index 41..44: describe topic orders → 5 partitions". */
export function describeCallLine(call: Call, model?: Model<unknown>): string {
  const completion = call.completeIndex === null ? 'never completed' : String(call.completeIndex);
  const where = call.outputKnown ? `${call.invokeIndex}..${completion}` : `${call.invokeIndex}.. (${completion === 'never completed' ? completion : 'info'})`;
  return `process ${String(call.process)}, history index ${where}: ${describeCallText(call, model)}`;
}

/** The model's description of a call, or a plain one when no model is at hand. */
export function describeCallText(call: Call, model?: Model<unknown>): string {
  if (model !== undefined) return model.describeCall(call);
  const output = call.outputKnown ? JSON.stringify(call.output) : '? (outcome unknown)';
  return `${call.f} ${JSON.stringify(call.input)} → ${output}`;
}
