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
