/**
 * Printing EDN text: from reader values (EdnValue) and from the JSON values our histories carry.
 * JSON objects become maps with keyword keys where the key is a valid keyword name (Jepsen's
 * tools expect keywords) and string keys otherwise; arrays become vectors. Reading the printed
 * text back with the history importer gives the same JSON value (keywords read as strings).
 */
import { EdnKeyword, EdnSymbol } from './edn-value.js';
import type { EdnValue } from './edn-value.js';

/** A name that prints as a keyword and reads back as the same name. */
const KEYWORD_NAME = /^[A-Za-z*!_?$%&=<>][A-Za-z0-9*+!\-_?$%&=<>.]*(\/[A-Za-z*!_?$%&=<>][A-Za-z0-9*+!\-_?$%&=<>.]*)?$/;

export function isKeywordName(name: string): boolean {
  return KEYWORD_NAME.test(name) && name !== 'nil' && name !== 'true' && name !== 'false';
}

export function printEdnString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const code = text.charCodeAt(i);
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

export function printEdnNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`EDN has no form for the number ${value}`);
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value);
  const text = String(value);
  // EDN floats need a fraction or an exponent; JS prints large integral doubles without either.
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** Prints a value produced by the EDN reader. */
export function printEdn(value: EdnValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return printEdnNumber(value);
  if (typeof value === 'string') return printEdnString(value);
  if (value instanceof EdnKeyword) return `:${value.name}`;
  if (value instanceof EdnSymbol) return value.name;
  if (Array.isArray(value)) return `[${value.map(printEdn).join(' ')}]`;
  if (value instanceof Set) return `#{${[...value].map(printEdn).join(' ')}}`;
  const pairs: string[] = [];
  for (const [key, item] of value) pairs.push(`${printEdn(key)} ${printEdn(item)}`);
  return `{${pairs.join(', ')}}`;
}

/** Prints a JSON value (what an Operation's value holds) as EDN. */
export function printJsonAsEdn(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'number':
      return printEdnNumber(value);
    case 'string':
      return printEdnString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(printJsonAsEdn).join(' ')}]`;
      const pairs: string[] = [];
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined) continue;
        pairs.push(`${isKeywordName(key) ? `:${key}` : printEdnString(key)} ${printJsonAsEdn(item)}`);
      }
      return `{${pairs.join(', ')}}`;
    }
    default:
      throw new TypeError(`a history value cannot hold a ${typeof value}`);
  }
}
