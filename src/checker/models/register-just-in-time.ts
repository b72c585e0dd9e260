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

/** How a register model reads its calls' values (plain, or inside [key, value] pairs). */
export interface RegisterCallReader {
  /** The register value a call was invoked with: write v, cas [expected, new]. */
  input(call: Call): unknown;
  /** The register value a call answered (read: the value; cas: false when the compare failed). */
  output(call: Call): unknown;
  nilReadIsWildcard: boolean;
}

/** The calls of one history by the values they observe, built once per history. */
interface RegisterIndex {
  /** Known reads that constrain the value, by the hash of the value read. */
  readsOf: Map<number, Call[]>;
  /** Known cas that applied, by the hash of their expected value. */
  appliedCasFrom: Map<number, Call[]>;
  /** Known cas answered "compare failed", by the hash of their expected value. */
  failedCasFrom: Map<number, Call[]>;
  /** Unknown cas, by the hash of their expected value. */
  unknownCasFrom: Map<number, Call[]>;
}

export function registerJustInTime(reader: RegisterCallReader): (unknownCall: Call, calls: readonly Call[]) => JustInTimePromise | undefined {
  const indexes = new WeakMap<readonly Call[], RegisterIndex>();
  const indexOf = (calls: readonly Call[]): RegisterIndex => {
    let index = indexes.get(calls);
    if (index === undefined) {
      index = buildIndex(reader, calls);
      indexes.set(calls, index);
    }
    return index;
  };
  return (unknownCall, calls) => {
    if (unknownCall.f === 'write') {
      const value = reader.input(unknownCall) ?? null;
      return writePromise(reader, indexOf(calls), value);
    }
    if (unknownCall.f === 'cas') {
      const pair = reader.input(unknownCall);
      if (!Array.isArray(pair) || pair.length !== 2) return undefined; // the step will say what is wrong
      const [expected, next] = [pair[0] ?? null, pair[1] ?? null];
      if (valuesEqual(expected, next)) return undefined; // never changes the state: the search prunes it
      return { isTarget: setTest(chainTargets(reader, indexOf(calls), next, expected)) };
    }
    return undefined;
  };
}

function writePromise(reader: RegisterCallReader, index: RegisterIndex, value: unknown): JustInTimePromise {
  // Everything but the failed cas that only the state before the write decides.
  const fixed = chainTargets(reader, index, value, undefined);
  const isFailedCas = (next: Call): boolean => next.f === 'cas' && reader.output(next) === false;
  const expectedOf = (next: Call): unknown => (reader.input(next) as unknown[])[0] ?? null;
  return {
    isTarget: (next) => fixed.has(next.id) || (next.outputKnown && isFailedCas(next) && !valuesEqual(expectedOf(next), value)),
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
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
    const [set, from] = item;
    for (const read of sameValue(index.readsOf, set, (call) => reader.output(call))) targets.add(read.id);
    for (const cas of sameValue(index.appliedCasFrom, set, (call) => expectedValue(reader, call))) targets.add(cas.id);
    if (from !== undefined) {
      for (const cas of sameValue(index.failedCasFrom, from, (call) => expectedValue(reader, call))) targets.add(cas.id);
    }
    for (const cas of sameValue(index.unknownCasFrom, set, (call) => expectedValue(reader, call))) {
      const next = (reader.input(cas) as unknown[])[1] ?? null;
      if (chained.has(cas.id) || valuesEqual(next, set)) continue;
      chained.add(cas.id);
      queue.push([next, set]);
    }
  }
  return targets;
}

function buildIndex(reader: RegisterCallReader, calls: readonly Call[]): RegisterIndex {
  const index: RegisterIndex = { readsOf: new Map(), appliedCasFrom: new Map(), failedCasFrom: new Map(), unknownCasFrom: new Map() };
  const add = (map: Map<number, Call[]>, value: unknown, call: Call): void => {
    const hash = hashValue(value);
    const list = map.get(hash);
    if (list === undefined) map.set(hash, [call]);
    else list.push(call);
  };
  for (const call of calls) {
    if (call.f === 'read' && call.outputKnown) {
      const read = reader.output(call) ?? null;
      if (!(read === null && reader.nilReadIsWildcard)) add(index.readsOf, read, call);
    } else if (call.f === 'cas') {
      const pair = reader.input(call);
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const expected = pair[0] ?? null;
      if (!call.outputKnown) add(index.unknownCasFrom, expected, call);
      else if (reader.output(call) === false) add(index.failedCasFrom, expected, call);
      else add(index.appliedCasFrom, expected, call);
    }
  }
  return index;
}

/** The calls filed under `value`'s hash whose value (read by `valueOf`) really equals it. */
function sameValue(map: Map<number, Call[]>, value: unknown, valueOf: (call: Call) => unknown): Call[] {
  return (map.get(hashValue(value)) ?? []).filter((call) => valuesEqual(valueOf(call) ?? null, value));
}

function expectedValue(reader: RegisterCallReader, call: Call): unknown {
  return (reader.input(call) as unknown[])[0];
}

/** A target test from a set of call ids. */
function setTest(ids: ReadonlySet<number>): (next: Call) => boolean {
  return (next) => ids.has(next.id);
}
