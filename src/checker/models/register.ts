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

export interface RegisterOptions {
  /** The register's value before any call (default null, i.e. nil). */
  initial?: unknown;
}

interface RegisterRules {
  name: string;
  allowCas: boolean;
  /** Knossos: a read of nil constrains nothing. Porcupine etcd: it means the register is empty. */
  nilReadIsWildcard: boolean;
}

type RegisterState = unknown;

function makeRegisterModel(rules: RegisterRules, options: RegisterOptions): Model<RegisterState> {
  const initial = options.initial ?? null;
  return {
    name: rules.name,
    options: { ...options },
    init: () => initial,
    step(state: RegisterState, call: Call): StepResult<RegisterState> {
      // No message here: most steps the search tries are illegal, and wording each would cost
      // more than the step itself. explainIllegal words it when a report needs it.
      if (!isLegal(rules, state, call)) return ILLEGAL;
      return call.f === 'read' ? state : nextValue(state, call);
    },
    equal: valuesEqual,
    hash: hashValue,
    describeCall: describeRegisterCall,
    describeState: (state) => `register ${showValue(state)}`,
    explainIllegal: (state, call) => explainRegisterCall(rules, state, call),
  };
}

function isLegal(rules: RegisterRules, state: RegisterState, call: Call): boolean {
  switch (call.f) {
    case 'read': {
      if (!call.outputKnown) return true;
      const read = call.output ?? null;
      return (read === null && rules.nilReadIsWildcard) || valuesEqual(read, state);
    }
    case 'write':
      return true;
    case 'cas': {
      if (!rules.allowCas) throw unknownFunction(rules.name, call);
      const matches = valuesEqual(state, casArguments(call)[0]);
      // A cas answered "compare failed" (ok value false) needs the register NOT to hold `expected`.
      return call.outputKnown && call.output === false ? !matches : matches;
    }
    default:
      throw unknownFunction(rules.name, call);
  }
}

function explainRegisterCall(rules: RegisterRules, state: RegisterState, call: Call): string {
  if (isLegal(rules, state, call)) return `${describeRegisterCall(call)} is legal on register ${showValue(state)}`;
  if (call.f === 'read') return `can't read ${showValue(call.output)} from register ${showValue(state)}`;
  const [expected, replacement] = casArguments(call);
  const cas = `cas ${showValue(expected)}→${showValue(replacement)}`;
  return call.outputKnown && call.output === false
    ? `${cas} answered "compare failed", but register is ${showValue(state)}`
    : `can't ${cas}: register is ${showValue(state)}`;
}

function nextValue(state: RegisterState, call: Call): RegisterState {
  if (call.f === 'write') return call.input ?? null;
  // cas: the compare failed (state unchanged), or it applied.
  if (call.outputKnown && call.output === false) return state;
  return casArguments(call)[1] ?? null;
}

function casArguments(call: Call): [unknown, unknown] {
  const input = call.input;
  if (!Array.isArray(input) || input.length !== 2) {
    throw new TypeError(`cas of process ${call.process} (index ${call.invokeIndex}) needs [expected, new] as its value, got ${showValue(input)}`);
  }
  return [input[0], input[1]];
}

function unknownFunction(model: string, call: Call): Error {
  return new TypeError(`the ${model} model has no function "${call.f}" (process ${call.process}, index ${call.invokeIndex})`);
}

export function describeRegisterCall(call: Call): string {
  switch (call.f) {
    case 'read':
      return call.outputKnown ? `read ${showValue(call.output)}` : 'read (unknown)';
    case 'write':
      return `write ${showValue(call.input)}${call.outputKnown ? '' : ' (unknown)'}`;
    case 'cas': {
      const input = Array.isArray(call.input) ? call.input : [];
      const outcome = !call.outputKnown ? ' (unknown)' : call.output === false ? ' (compare failed)' : '';
      return `cas ${showValue(input[0])}→${showValue(input[1])}${outcome}`;
    }
    default:
      return `${call.f} ${showValue(call.input)}`;
  }
}

export function registerModel(options: RegisterOptions = {}): Model<RegisterState> {
  return makeRegisterModel({ name: 'register', allowCas: false, nilReadIsWildcard: true }, options);
}

export function casRegisterModel(options: RegisterOptions = {}): Model<RegisterState> {
  return makeRegisterModel({ name: 'cas-register', allowCas: true, nilReadIsWildcard: true }, options);
}

export function etcdModel(options: RegisterOptions = {}): Model<RegisterState> {
  return makeRegisterModel({ name: 'etcd', allowCas: true, nilReadIsWildcard: false }, options);
}
