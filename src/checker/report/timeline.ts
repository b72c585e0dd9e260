/**
 * The data behind the HTML failure timeline, computed apart from the markup so it can be tested
 * on its own: which calls of the failing part to show, on which lane (one per process) and between
 * which columns, their place in the longest linearizable prefix, and the model state after each
 * linearized call (found by replaying the prefix through the model).
 *
 * A part may hold tens of thousands of calls; a page shows the neighbourhood of the failure: the
 * failing call, the end of the prefix, and the calls that overlap that stretch of time, nearest
 * first, up to a limit. Columns are the distinct invoke and completion times of the shown calls in
 * order (an ordinal axis): real-time order is what linearizability depends on, and an even spacing
 * keeps short calls readable next to long ones.
 */
import { ILLEGAL, type Call, type Model } from '../model.js';
import type { LinearizabilityFailure, TriedState } from '../verdict.js';
import { describeCallLine, describeCallText } from './explain.js';

export interface TimelineOptions {
  /** Most calls drawn (default 150). */
  callsShownMax?: number;
  /** Most calls at the end of the prefix listed with their states (default 40). */
  prefixShownMax?: number;
}

export interface TimelineCall {
  id: number;
  process: string;
  lane: number;
  startColumn: number;
  /** null: the call never completed (info or open), drawn open-ended. */
  endColumn: number | null;
  /** 1-based position in the longest linearizable prefix; null when not in it. */
  order: number | null;
  failing: boolean;
  outputKnown: boolean;
  /** The model's description of the call ("describe topic orders → 3 partitions"). */
  description: string;
  /** The description with its process and history indices. */
  line: string;
  /** The model state after this call in the prefix; null when not in the prefix or not replayed. */
  stateAfter: string | null;
}

export interface LinearizationStep {
  order: number;
  id: number;
  description: string;
  stateAfter: string | null;
}

export interface Timeline {
  partition: string;
  callsInPart: number;
  calls: TimelineCall[];
  lanes: string[];
  columns: number;
  prefixLength: number;
  /** The end of the prefix, in order, with the state after each call. */
  linearization: LinearizationStep[];
  initialState: string | null;
  failingCallId: number;
  triedStates: TriedState[];
  /** Set when replaying the prefix through the model did not work (states are then missing). */
  replayProblem?: string;
}

export function buildTimeline(
  failure: LinearizabilityFailure,
  model?: Model<unknown>,
  options: TimelineOptions = {},
): Timeline {
  const callsShownMax = Math.max(1, options.callsShownMax ?? 150);
  const prefixShownMax = Math.max(0, options.prefixShownMax ?? 40);
  const byId = new Map(failure.calls.map((call) => [call.id, call]));
  const orderOf = new Map(failure.longestPrefix.map((id, position) => [id, position + 1]));
  const tailIds = failure.longestPrefix.slice(Math.max(0, failure.longestPrefix.length - prefixShownMax));
  const shown = chooseShownCalls(failure, byId, tailIds, callsShownMax);
  const replay = replayPrefix(failure, byId, model, new Set([...tailIds, ...shown.map((call) => call.id)]));
  const lanes = [...new Set(shown.map((call) => String(call.process)))].sort(compareProcesses);
  const columnOf = columnsFor(shown);
  const calls = shown.map((call): TimelineCall => ({
    id: call.id,
    process: String(call.process),
    lane: lanes.indexOf(String(call.process)),
    startColumn: columnOf.get(call.invokeTimeNs) ?? 0,
    endColumn: Number.isFinite(call.completeTimeNs) ? (columnOf.get(call.completeTimeNs) ?? 0) : null,
    order: orderOf.get(call.id) ?? null,
    failing: call.id === failure.failingCall.id,
    outputKnown: call.outputKnown,
    description: describeCallText(call, model),
    line: describeCallLine(call, model),
    stateAfter: replay.statesAfter.get(call.id) ?? null,
  }));
  const linearization = tailIds.flatMap((id): LinearizationStep[] => {
    const call = byId.get(id);
    if (call === undefined) return [];
    return [{ order: orderOf.get(id) ?? 0, id, description: describeCallText(call, model), stateAfter: replay.statesAfter.get(id) ?? null }];
  });
  const timeline: Timeline = {
    partition: failure.partition,
    callsInPart: failure.calls.length,
    calls,
    lanes,
    columns: columnOf.size,
    prefixLength: failure.longestPrefix.length,
    linearization,
    initialState: model === undefined ? null : model.describeState(model.init()),
    failingCallId: failure.failingCall.id,
    triedStates: failure.triedStates,
  };
  if (replay.problem !== undefined) timeline.replayProblem = replay.problem;
  return timeline;
}

