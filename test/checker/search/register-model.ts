/**
 * A small compare-and-set register model, multi-key through `partition`, for the search's own
 * tests: they must not depend on the production models (checked by their own corpus tests), and
 * a model written here keeps each test's expectation visible in one place.
 *
 * Calls: `write` input v; `read` output v (undefined output: unknown); `cas` input [from, to],
 * output true/false. Input may be `{key, value}` to address one of several registers.
 */
import { ILLEGAL, type Call, type Model } from '../../../src/checker/model.js';

type Value = number | null;

function valueOf(input: unknown): unknown {
  return typeof input === 'object' && input !== null && 'key' in input ? (input as unknown as { value: unknown }).value : input;
}

function keyOf(call: Call): string {
  const input = call.input;
  return typeof input === 'object' && input !== null && 'key' in input ? String((input as { key: unknown }).key) : 'r';
}

/** The state of several registers, when the model is keyed but not partitioned. */
type Registers = ReadonlyMap<string, Value>;

/**
 * The same registers as one model over a map of them, with the `keysOf` hook (each call touches
 * its one register) and no `partition`: the search must see every key's calls interleaved.
 */
export function keyedRegistersModel(): Model<Registers> & { keysOf(call: Call): string[] } {
  const single = casRegisterModel();
  return {
    name: 'test-keyed-registers',
    init: () => new Map(),
    step(state, call) {
      const key = keyOf(call);
      const next = single.step(state.get(key) ?? null, call);
      if (next === ILLEGAL) return ILLEGAL;
      if (next === (state.get(key) ?? null)) return state;
      const copy = new Map(state);
      copy.set(key, next);
      return copy;
    },
    equal: (a, b) => [...new Set([...a.keys(), ...b.keys()])].every((key) => (a.get(key) ?? null) === (b.get(key) ?? null)),
    hash: (state) => {
      let hash = 0;
      for (const [key, value] of state) if (value !== null) hash = (hash + Math.imul(key.charCodeAt(0) + 1, 31 + (value ?? -1))) | 0;
      return hash;
    },
    keysOf: (call) => [keyOf(call)],
    describeCall: single.describeCall,
    describeState: (state) => JSON.stringify([...state]),
  };
}

export function casRegisterModel(options: { partitioned?: boolean; initial?: Value } = {}): Model<Value> {
  const model: Model<Value> = {
    name: 'test-cas-register',
    init: () => options.initial ?? null,
    step(state, call) {
      const input = valueOf(call.input);
      switch (call.f) {
        case 'write':
          return input as Value;
        case 'read':
          if (!call.outputKnown) return state;
          return valueOf(call.output) === state ? state : ILLEGAL;
        case 'cas': {
          const [from, to] = input as [Value, Value];
          if (!call.outputKnown) return state === from ? to : ILLEGAL;
          if (call.output === true) return state === from ? to : ILLEGAL;
          return state !== from ? state : ILLEGAL;
        }
        default:
          throw new Error(`test-cas-register: unknown function ${call.f}`);
      }
    },
    equal: (a, b) => a === b,
    hash: (state) => (state === null ? -1 : state),
    describeCall: (call) => `${call.f} ${JSON.stringify(call.input)} → ${JSON.stringify(call.output)}`,
    describeState: (state) => `register = ${state}`,
    explainIllegal: (state, call) => `can't ${call.f} ${JSON.stringify(valueOf(call.output ?? call.input))} when the register holds ${state}`,
  };
  if (options.partitioned) {
    model.partition = (calls) => {
      const parts = new Map<string, Call[]>();
      for (const call of calls) {
        const key = keyOf(call);
        const part = parts.get(key);
        if (part === undefined) parts.set(key, [call]);
        else part.push(call);
      }
      return parts;
    };
  }
  return model;
}
