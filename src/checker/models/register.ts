/**
 * Single-register models, over the vocabulary of src/history/register-operations.ts (read, write,
 * cas). The state is the register's value (null: nothing). Three flavours:
 *
 * - `register` (Knossos `register`): read and write. A read that returned nil is a wildcard (Knossos
 *   records reads it knows nothing about that way), any other read must see the current value.
 * - `cas-register` (Knossos `cas-register`): read, write and cas, same read rule. A cas that
 *   applied (or whose outcome is unknown) needs the register to hold its expected value and sets the
 *   new one. A cas answered "compare failed" (ok value false) needs the register NOT to hold it.
 * - `etcd` (Porcupine's etcd model): as cas-register, but a read of nil is not a wildcard: it says
 *   the register held nothing (etcd's "key not found"), so it is legal only while the value is nil.
 *
 * And one register per key: `etcd-keyed` is `etcd` on each key of a history whose values are
 * `[key, value]` pairs (Jepsen's independent keys, as the kv models' values are): read invoked
 * `[k, null]` and answered `[k, v]`; write `[k, v]`; cas invoked `[k, [expected, new]]` and
 * answered `[k, [expected, new]]` when it applied, `[k, false]` when the compare failed. Keys are
 * independent registers, so the history is split by key (`partition`) and each key is checked
 * alone against the register rules above, on the values inside the pairs.
 *
 * The initial value is an option (`initial`, default nil as in Knossos' and Porcupine's defaults;
 * Knossos' own corpus tests use `(cas-register 0)`).
 *
 * A cas of unknown outcome whose expected value differs from the register is ILLEGAL here, while
 * Porcupine calls it a legal no-op. The verdicts are the same: a call of unknown outcome need not
 * be linearized at all, and leaving it out has the same effect as a no-op, so refusing it only
 * prunes the search.
 */
import { ILLEGAL, type Call, type Model, type StepResult } from '../model.js';
import { hashValue, showValue, valuesEqual } from './value-hash.js';
import type { JustInTimeModel } from '../search/just-in-time.js';
import { registerJustInTime } from './register-just-in-time.js';
import { registerIndexes, type RegisterCallReader } from './register-index.js';
import { registerTwinClass } from './register-twins.js';
import { registerLookAhead } from './register-look-ahead.js';
import type { LookAheadModel } from '../search/look-ahead.js';
import type { TwinModel } from '../search/twins.js';

export interface RegisterOptions {
  /** The register's value before any call (default null, i.e. nil). */
  initial?: unknown;
}

interface RegisterRules {
  name: string;
  allowCas: boolean;
  /** Knossos: a read of nil constrains nothing. Porcupine etcd: it means the register is empty. */
  nilReadIsWildcard: boolean;
  /** Values are [key, value] pairs, one register per key (see the module comment). */
  keyed: boolean;
}

type RegisterState = unknown;

function makeRegisterModel(rules: RegisterRules, options: RegisterOptions): Model<RegisterState> & JustInTimeModel & TwinModel & LookAheadModel {
  const initial = options.initial ?? null;
  const reader: RegisterCallReader = {
    input: (call) => inputOf(rules, call), output: (call) => outputOf(rules, call), nilReadIsWildcard: rules.nilReadIsWildcard,
  };
  const indexOf = registerIndexes(reader);
  return {
    name: rules.name,
    options: { ...options },
    init: () => initial,
    step(state: RegisterState, call: Call): StepResult<RegisterState> {
      // No message here: most steps the search tries are illegal, and wording each would cost
      // more than the step itself. explainIllegal words it when a report needs it.
      if (!isLegal(rules, state, call)) return ILLEGAL;
      return call.f === 'read' ? state : nextValue(rules, state, call);
    },
    equal: valuesEqual,
    hash: hashValue,
    ...(rules.keyed ? { partition: (calls: readonly Call[]) => partitionByRegisterKey(rules.name, calls) } : {}),
    describeCall: (call) => describeRegisterCall(call, rules.keyed),
    describeState: (state) => `register ${showValue(state)}`,
    explainIllegal: (state, call) => explainRegisterCall(rules, state, call),
    // Timed-out writes and cas are tried only right before a call that observes them, and those
    // of values nobody sees are interchangeable.
    justInTime: registerJustInTime(reader, indexOf),
    twinClass: registerTwinClass(reader, indexOf),
    // A read whose value is gone for good fails the path at once.
    lookAhead: (calls) => registerLookAhead(reader, indexOf(calls), calls),
  };
}

/** The register value a call was invoked with (inside its [key, value] pair when keyed). */
function inputOf(rules: RegisterRules, call: Call): unknown {
  return rules.keyed ? (call.input as unknown[])[1] : call.input;
}

/** The register value a call answered (inside its [key, value] pair when keyed). */
function outputOf(rules: RegisterRules, call: Call): unknown {
  return rules.keyed ? (call.output as unknown[])[1] : call.output;
}

function isLegal(rules: RegisterRules, state: RegisterState, call: Call): boolean {
  switch (call.f) {
    case 'read': {
      if (!call.outputKnown) return true;
      const read = outputOf(rules, call) ?? null;
      return (read === null && rules.nilReadIsWildcard) || valuesEqual(read, state);
    }
    case 'write':
      return true;
    case 'cas': {
      if (!rules.allowCas) throw unknownFunction(rules.name, call);
      const matches = valuesEqual(state, casArguments(rules, call)[0]);
      // A cas answered "compare failed" (ok value false) needs the register NOT to hold `expected`.
      return call.outputKnown && outputOf(rules, call) === false ? !matches : matches;
    }
    default:
      throw unknownFunction(rules.name, call);
  }
}

