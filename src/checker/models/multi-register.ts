/**
 * The multi-register model (Knossos `multi-register`): named registers changed by transactions.
 * A call is `txn` with a list of micro-ops `[f, key, value]`, f being read or write (Jepsen's
 * `[[:read :x 1] [:write :y 2]]`, keywords read as strings). They apply in order, atomically: a
 * read must see the value the registers hold at that point of the transaction, unless it read nil,
 * which constrains nothing (Knossos records reads it knows nothing about as nil). Micro-ops come
 * from the completion when known (reads filled in), else from the invocation.
 *
 * The state is a map key → value with its hash kept up to date as a sum over entries (order-free,
 * so equal maps hash alike however built). Writing nil removes the key: an absent key reads nil.
 * Option `initial`: the registers before any call, e.g. {x: 0, y: 0} (Knossos' corpus).
 */
import { ILLEGAL, type Call, type Model, type StepResult } from '../model.js';
import { fnv1a, hashValue, mixEntryHash, showValue, valuesEqual } from './value-hash.js';

export interface MultiRegisterOptions {
  initial?: Readonly<Record<string, unknown>>;
}

export interface MultiRegisterState {
  readonly values: ReadonlyMap<string, unknown>;
  readonly hash: number;
}

type MicroOp = readonly [f: 'read' | 'write', key: string, value: unknown];

function entryHash(key: string, value: unknown): number {
  return mixEntryHash(fnv1a(key), hashValue(value));
}

function withValue(state: MultiRegisterState, key: string, value: unknown): MultiRegisterState {
  const previous = state.values.get(key);
  const values = new Map(state.values);
  let hash = state.hash;
  if (previous !== undefined) hash = (hash - entryHash(key, previous)) | 0;
  if (value === null || value === undefined) {
    values.delete(key);
  } else {
    values.set(key, value);
    hash = (hash + entryHash(key, value)) | 0;
  }
  return { values, hash };
}

function microOps(call: Call): MicroOp[] {
  if (call.f !== 'txn') {
    throw new TypeError(`the multi-register model has no function "${call.f}" (process ${call.process}, index ${call.invokeIndex})`);
  }
  const source = call.outputKnown && Array.isArray(call.output) ? call.output : call.input;
  if (!Array.isArray(source)) {
    throw new TypeError(`txn of process ${call.process} (index ${call.invokeIndex}) needs a list of [f, key, value], got ${showValue(source)}`);
  }
  return source.map((micro: unknown) => {
    if (!Array.isArray(micro) || micro.length !== 3 || (micro[0] !== 'read' && micro[0] !== 'write')) {
      throw new TypeError(`txn of process ${call.process} (index ${call.invokeIndex}): micro-op ${showValue(micro)} is not [read|write, key, value]`);
    }
    return [micro[0], String(micro[1]), micro[2]] as MicroOp;
  });
}

/**
 * Runs the transaction: the state after it, or ILLEGAL. With `explain`, the reason instead of
 * ILLEGAL (only for reports: the search's steps must not pay for wording).
 */
function run(state: MultiRegisterState, call: Call, explain = false): MultiRegisterState | typeof ILLEGAL | string {
  let current = state;
  for (const [f, key, value] of microOps(call)) {
    if (f === 'write') {
      current = withValue(current, key, value);
    } else if (value !== null && value !== undefined && !valuesEqual(value, current.values.get(key) ?? null)) {
      return explain ? `can't read ${key} = ${showValue(value)}: ${key} is ${showValue(current.values.get(key))}` : ILLEGAL;
    }
  }
  return current;
}

export function describeMultiRegisterState(state: MultiRegisterState): string {
  const keys = [...state.values.keys()].sort();
  return `{${keys.map((key) => `${key} ${showValue(state.values.get(key))}`).join(', ')}}`;
}

export function multiRegisterModel(options: MultiRegisterOptions = {}): Model<MultiRegisterState> {
  let initial: MultiRegisterState = { values: new Map(), hash: 0 };
  for (const [key, value] of Object.entries(options.initial ?? {})) initial = withValue(initial, key, value);
  return {
    name: 'multi-register',
    options: { ...options },
    init: () => initial,
    step(state: MultiRegisterState, call: Call): StepResult<MultiRegisterState> {
      return run(state, call) as StepResult<MultiRegisterState>;
    },
    equal(a, b) {
      if (a.hash !== b.hash || a.values.size !== b.values.size) return false;
      for (const [key, value] of a.values) if (!valuesEqual(value, b.values.get(key))) return false;
      return true;
    },
    hash: (state) => state.hash,
    describeCall(call) {
      const source = call.outputKnown && Array.isArray(call.output) ? call.output : call.input;
      const text = Array.isArray(source)
        ? source.map((micro) => (Array.isArray(micro) ? micro.map((part) => showValue(part).replace(/^"(.*)"$/, '$1')).join(' ') : showValue(micro))).join(', ')
        : showValue(source);
      return `txn [${text}]${call.outputKnown ? '' : ' (unknown)'}`;
    },
    describeState: describeMultiRegisterState,
    explainIllegal(state, call) {
      const next = run(state, call, true);
      return typeof next === 'string' ? next : 'the txn is legal here';
    },
  };
}
