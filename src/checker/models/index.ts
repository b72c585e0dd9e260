/**
 * The registry of models by name: what the CLI's --model flag and the worker threads (which get a
 * model as name + options, see ../search/model-registry.ts) resolve. Every model built here carries
 * the options it was built from, so `modelByName(model.name, model.options)` rebuilds it.
 */
import type { Model } from '../model.js';
import { kvModel, kvNoPartitionModel } from './kv.js';
import { multiRegisterModel } from './multi-register.js';
import { mutexModel } from './mutex.js';
import { casRegisterModel, etcdKeyedModel, etcdModel, registerModel } from './register.js';
// The topics model (topics.ts, owned by the report helper) is imported here and listed below.

export type ModelOptions = Readonly<Record<string, unknown>>;

interface RegisteredModel {
  summary: string;
  /** The option names the model accepts. */
  optionNames: readonly string[];
  build(options: ModelOptions): Model<unknown>;
}

const MODELS = new Map<string, RegisteredModel>([
  ['register', {
    summary: 'read/write register; a nil read is a wildcard (Knossos register). Option initial (default nil)',
    optionNames: ['initial'],
    build: (options) => registerModel(options) as Model<unknown>,
  }],
  ['cas-register', {
    summary: 'read/write/cas register; a nil read is a wildcard (Knossos cas-register). Option initial (default nil)',
    optionNames: ['initial'],
    build: (options) => casRegisterModel(options) as Model<unknown>,
  }],
  ['etcd', {
    summary: "Porcupine's etcd register: a nil read means empty, failed cas checked. Option initial (default nil)",
    optionNames: ['initial'],
    build: (options) => etcdModel(options) as Model<unknown>,
  }],
  ['etcd-keyed', {
    summary: 'etcd per key: values are [key, value] pairs (Jepsen independent keys), checked key by key. Option initial (default nil)',
    optionNames: ['initial'],
    build: (options) => etcdKeyedModel(options) as Model<unknown>,
  }],
  ['mutex', {
    summary: 'acquire/release lock (Knossos mutex)',
    optionNames: [],
    build: () => mutexModel() as Model<unknown>,
  }],
  ['multi-register', {
    summary: 'txn of [read|write key value] micro-ops (Knossos multi-register). Option initial, e.g. {"x":0}',
    optionNames: ['initial'],
    build: (options) => multiRegisterModel(options as { initial?: Record<string, unknown> }) as Model<unknown>,
  }],
  ['kv', {
    summary: "get/put/append strings per key, checked key by key (Porcupine's kvModel)",
    optionNames: [],
    build: () => kvModel() as Model<unknown>,
  }],
  ['kv-no-partition', {
    summary: "get/put/append strings, the whole map as one state (Porcupine's kvNoPartitionModel)",
    optionNames: [],
    build: () => kvNoPartitionModel() as Model<unknown>,
  }],
  // Topic metadata (src/checker/models/topics.ts) is registered on the next line by its owner.
  ...(await import('./topics.js')).topicsRegistryEntries,
]);

export function modelNames(): string[] {
  return [...MODELS.keys()].sort();
}

/** One line per model: name and what it checks, for --help. */
export function describeModels(): string[] {
  return modelNames().map((name) => `${name}: ${MODELS.get(name)!.summary}`);
}

export function modelByName(name: string, options: ModelOptions = {}): Model<unknown> {
  const entry = MODELS.get(name);
  if (entry === undefined) {
    throw new Error(`unknown model "${name}"; known models: ${modelNames().join(', ')}`);
  }
  for (const optionName of Object.keys(options)) {
    if (options[optionName] !== undefined && !entry.optionNames.includes(optionName)) {
      const accepted = entry.optionNames.length === 0 ? 'it takes none' : `it takes ${entry.optionNames.join(', ')}`;
      throw new Error(`model "${name}" has no option "${optionName}"; ${accepted}`);
    }
  }
  if (name === 'multi-register' && options['initial'] !== undefined) {
    const initial = options['initial'];
    if (typeof initial !== 'object' || initial === null || Array.isArray(initial)) {
      throw new Error(`model "multi-register": option initial must be an object of key → value, got ${JSON.stringify(initial)}`);
    }
  }
  return entry.build(options);
}

