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
 * rereads a long text and `hash` is O(1). `kv-no-partition`'s state holds that per key, each key
 * with a small integer id in the model instance (interning is a cache, not state: a key always
 * gets the same id), and the state hash is a sum over keys updated incrementally. It also tells
 * the search which key each call touches (`keysOf`), so that the search need not try every
 * interleaving of calls on different keys.
 */
import { ILLEGAL, type Call, type Model, type StepResult } from '../model.js';
import { fnv1a, fnv1aContinue, mixEntryHash, showValue } from './value-hash.js';

export interface KvState {
  /** Text per key id; undefined means "". */
  readonly texts: readonly (string | undefined)[];
  /** FNV-1a of each text, kept next to it. */
  readonly textHashes: readonly number[];
  readonly hash: number;
}

const EMPTY_TEXT_HASH = fnv1a('');
const EMPTY_STATE: KvState = { texts: [], textHashes: [], hash: 0 };

/** An empty text contributes nothing, so a key never written equals a key holding "". */
function keyContribution(id: number, text: string, textHash: number): number {
  return text === '' ? 0 : mixEntryHash(id, textHash);
}

function keyAndText(call: Call, value: unknown): [string, string | null] {
  if (!Array.isArray(value) || value.length !== 2 || (typeof value[0] !== 'string' && typeof value[0] !== 'number')) {
    throw new TypeError(`${call.f} of process ${call.process} (index ${call.invokeIndex}) needs [key, text] as its value, got ${showValue(value)}`);
  }
  const text = value[1];
  if (text !== null && text !== undefined && typeof text !== 'string') {
    throw new TypeError(`${call.f} of process ${call.process} (index ${call.invokeIndex}): the text must be a string or nil, got ${showValue(text)}`);
  }
  return [String(value[0]), text ?? null];
}

function callKey(call: Call): string {
  return keyAndText(call, call.input)[0];
}

class KvRules {
  private readonly keyIds = new Map<string, number>();
  private readonly keyNames: string[] = [];

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
    const [key, argument] = keyAndText(call, call.input);
    const id = this.keyId(key);
    const current = state.texts[id] ?? '';
    switch (call.f) {
      case 'get': {
        if (!call.outputKnown) return state;
        return (keyAndText(call, call.output)[1] ?? '') === current ? state : ILLEGAL;
      }
      case 'put':
        return this.withText(state, id, argument ?? '', fnv1a(argument ?? ''));
      case 'append': {
        const suffix = argument ?? '';
        const currentHash = state.textHashes[id] ?? EMPTY_TEXT_HASH;
        return this.withText(state, id, current + suffix, fnv1aContinue(currentHash, suffix));
      }
      default:
        throw new TypeError(`the kv model has no function "${call.f}" (process ${call.process}, index ${call.invokeIndex})`);
    }
  }

  private withText(state: KvState, id: number, text: string, textHash: number): KvState {
    const texts = state.texts.slice();
    const textHashes = state.textHashes.slice();
    const previous = texts[id] ?? '';
    const previousHash = textHashes[id] ?? EMPTY_TEXT_HASH;
    texts[id] = text;
    textHashes[id] = textHash;
    const hash = (state.hash - keyContribution(id, previous, previousHash) + keyContribution(id, text, textHash)) | 0;
    return { texts, textHashes, hash };
  }

  explain(state: KvState, call: Call): string {
    return explainGet(state.texts[this.keyId(callKey(call))] ?? '', call);
  }

  describeState(state: KvState): string {
    const entries: string[] = [];
    state.texts.forEach((text, id) => {
      if (text !== undefined && text !== '') entries.push(`${this.keyNames[id]} ${showValue(text)}`);
    });
    return `{${entries.join(', ')}}`;
  }
}

function statesEqual(a: KvState, b: KvState): boolean {
  if (a.hash !== b.hash) return false;
  const length = Math.max(a.texts.length, b.texts.length);
  for (let id = 0; id < length; id++) {
    if ((a.texts[id] ?? '') !== (b.texts[id] ?? '')) return false;
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

function makeKvModel(name: string): Model<KvState> & KeysOfHook {
  const rules = new KvRules();
  return {
    name,
    options: {},
    keysOf: (call) => [callKey(call)],
    init: () => EMPTY_STATE,
    step: (state, call) => rules.run(state, call),
    equal: statesEqual,
    hash: (state) => state.hash,
    describeCall: describeKvCall,
    describeState: (state) => rules.describeState(state),
    explainIllegal: (state, call) => rules.explain(state, call),
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
  const [key, argument] = keyAndText(call, call.input);
  if (state.key !== null && state.key !== key) {
    throw new Error(`the kv model judges one key per part: got a call on ${key} in the part of ${state.key} (check with its partition, or use kv-no-partition)`);
  }
  switch (call.f) {
    case 'get': {
      if (!call.outputKnown) return state;
      return (keyAndText(call, call.output)[1] ?? '') === state.text ? state : ILLEGAL;
    }
    case 'put': {
      const text = argument ?? '';
      return { key, text, hash: fnv1a(text) };
    }
    case 'append': {
      const suffix = argument ?? '';
      return { key, text: state.text + suffix, hash: fnv1aContinue(state.hash, suffix) };
    }
    default:
      throw new TypeError(`the kv model has no function "${call.f}" (process ${call.process}, index ${call.invokeIndex})`);
  }
}

/** Porcupine's kvModel: partitioned by key, one key's text as the state. */
export function kvModel(): Model<KvKeyState> {
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
  };
}

function explainGet(current: string, call: Call): string {
  const [key, read] = keyAndText(call, call.output);
  if (call.f !== 'get' || !call.outputKnown || (read ?? '') === current) return `${describeKvCall(call)} is legal here`;
  return `can't get ${showValue(read ?? '')} from key ${key}: it holds ${showValue(current)}`;
}

/** Porcupine's kvNoPartitionModel: the whole map as one state, every key's calls interleaved. */
export function kvNoPartitionModel(): Model<KvState> & KeysOfHook {
  return makeKvModel('kv-no-partition');
}
