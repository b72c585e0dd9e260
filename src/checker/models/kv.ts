/**
 * Key-value models after Porcupine's kv test models: `get`, `put` and `append` on string values
 * per key. A call's value is Jepsen's independent-key tuple `[key, text]` (see
 * src/history/porcupine/kv-log.ts): invoked `[k, null]` and answered `[k, text]` for get, invoked
 * `[k, text]` for put and append. Every key starts as "" and a get must return the key's whole
 * current text (a nil answer reads as ""). A get of unknown outcome constrains nothing.
 *
 * - `kv` splits the history by key (`partition`; keys are independent, so the history is
 *   linearizable iff each key's part is — P-compositionality) and is the fast one.
 * - `kv-no-partition` checks the whole history against the whole map, as Porcupine's
 *   kvNoPartitionModel does on purpose: the search sees every key's calls interleaved.
 *
 * States are built for cheap memoization. `kv`'s state is one key's text and its FNV-1a hash; an
 * append extends the hash from the appended text alone (FNV-1a can be continued), so no step
 * rereads a long text and `hash` is O(1). `kv-no-partition`'s state is a small array of text ids,
 * one per key (keys and texts are interned in the model instance: a cache, not state, as the same
 * key or text always gets the same id), with a hash that is a sum over keys updated
 * incrementally. It also tells the search which key each call touches (`keysOf`), so that the
 * search need not try every interleaving of calls on different keys.
 */
import { ILLEGAL, type Call, type Model, type StepResult } from '../model.js';
import { fnv1a, fnv1aContinue, mixEntryHash, showValue } from './value-hash.js';
import type { LookAheadModel } from '../search/look-ahead.js';
import { kvLookAhead } from './kv-look-ahead.js';

/**
 * kv-no-partition's state, one small array: `[hash, textId of key 0, textId of key 1, ...]`, text
 * ids from the model instance's TextTable (0 is ""; a missing slot means ""). One allocation per
 * step, and equality compares small integers. The hash is kept within 30 bits so that V8 stores it
 * as a small integer and the array stays an array of small integers.
 */
export type KvState = readonly number[];

const EMPTY_TEXT_HASH = fnv1a('');
const EMPTY_STATE: KvState = [0];
const HASH_MASK = 0x3fffffff;

/** The first element of a [key, text] value, as a string; validated, without allocating. */
function keyOf(call: Call, value: unknown): string {
  if (!Array.isArray(value) || value.length !== 2 || (typeof value[0] !== 'string' && typeof value[0] !== 'number')) {
    throw new TypeError(`${call.f} of process ${call.process} (index ${call.invokeIndex}) needs [key, text] as its value, got ${showValue(value)}`);
  }
  return typeof value[0] === 'string' ? value[0] : String(value[0]);
}

/** The text of a [key, text] value ("" for nil); `value` must have passed keyOf. */
function textOf(call: Call, value: unknown): string {
  const text = (value as unknown[])[1];
  if (typeof text === 'string') return text;
  if (text === null || text === undefined) return '';
  throw new TypeError(`${call.f} of process ${call.process} (index ${call.invokeIndex}): the text must be a string or nil, got ${showValue(text)}`);
}

function keyAndText(call: Call, value: unknown): [string, string] {
  return [keyOf(call, value), textOf(call, value)];
}

function callKey(call: Call): string {
  return keyOf(call, call.input);
}

/**
 * Every text a kv-no-partition search has built, each once, with its FNV-1a hash, and the result
 * of each (text, appended suffix) pair seen, so that a step is a map lookup and the concatenation
 * and its hash are computed only the first time. A cache: the same text always gets the same id.
 */
class TextTable {
  readonly texts: string[] = [''];
  readonly hashes: number[] = [EMPTY_TEXT_HASH];
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly appended: (Map<string, number> | undefined)[] = [];

