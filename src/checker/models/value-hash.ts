/**
 * Cheap hashing and equality of the JSON values model states hold (register contents, kv texts).
 * The search memoizes on `hash`, so it runs once per explored configuration: an integer hashes to
 * itself, a string by FNV-1a (which can be continued, so appending to a string extends its hash
 * without rereading it), arrays and objects structurally, objects independently of key order.
 * Equality is structural, as Clojure's `=` is for Knossos' models, and hashes agree with it.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** The hash of null / nil: a fixed odd constant, unlikely to collide with small integers. */
const NULL_HASH = 0x5bd1e995 | 0;

/** FNV-1a over UTF-16 code units, as a signed 32-bit integer. */
export function fnv1a(text: string): number {
  return fnv1aContinue(FNV_OFFSET | 0, text);
}

/** Continues an FNV-1a hash: fnv1aContinue(fnv1a(a), b) === fnv1a(a + b). */
export function fnv1aContinue(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h | 0;
}

export function hashValue(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) ? value | 0 : fnv1a(String(value));
  if (typeof value === 'string') return fnv1a(value);
  if (value === null || value === undefined) return NULL_HASH;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) {
    let h = 0x2f0b3c1d;
    for (const item of value) h = Math.imul(h ^ hashValue(item), FNV_PRIME);
    return h | 0;
  }
  if (typeof value === 'object') {
    // A sum over entries: independent of key order, as equality is.
    let h = 0x6a09e667;
    for (const [key, item] of Object.entries(value)) h = (h + mixEntryHash(fnv1a(key), hashValue(item))) | 0;
    return h;
  }
  return fnv1a(String(value));
}

/** Mixes a value's hash with its key's, so that a state hash can be a sum over entries. */
export function mixEntryHash(keyHash: number, valueHash: number): number {
  let h = Math.imul(keyHash ^ 0x9e3779b9, 0x85ebca6b) ^ valueHash;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // undefined and null both mean "nothing" in a history value.
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!valuesEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** A value as people read it in reports: nil for nothing, JSON otherwise, cut at 60 characters. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