function explainRegisterCall(rules: RegisterRules, state: RegisterState, call: Call): string {
  const register = rules.keyed ? `register ${showValue((call.input as unknown[])[0])}` : 'register';
  if (isLegal(rules, state, call)) return `${describeRegisterCall(call, rules.keyed)} is legal on ${register} ${showValue(state)}`;
  if (call.f === 'read') return `can't read ${showValue(outputOf(rules, call))} from ${register} ${showValue(state)}`;
  const [expected, replacement] = casArguments(rules, call);
  const cas = `cas ${showValue(expected)}→${showValue(replacement)}`;
  return call.outputKnown && outputOf(rules, call) === false
    ? `${cas} answered "compare failed", but ${register} is ${showValue(state)}`
    : `can't ${cas}: ${register} is ${showValue(state)}`;
}

function nextValue(rules: RegisterRules, state: RegisterState, call: Call): RegisterState {
  if (call.f === 'write') return inputOf(rules, call) ?? null;
  // cas: the compare failed (state unchanged), or it applied.
  if (call.outputKnown && outputOf(rules, call) === false) return state;
  return casArguments(rules, call)[1] ?? null;
}

function casArguments(rules: RegisterRules, call: Call): [unknown, unknown] {
  const input = inputOf(rules, call);
  if (!Array.isArray(input) || input.length !== 2) {
    throw new TypeError(`cas of process ${call.process} (index ${call.invokeIndex}) needs [expected, new] as its value, got ${showValue(input)}`);
  }
  return [input[0], input[1]];
}

function unknownFunction(model: string, call: Call): Error {
  return new TypeError(`the ${model} model has no function "${call.f}" (process ${call.process}, index ${call.invokeIndex})`);
}

/**
 * Calls grouped by the key of their [key, value] pairs, in the order given. Checks every call's
 * shape once here, so that steps can read the pairs without checking.
 */
function partitionByRegisterKey(model: string, calls: readonly Call[]): Map<string, Call[]> {
  const parts = new Map<string, Call[]>();
  for (const call of calls) {
    const key = keyOfPair(model, call, call.input, 'value');
    if (call.outputKnown) {
      const answerKey = keyOfPair(model, call, call.output, 'answer');
      if (answerKey !== key) {
        throw new TypeError(`${call.f} of process ${call.process} (index ${call.invokeIndex}) was invoked on key ${key} but answered for key ${answerKey}`);
      }
    }
    let part = parts.get(key);
    if (part === undefined) {
      part = [];
      parts.set(key, part);
    }
    part.push(call);
  }
  return parts;
}

function keyOfPair(model: string, call: Call, pair: unknown, what: 'value' | 'answer'): string {
  if (!Array.isArray(pair) || pair.length !== 2 || (typeof pair[0] !== 'string' && typeof pair[0] !== 'number')) {
    throw new TypeError(`the ${model} model needs [key, value] as each call's ${what}: ${call.f} of process ${call.process} ` +
      `(index ${call.invokeIndex}) has ${showValue(pair)}`);
  }
  return String(pair[0]);
}

/** "write 3", "cas 1→2 (compare failed)"; keyed calls name their key ("k1: write 3"). */
export function describeRegisterCall(call: Call, keyed = false): string {
  if (!keyed) return describeValues(call.f, call.input, call.output, call.outputKnown);
  const input = Array.isArray(call.input) ? call.input : [];
  const output = call.outputKnown && Array.isArray(call.output) ? call.output[1] : undefined;
  return `${showValue(input[0])}: ${describeValues(call.f, input[1], output, call.outputKnown)}`;
}

function describeValues(f: string, input: unknown, output: unknown, outputKnown: boolean): string {
  switch (f) {
    case 'read':
      return outputKnown ? `read ${showValue(output)}` : 'read (unknown)';
    case 'write':
      return `write ${showValue(input)}${outputKnown ? '' : ' (unknown)'}`;
    case 'cas': {
      const pair = Array.isArray(input) ? input : [];
      const outcome = !outputKnown ? ' (unknown)' : output === false ? ' (compare failed)' : '';
      return `cas ${showValue(pair[0])}→${showValue(pair[1])}${outcome}`;
    }
    default:
      return `${f} ${showValue(input)}`;
  }
}

export function registerModel(options: RegisterOptions = {}): Model<RegisterState> {
  return makeRegisterModel({ name: 'register', allowCas: false, nilReadIsWildcard: true, keyed: false }, options);
}

export function casRegisterModel(options: RegisterOptions = {}): Model<RegisterState> {
  return makeRegisterModel({ name: 'cas-register', allowCas: true, nilReadIsWildcard: true, keyed: false }, options);
}

export function etcdModel(options: RegisterOptions = {}): Model<RegisterState> {
  return makeRegisterModel({ name: 'etcd', allowCas: true, nilReadIsWildcard: false, keyed: false }, options);
}

/** `etcd` per key: values are [key, value] pairs, checked key by key (see the module comment). */
export function etcdKeyedModel(options: RegisterOptions = {}): Model<RegisterState> {
  return makeRegisterModel({ name: 'etcd-keyed', allowCas: true, nilReadIsWildcard: false, keyed: true }, options);
}