/** The failing call, the end of the prefix, then whatever overlaps that stretch, nearest first. */
function chooseShownCalls(
  failure: LinearizabilityFailure,
  byId: ReadonlyMap<number, Call>,
  tailIds: readonly number[],
  callsShownMax: number,
): Call[] {
  const failing = failure.failingCall;
  const chosen = new Map<number, Call>([[failing.id, byId.get(failing.id) ?? failing]]);
  for (let i = tailIds.length - 1; i >= 0 && chosen.size < callsShownMax; i--) {
    const call = byId.get(tailIds[i] ?? -1);
    if (call !== undefined) chosen.set(call.id, call);
  }
  const windowStartNs = Math.min(failing.invokeTimeNs, ...[...chosen.values()].map((call) => call.invokeTimeNs));
  const windowEndNs = Number.isFinite(failing.completeTimeNs) ? failing.completeTimeNs : Infinity;
  const overlapping = failure.calls
    .filter((call) => !chosen.has(call.id) && call.invokeTimeNs <= windowEndNs && call.completeTimeNs >= windowStartNs)
    .sort((a, b) => Math.abs(a.invokeTimeNs - failing.invokeTimeNs) - Math.abs(b.invokeTimeNs - failing.invokeTimeNs));
  for (const call of overlapping) {
    if (chosen.size >= callsShownMax) break;
    chosen.set(call.id, call);
  }
  return [...chosen.values()].sort((a, b) => a.invokeIndex - b.invokeIndex);
}

function columnsFor(calls: readonly Call[]): Map<number, number> {
  const times = new Set<number>();
  for (const call of calls) {
    times.add(call.invokeTimeNs);
    if (Number.isFinite(call.completeTimeNs)) times.add(call.completeTimeNs);
  }
  return new Map([...times].sort((a, b) => a - b).map((timeNs, column) => [timeNs, column]));
}

interface Replay {
  statesAfter: Map<number, string>;
  problem?: string;
}

/** Steps the prefix through the model from its initial state, describing the states asked for. */
function replayPrefix(
  failure: LinearizabilityFailure,
  byId: ReadonlyMap<number, Call>,
  model: Model<unknown> | undefined,
  wanted: ReadonlySet<number>,
): Replay {
  const statesAfter = new Map<number, string>();
  if (model === undefined) return { statesAfter, problem: 'no model was given, so states are not shown' };
  try {
    let state = model.init();
    for (const id of failure.longestPrefix) {
      const call = byId.get(id);
      if (call === undefined) return { statesAfter, problem: `the prefix names call ${id}, which is not in the part` };
      const next = model.step(state, call);
      if (next === ILLEGAL) return { statesAfter, problem: `replaying the prefix, ${model.describeCall(call)} was illegal` };
      state = next;
      if (wanted.has(id)) statesAfter.set(id, model.describeState(state));
    }
    return { statesAfter };
  } catch (error) {
    return { statesAfter, problem: `replaying the prefix failed: ${(error as Error).message}` };
  }
}

function compareProcesses(a: string, b: string): number {
  const numberA = Number(a);
  const numberB = Number(b);
  const aIsNumber = a !== '' && Number.isFinite(numberA);
  const bIsNumber = b !== '' && Number.isFinite(numberB);
  if (aIsNumber && bIsNumber) return numberA - numberB;
  if (aIsNumber !== bIsNumber) return aIsNumber ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
