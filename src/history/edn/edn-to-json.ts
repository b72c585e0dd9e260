/**
 * Turning EDN reader values into the JSON values our operations carry: keywords and symbols become
 * their names ("read", "jepsen/op"), sets become arrays (in reading order), maps become objects
 * whose keys are names, or the printed EDN of keys that are neither names nor strings.
 */
import { EdnKeyword, EdnSymbol } from './edn-value.js';
import type { EdnValue } from './edn-value.js';
import { printEdn } from './edn-writer.js';

export function ednToJson(value: EdnValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof EdnKeyword || value instanceof EdnSymbol) return value.name;
  if (Array.isArray(value)) return value.map(ednToJson);
  if (value instanceof Set) return [...value].map(ednToJson);
  const object: Record<string, unknown> = {};
  for (const [key, item] of value) {
    // defineProperty, not assignment: a key named "__proto__" must stay a key, not set the prototype.
    Object.defineProperty(object, ednKeyText(key), { value: ednToJson(item), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

function ednKeyText(key: EdnValue): string {
  if (typeof key === 'string') return key;
  if (key instanceof EdnKeyword || key instanceof EdnSymbol) return key.name;
  return printEdn(key);
}

/** A name-like value (keyword, symbol, string) as a string; undefined otherwise. */
export function ednName(value: EdnValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof EdnKeyword || value instanceof EdnSymbol) return value.name;
  return undefined;
}
