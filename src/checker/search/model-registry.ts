/**
 * How a worker thread gets the model: functions cannot cross threads, so a model travels as its
 * registry name and options (`modelByName` in ../models/index.ts) and is rebuilt on the other side.
 * A model the registry cannot rebuild (a test's own model, say) is simply checked in-thread.
 */
import type { Model } from '../model.js';

export interface ModelReference {
  name: string;
  options: Readonly<Record<string, unknown>> | undefined;
}

type ModelByName = (name: string, options?: Readonly<Record<string, unknown>>) => Model<unknown>;

// Loaded by URL so that this file does not depend on the registry at compile time: the search
// must work for any model, registered or not.
const REGISTRY_URL = new URL(`../models/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export async function loadModel(reference: ModelReference): Promise<Model<unknown>> {
  const registry = (await import(REGISTRY_URL.href)) as { modelByName?: ModelByName };
  if (typeof registry.modelByName !== 'function') throw new Error(`${REGISTRY_URL.pathname} has no modelByName`);
  return registry.modelByName(reference.name, reference.options);
}

/**
 * The reference that rebuilds `model` in another thread, or null when the registry cannot: the
 * name is not registered, or the registered model lacks a hook this one has (or has one this one
 * lacks), as a registered model with a hook added by `withKeysOf` does. A worker would otherwise
 * search with other hooks than this thread (the verdict is the same, the search is not).
 */
export async function referenceFor(model: Model<unknown>): Promise<ModelReference | null> {
  const reference = { name: model.name, options: model.options };
  try {
    const rebuilt = await loadModel(reference);
    return rebuilt.name === model.name && sameHooks(rebuilt, model) ? reference : null;
  } catch {
    // Not registered (or no registry yet): the caller checks in-thread, which is always correct.
    return null;
  }
}

/** Whether two models have functions under the same names (their hooks). */
function sameHooks(a: Model<unknown>, b: Model<unknown>): boolean {
  const hooks = (model: Model<unknown>): string =>
    Object.keys(model).filter((name) => typeof (model as unknown as Record<string, unknown>)[name] === 'function').sort().join(',');
  return hooks(a) === hooks(b);
}
