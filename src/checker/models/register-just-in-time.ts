/**
 * The register models' just-in-time promise (search/just-in-time.ts): a timed-out write or cas is
 * tried only right before a call that can tell it happened.
 *
 * Why: a call of unknown outcome stays open to the end of the history, so plain WGL tries every
 * timed-out write at every dead end after its invocation, and chains of them (one timed-out write
 * after another, each a new state) multiply: the states explored grow exponentially with the
 * timed-out writes open at once. On etcd-shaped histories (3,000 calls per key, 1-2 % timed out)
 * that took one key from milliseconds to tens of seconds.
 *
 * The promise, for an unknown call `u` that sets the register to `v` (a write of v, or a cas
 * e→v, which is legal only from e): its targets are the calls of known outcome that observe v,
 * - a read answering v (unless the model reads nil as a wildcard and v is nil: such a read is
 *   legal anywhere and commutes with everything);
 * - a cas that applied expecting v;
 * - a cas answered "compare failed" expecting e' ≠ v, when the register holds e' before u (u
 *   makes it legal): for a cas u the state before it is its expected value, so this is known
 *   from the calls alone; for a write u it depends on the state, so those targets are narrowed by
 *   `observesIn`;
 * - and, through chains, the targets of every unknown cas expecting v (which needs u before it):
 *   for such a cas v→n, its own targets as above with n for v and v as the state before it.
 * Every other call c, whenever u·c is legal from a state u changes, commutes with u (c·u is
 * legal and ends in the same state) or absorbs it (c alone is legal and ends in the same state):
 * a write (known or not) absorbs it; a read of another value or a cas expecting another value
 * cannot follow u at all; a failed cas expecting something the state before u does not hold
 * commutes with it, as does a read of unknown outcome. An unknown cas expecting v is the one call
 * that neither commutes nor absorbs, which is why its targets are u's.
 *
 * Then any linearization can be rewritten so that each such u is followed, after a run of calls
 * of unknown outcome, by one of its targets: take the last u that is not, and move it later. A
 * call after it that commutes is swapped with it; one that absorbs it, or a state u no longer
 * changes, or the end of the history, drops it; an unknown cas expecting v is itself followed
 * (it was rewritten first) by a run ending at one of its targets, which are u's. In the rewritten
 * linearization, when the search is about to place u, that target is a candidate (only calls of
 * unknown outcome, which have no returns, stand between), so trying u only at such nodes loses
 * nothing.
 */
import type { Call } from '../model.js';
import type { JustInTimePromise } from '../search/just-in-time.js';
import { valuesEqual } from './value-hash.js';
import { expectedValue, forSameValue, isObserved, type RegisterCallReader, type RegisterIndex } from './register-index.js';

export function registerJustInTime(
  reader: RegisterCallReader, indexOf: (calls: readonly Call[]) => RegisterIndex,
): (unknownCall: Call, calls: readonly Call[]) => JustInTimePromise | undefined {
  return (unknownCall, calls) => {
    if (unknownCall.f === 'write') {
      const value = reader.input(unknownCall) ?? null;
      const promise = writePromise(reader, indexOf(calls), value);
      // Writes of values nobody sees have the same targets (every failed cas): computed once.
      return isObserved(indexOf(calls), value, reader) ? promise : { ...promise, targetsKey: UNOBSERVED_WRITE };
    }
    if (unknownCall.f === 'cas') {
      const pair = reader.input(unknownCall);
      if (!Array.isArray(pair) || pair.length !== 2) return undefined; // the step will say what is wrong
      const [expected, next] = [pair[0] ?? null, pair[1] ?? null];
      if (valuesEqual(expected, next)) return undefined; // never changes the state: the search prunes it
      const targets = chainTargets(reader, indexOf(calls), next, expected);
      const promise = { isTarget: setTest(targets), targetIds: () => sortedIds(targets) };
      // Cas from the same value to values nobody sees have the same targets: the failed cas from it.
      const key = isObserved(indexOf(calls), next, reader) ? undefined : unobservedCasKey(expected);
      return key === undefined ? promise : { ...promise, targetsKey: key };
    }
    return undefined;
  };
}