  intern(text: string, hash?: number): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.hashes.push(hash ?? fnv1a(text));
      this.ids.set(text, id);
    }
    return id;
  }

  append(id: number, suffix: string): number {
    let results = this.appended[id];
    if (results === undefined) {
      results = new Map();
      this.appended[id] = results;
    }
    let result = results.get(suffix);
    if (result === undefined) {
      result = this.intern(this.texts[id]! + suffix, fnv1aContinue(this.hashes[id]!, suffix));
      results.set(suffix, result);
    }
    return result;
  }
}

class KvRules {
  private readonly keyIds = new Map<string, number>();
  private readonly keyNames: string[] = [];
  private readonly table = new TextTable();

  keyId(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keyNames.length;
      this.keyIds.set(key, id);
      this.keyNames.push(key);
    }
    return id;
  }

  /** The state after the call, or ILLEGAL (no message: see runOnKey). */
  run(state: KvState, call: Call): StepResult<KvState> {
    const keyId = this.keyId(keyOf(call, call.input));
    const textId = state[keyId + 1] ?? 0;
    switch (call.f) {
      case 'get':
        if (!call.outputKnown) return state;
        keyOf(call, call.output);
        return textOf(call, call.output) === this.table.texts[textId] ? state : ILLEGAL;
      case 'put':
        return this.withText(state, keyId, textId, this.table.intern(textOf(call, call.input)));
      case 'append':
        return this.withText(state, keyId, textId, this.table.append(textId, textOf(call, call.input)));
      default:
        throw new TypeError(`the kv model has no function "${call.f}" (process ${call.process}, index ${call.invokeIndex})`);
    }
  }

  /** An empty text contributes nothing, so a key never written equals a key holding "". */
  private contribution(keyId: number, textId: number): number {
    return textId === 0 ? 0 : mixEntryHash(keyId, this.table.hashes[textId]!);
  }

  private withText(state: KvState, keyId: number, previousTextId: number, textId: number): KvState {
    if (textId === previousTextId) return state;
    const next = state.slice();
    while (next.length <= keyId + 1) next.push(0);
    next[keyId + 1] = textId;
    next[0] = (state[0]! - this.contribution(keyId, previousTextId) + this.contribution(keyId, textId)) & HASH_MASK;
    return next;
  }

  textOfKey(state: KvState, key: string): string {
    return this.table.texts[state[this.keyId(key) + 1] ?? 0]!;
  }

  explain(state: KvState, call: Call): string {
    return explainGet(this.textOfKey(state, callKey(call)), call);
  }

  describeState(state: KvState): string {
    const entries: string[] = [];
    for (let keyId = 0; keyId + 1 < state.length; keyId++) {
      const text = this.table.texts[state[keyId + 1]!]!;
      if (text !== '') entries.push(`${this.keyNames[keyId]} ${showValue(text)}`);
    }
    return `{${entries.sort().join(', ')}}`;
  }
}

function statesEqual(a: KvState, b: KvState): boolean {
  if (a[0] !== b[0]) return false;
  const length = Math.max(a.length, b.length);
  for (let slot = 1; slot < length; slot++) {
    if ((a[slot] ?? 0) !== (b[slot] ?? 0)) return false;
  }
  return true;
}

function describeKvCall(call: Call): string {
  const input = Array.isArray(call.input) ? call.input : [];
  const key = String(input[0]);
  if (call.f === 'get') {
    if (!call.outputKnown) return `get ${key} (unknown)`;
    const output = Array.isArray(call.output) ? call.output[1] : call.output;
    return `get ${key} → ${showValue(output ?? '')}`;
  }
  return `${call.f} ${key} ${showValue(input[1])}${call.outputKnown ? '' : ' (unknown)'}`;
}

/** Calls grouped by key, in the order given. */
export function partitionByKey(calls: readonly Call[]): Map<string, Call[]> {
  const parts = new Map<string, Call[]>();
  for (const call of calls) {
    const key = callKey(call);
    let part = parts.get(key);
    if (part === undefined) {
      part = [];
      parts.set(key, part);
    }
    part.push(call);
  }
  return parts;
}

/**
 * The search's partial-order reduction hook (../search/independence.ts): every call touches
 * exactly its one key, and calls on different keys commute and never change whether each other is
 * legal, which is the promise the hook asks for.
 */
