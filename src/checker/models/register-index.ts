/**
 * The calls of one register history filed by the values they observe or write, built once per
 * history and shared by the register models' just-in-time promise (register-just-in-time.ts), twin
 * classes (register-twins.ts) and look-ahead (register-look-ahead.ts).
 */
import type { Call } from '../model.js';
import { hashValue, valuesEqual } from './value-hash.js';

/** How a register model reads its calls' values (plain, or inside [key, value] pairs). */
export interface RegisterCallReader {
  /** The register value a call was invoked with: write v, cas [expected, new]. */
  input(call: Call): unknown;
  /** The register value a call answered (read: the value; cas: false when the compare failed). */
  output(call: Call): unknown;
  nilReadIsWildcard: boolean;
}

/**
 * Calls filed by the hash of a value: one call, or several (most values, unique ones, have one,
 * so no list is made for them: a list per value was most of the index's cost).
 */
export type CallsByHash = Map<number, Call | Call[]>;

/** The calls of one history by the values they observe, built once per history. */
export interface RegisterIndex {
  /** Known reads that constrain the value, by the hash of the value read. */
  readsOf: CallsByHash;
  /** Known cas that applied, by the hash of their expected value. */
  appliedCasFrom: CallsByHash;
  /** Known cas answered "compare failed", by the hash of their expected value. */
  failedCasFrom: CallsByHash;
  /** Unknown cas, by the hash of their expected value. */
  unknownCasFrom: CallsByHash;
  /** Every known cas answered "compare failed", in id order. */
  failedCas: Call[];
  /**
   * The calls that may set each value (writes, and cas that applied or whose outcome is unknown),
   * by the hash of the value they write: one call id, or several (most values, unique ones, have
   * one, so no list is made for them).
   */
  settersOf: Map<number, number | number[]>;
}

/** The index of each history, built on first use (one per model instance, whose reader it uses). */
export function registerIndexes(reader: RegisterCallReader): (calls: readonly Call[]) => RegisterIndex {
  const indexes = new WeakMap<readonly Call[], RegisterIndex>();
  return (calls) => {
    let index = indexes.get(calls);
    if (index === undefined) {
      index = buildIndex(reader, calls);
      indexes.set(calls, index);
    }
    return index;
  };
}

/** Whether some call of the history can tell the register holds `value`: reads it or expects it. */
export function isObserved(index: RegisterIndex, value: unknown, reader: RegisterCallReader): boolean {
  return someSameValue(index.readsOf, value, reader, false) ||
    someSameValue(index.appliedCasFrom, value, reader, true) ||
    someSameValue(index.failedCasFrom, value, reader, true) ||
    someSameValue(index.unknownCasFrom, value, reader, true);
}

function buildIndex(reader: RegisterCallReader, calls: readonly Call[]): RegisterIndex {
  const index: RegisterIndex = {
    readsOf: new Map(), appliedCasFrom: new Map(), failedCasFrom: new Map(), unknownCasFrom: new Map(), failedCas: [],
    settersOf: new Map(),
  };
  const addSetter = (value: unknown, call: Call): void => {
    const hash = hashValue(value);
    const known = index.settersOf.get(hash);
    if (known === undefined) index.settersOf.set(hash, call.id);
    else if (typeof known === 'number') index.settersOf.set(hash, [known, call.id]);
    else known.push(call.id);
  };
  const add = (map: CallsByHash, value: unknown, call: Call): void => {
    const hash = hashValue(value);
    const known = map.get(hash);
    if (known === undefined) map.set(hash, call);
    else if (Array.isArray(known)) known.push(call);
    else map.set(hash, [known, call]);
  };
  for (const call of calls) {
    if (call.f === 'read' && call.outputKnown) {
      const read = reader.output(call) ?? null;
      if (!(read === null && reader.nilReadIsWildcard)) add(index.readsOf, read, call);
    } else if (call.f === 'write') {
      addSetter(reader.input(call) ?? null, call);
    } else if (call.f === 'cas') {
      const pair = reader.input(call);
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const expected = pair[0] ?? null;
      if (!call.outputKnown) {
        add(index.unknownCasFrom, expected, call);
        addSetter(pair[1] ?? null, call);
      } else if (reader.output(call) === false) {
        add(index.failedCasFrom, expected, call);
        index.failedCas.push(call);
      } else {
        add(index.appliedCasFrom, expected, call);
        addSetter(pair[1] ?? null, call);
      }
    }
  }
  return index;
}

/**
 * Whether some call filed under `value`'s hash has that very value: its answer, or with
 * `byExpected` its expected value (no callbacks: this runs for every timed-out call).
 */
function someSameValue(map: CallsByHash, value: unknown, reader: RegisterCallReader, byExpected: boolean): boolean {
  const filed = map.get(hashValue(value));
  if (filed === undefined) return false;
  if (!Array.isArray(filed)) return hasValue(filed, value, reader, byExpected);
  for (const call of filed) if (hasValue(call, value, reader, byExpected)) return true;
  return false;
}

/** Whether a call's answer (or with `byExpected`, its expected value) is `value`. */
export function hasValue(call: Call, value: unknown, reader: RegisterCallReader, byExpected: boolean): boolean {
  return valuesEqual((byExpected ? expectedValue(reader, call) : reader.output(call)) ?? null, value);
}

export function expectedValue(reader: RegisterCallReader, call: Call): unknown {
  return (reader.input(call) as unknown[])[0];
}

