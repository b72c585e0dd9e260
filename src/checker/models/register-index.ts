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

/** The calls of one history by the values they observe, built once per history. */
export interface RegisterIndex {
  /** Known reads that constrain the value, by the hash of the value read. */
  readsOf: Map<number, Call[]>;
  /** Known cas that applied, by the hash of their expected value. */
  appliedCasFrom: Map<number, Call[]>;
  /** Known cas answered "compare failed", by the hash of their expected value. */
  failedCasFrom: Map<number, Call[]>;
  /** Unknown cas, by the hash of their expected value. */
  unknownCasFrom: Map<number, Call[]>;
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
  const expected = (call: Call): unknown => expectedValue(reader, call);
  return sameValue(index.readsOf, value, (call) => reader.output(call)).length > 0 ||
    sameValue(index.appliedCasFrom, value, expected).length > 0 ||
    sameValue(index.failedCasFrom, value, expected).length > 0 ||
    sameValue(index.unknownCasFrom, value, expected).length > 0;
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

/** The calls filed under `value`'s hash whose value (read by `valueOf`) really equals it. */
export function sameValue(map: Map<number, Call[]>, value: unknown, valueOf: (call: Call) => unknown): Call[] {
  return (map.get(hashValue(value)) ?? []).filter((call) => valuesEqual(valueOf(call) ?? null, value));
}

export function expectedValue(reader: RegisterCallReader, call: Call): unknown {
  return (reader.input(call) as unknown[])[0];
}