export interface KeysOfHook {
  keysOf(call: Call): readonly string[];
}

function makeKvModel(name: string): Model<KvState> & KeysOfHook & LookAheadModel<KvState> {
  const rules = new KvRules();
  return {
    name,
    options: {},
    keysOf: (call) => [callKey(call)],
    init: () => EMPTY_STATE,
    step: (state, call) => rules.run(state, call),
    equal: statesEqual,
    hash: (state) => state[0]!,
    describeCall: describeKvCall,
    describeState: (state) => rules.describeState(state),
    explainIllegal: (state, call) => rules.explain(state, call),
    lookAhead: (calls) => kvLookAhead<KvState>(calls, { keyOf: callKey, textOf, textIn: (state, call) => rules.textOfKey(state, callKey(call)) }),
  };
}

/**
 * The state of one key's part: its text and the text's FNV-1a hash. `key` is the key the part is
 * about (null before the first call): a call on another key means the model was used without its
 * partition, which would judge wrongly, so it fails loudly instead.
 */
export interface KvKeyState {
  readonly key: string | null;
  readonly text: string;
  readonly hash: number;
}

const EMPTY_KEY_STATE: KvKeyState = { key: null, text: '', hash: EMPTY_TEXT_HASH };

// Steps return ILLEGAL without building a message: most steps the search tries are illegal, and
// wording one (with long texts) would cost more than the step. explainIllegal words it.
function runOnKey(state: KvKeyState, call: Call): StepResult<KvKeyState> {
  const key = keyOf(call, call.input);
  if (state.key !== null && state.key !== key) {
    throw new Error(`the kv model judges one key per part: got a call on ${key} in the part of ${state.key} (check with its partition, or use kv-no-partition)`);
  }
  switch (call.f) {
    case 'get': {
      if (!call.outputKnown) return state;
      keyOf(call, call.output);
      return textOf(call, call.output) === state.text ? state : ILLEGAL;
    }
    case 'put':
      return { key, text: textOf(call, call.input), hash: fnv1a(textOf(call, call.input)) };
    case 'append': {
      const suffix = textOf(call, call.input);
      return { key, text: state.text + suffix, hash: fnv1aContinue(state.hash, suffix) };
    }
    default:
      throw new TypeError(`the kv model has no function "${call.f}" (process ${call.process}, index ${call.invokeIndex})`);
  }
}

/** Porcupine's kvModel: partitioned by key, one key's text as the state. */
export function kvModel(): Model<KvKeyState> & LookAheadModel<KvKeyState> {
  return {
    name: 'kv',
    options: {},
    init: () => EMPTY_KEY_STATE,
    step: runOnKey,
    // The key is not compared: within a part it is the same, or null before any write, which
    // is interchangeable with the same key holding "" (hashes agree: both hash "").
    equal: (a, b) => a.text === b.text,
    hash: (state) => state.hash,
    partition: partitionByKey,
    describeCall: describeKvCall,
    describeState: (state) => `${state.key ?? 'key'} ${showValue(state.text)}`,
    explainIllegal: (state, call) => explainGet(state.text, call),
    // A get whose text no longer extends the key's (and no put can help) fails the path at once.
    lookAhead: (calls) => kvLookAhead<KvKeyState>(calls, { keyOf: callKey, textOf, textIn: (state) => state.text }),
  };
}

function explainGet(current: string, call: Call): string {
  if (call.f !== 'get' || !call.outputKnown) return `${describeKvCall(call)} is legal here`;
  const [key, read] = keyAndText(call, call.output);
  if (read === current) return `${describeKvCall(call)} is legal here`;
  return `can't get ${showValue(read)} from key ${key}: it holds ${showValue(current)}`;
}

/** Porcupine's kvNoPartitionModel: the whole map as one state, every key's calls interleaved. */
export function kvNoPartitionModel(): Model<KvState> & KeysOfHook & LookAheadModel<KvState> {
  return makeKvModel('kv-no-partition');
}
