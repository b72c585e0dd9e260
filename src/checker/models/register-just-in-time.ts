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
import { hashValue, valuesEqual } from './value-hash.js';
import { expectedValue, hasValue, isObserved, type CallsByHash, type RegisterCallReader, type RegisterIndex } from './register-index.js';

export function registerJustInTime(
  reader: RegisterCallReader, indexOf: (calls: readonly Call[]) => RegisterIndex,
): (unknownCall: Call, calls: readonly Call[]) => JustInTimePromise | undefined {
  return (unknownCall, calls) => {
    const index = indexOf(calls);
    if (unknownCall.f === 'write') {
      const value = reader.input(unknownCall) ?? null;
      // Writes of values nobody sees have the same targets (every failed cas): computed once. Such
      // a value has no reads, no cas from it and so no chain: its fixed targets are none.
      return isObserved(index, value, reader)
        ? new WritePromise(reader, index, value, chainTargets(reader, index, value, undefined), undefined)
        : new WritePromise(reader, index, value, NO_TARGETS, UNOBSERVED_WRITE);
    }
    if (unknownCall.f === 'cas') {
      const pair = reader.input(unknownCall);
      if (!Array.isArray(pair) || pair.length !== 2) return undefined; // the step will say what is wrong
      const [expected, next] = [pair[0] ?? null, pair[1] ?? null];
      if (valuesEqual(expected, next)) return undefined; // never changes the state: the search prunes it
      // Cas from the same value to values nobody sees have the same targets: the failed cas from it.
      const key = isObserved(index, next, reader) ? undefined : unobservedCasKey(expected);
      return new CasPromise(chainTargets(reader, index, next, expected), key);
    }
    return undefined;
  };
}

const UNOBSERVED_WRITE = 'write of an unobserved value';
const NO_TARGETS: ReadonlySet<number> = new Set();

function unobservedCasKey(expected: unknown): string | undefined {
  try {
    return `cas from ${JSON.stringify(expected)} to an unobserved value`;
  } catch {
    return undefined;
  }
}

/**
 * A timed-out write's promise. Classes rather than objects of closures: there is one per
 * timed-out call, and a closure each was a measurable share of the set-up.
 */
class WritePromise implements JustInTimePromise {
  constructor(
    private readonly reader: RegisterCallReader,
    private readonly index: RegisterIndex,
    private readonly value: unknown,
    /** Everything but the failed cas that only the state before the write decides. */
    private readonly fixed: ReadonlySet<number>,
    readonly targetsKey: string | undefined,
  ) {}

  isTarget(next: Call): boolean {
    return this.fixed.has(next.id) || (next.outputKnown && this.isFailedCas(next) && !valuesEqual(this.expectedOf(next), this.value));
  }

  targetIds(): Int32Array {
    return sortedIds(this.fixed);
  }

  /**
   * Every failed cas, in an array all writes share (a merged copy per write was most of the
   * promises' allocation); those expecting the value written are no targets, as observesIn says.
   */
  sharedTargetIds(): Int32Array {
    return failedCasIds(this.index);
  }

  observesIn(next: Call, state: unknown): boolean {
    if (this.fixed.has(next.id) || !this.isFailedCas(next)) return true;
    const expected = this.expectedOf(next);
    return valuesEqual(expected, state) && !valuesEqual(expected, this.value);
  }

  private isFailedCas(next: Call): boolean {
    return next.f === 'cas' && this.reader.output(next) === false;
  }

  private expectedOf(next: Call): unknown {
    return (this.reader.input(next) as unknown[])[0] ?? null;
  }
}

/** A timed-out cas's promise: its targets are known from the calls alone. */
class CasPromise implements JustInTimePromise {
  constructor(private readonly targets: ReadonlySet<number>, readonly targetsKey: string | undefined) {}

  isTarget(next: Call): boolean {
    return this.targets.has(next.id);
  }

  targetIds(): Int32Array {
    return sortedIds(this.targets);
  }
}

/**
 * The ids of the targets of a call that sets the register to `value` from `before` (undefined:
 * not known from the calls, then failed cas are left to observesIn), with those of the unknown cas
 * chained after it.
 */
function chainTargets(reader: RegisterCallReader, index: RegisterIndex, value: unknown, before: unknown): Set<number> {
  const targets = new Set<number>();
  let chained: Set<number> | undefined;
  // Pairs (value set, value before) back to back; no closures: this runs once per timed-out call.
  const queue: unknown[] = [value, before];
  while (queue.length > 0) {
    const from = queue.pop();
    const set = queue.pop();
    addSameValue(targets, index.readsOf, set, reader, false);
    addSameValue(targets, index.appliedCasFrom, set, reader, true);
    if (from !== undefined) addSameValue(targets, index.failedCasFrom, from, reader, true);
    const unknown = index.unknownCasFrom.get(hashValue(set));
    if (unknown === undefined) continue;
    for (const cas of Array.isArray(unknown) ? unknown : [unknown]) {
      if (!valuesEqual(expectedValue(reader, cas) ?? null, set)) continue;
      const next = (reader.input(cas) as unknown[])[1] ?? null;
      chained ??= new Set();
      if (chained.has(cas.id) || valuesEqual(next, set)) continue;
      chained.add(cas.id);
      queue.push(next, set);
    }
  }
  return targets;
}

/** Adds the ids of the calls filed under `value` whose value (answer, or expected one) equals it. */
function addSameValue(targets: Set<number>, map: CallsByHash, value: unknown, reader: RegisterCallReader, byExpected: boolean): void {
  const filed = map.get(hashValue(value));
  if (filed === undefined) return;
  if (!Array.isArray(filed)) {
    if (hasValue(filed, value, reader, byExpected)) targets.add(filed.id);
    return;
  }
  for (const call of filed) if (hasValue(call, value, reader, byExpected)) targets.add(call.id);
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

/** The ids in ascending order (filled by a loop: Int32Array.from a set goes through an iterator). */
function sortedIds(ids: ReadonlySet<number>): Int32Array {
  const sorted = new Int32Array(ids.size);
  let at = 0;
  for (const id of ids) sorted[at++] = id;
  return sorted.sort();
}