const UNOBSERVED_WRITE = 'write of an unobserved value';

function unobservedCasKey(expected: unknown): string | undefined {
  try {
    return `cas from ${JSON.stringify(expected)} to an unobserved value`;
  } catch {
    return undefined;
  }
}

function writePromise(reader: RegisterCallReader, index: RegisterIndex, value: unknown): JustInTimePromise {
  // Everything but the failed cas that only the state before the write decides.
  const fixed = chainTargets(reader, index, value, undefined);
  const isFailedCas = (next: Call): boolean => next.f === 'cas' && reader.output(next) === false;
  const expectedOf = (next: Call): unknown => (reader.input(next) as unknown[])[0] ?? null;
  const isTarget = (next: Call): boolean =>
    fixed.has(next.id) || (next.outputKnown && isFailedCas(next) && !valuesEqual(expectedOf(next), value));
  return {
    isTarget,
    // The fixed targets and the failed cas not expecting the value written (in id order already),
    // merged without a scan of every call.
    targetIds: () => {
      const expectingValue = new Set<number>();
      forSameValue(index.failedCasFrom, value, (cas) => expectedValue(reader, cas), (cas) => void expectingValue.add(cas.id));
      return mergeIds(sortedIds(fixed), failedCasIds(index), expectingValue);
    },
    observesIn: (next, state) => fixed.has(next.id) || !isFailedCas(next) || valuesEqual(expectedOf(next), state),
  };
}

/**
 * The ids of the targets of a call that sets the register to `value` from `before` (undefined:
 * not known from the calls, then failed cas are left to observesIn), with those of the unknown cas
 * chained after it.
 */
function chainTargets(reader: RegisterCallReader, index: RegisterIndex, value: unknown, before: unknown): Set<number> {
  const targets = new Set<number>();
  const chained = new Set<number>();
  const queue: [unknown, unknown][] = [[value, before]];
  const add = (call: Call): void => void targets.add(call.id);
  const output = (call: Call): unknown => reader.output(call);
  const expected = (call: Call): unknown => expectedValue(reader, call);
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
    const [set, from] = item;
    forSameValue(index.readsOf, set, output, add);
    forSameValue(index.appliedCasFrom, set, expected, add);
    if (from !== undefined) forSameValue(index.failedCasFrom, from, expected, add);
    forSameValue(index.unknownCasFrom, set, expected, (cas) => {
      const next = (reader.input(cas) as unknown[])[1] ?? null;
      if (chained.has(cas.id) || valuesEqual(next, set)) return;
      chained.add(cas.id);
      queue.push([next, set]);
    });
  }
  return targets;
}

/** The ids of `sorted` and those of `inOrder` not in `left out`, both ascending, without repeats. */
function mergeIds(sorted: Int32Array, inOrder: Int32Array, leftOut: ReadonlySet<number>): Int32Array {
  const merged = new Int32Array(sorted.length + inOrder.length);
  let length = 0;
  let at = 0;
  for (let i = 0; i < inOrder.length; i++) {
    const id = inOrder[i]!;
    if (leftOut.size > 0 && leftOut.has(id)) continue;
    while (at < sorted.length && sorted[at]! < id) merged[length++] = sorted[at++]!;
    if (at < sorted.length && sorted[at] === id) at++;
    merged[length++] = id;
  }
  while (at < sorted.length) merged[length++] = sorted[at++]!;
  return merged.subarray(0, length);
}

/** The ids of every failed cas of the history, ascending, made once per index. */
const failedCasIdsOf = new WeakMap<RegisterIndex, Int32Array>();
function failedCasIds(index: RegisterIndex): Int32Array {
  let ids = failedCasIdsOf.get(index);
  if (ids === undefined) {
    ids = Int32Array.from(index.failedCas, (cas) => cas.id);
    failedCasIdsOf.set(index, ids);
  }
  return ids;
}

function sortedIds(ids: ReadonlySet<number>): Int32Array {
  return Int32Array.from(ids).sort();
}

/** A target test from a set of call ids. */
function setTest(ids: ReadonlySet<number>): (next: Call) => boolean {
  return (next) => ids.has(next.id);
}
