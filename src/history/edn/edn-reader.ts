/**
 * A small EDN reader, enough for Jepsen and Knossos histories: nil, booleans, integers (with an
 * optional N), floats (with an optional M), strings, characters, keywords, symbols, vectors,
 * lists, maps, sets, `;` comments, commas as whitespace, `#_` discards, and tagged literals, whose
 * tag is dropped and whose value is kept (so `#jepsen.history.Op{...}` reads as the map).
 * Malformed text is a HistoryFormatError('bad-edn') naming the line.
 *
 * Numbers become JS numbers; an integer beyond 2^53 is an error rather than silently rounded,
 * since a history's values must compare exactly.
 */
import { HistoryFormatError } from '../history-format-error.js';
import { EdnKeyword, EdnSymbol } from './edn-value.js';
import type { EdnValue } from './edn-value.js';

/** A top-level form or a top-level collection's element, with the line it starts on (1-based). */
export interface EdnEntry {
  value: EdnValue;
  line: number;
}

/** Reads exactly one form (surrounding whitespace and comments allowed). */
export function readEdn(text: string): EdnValue {
  const reader = new EdnReader(text);
  reader.skipSpace();
  if (reader.atEnd()) reader.fail('no EDN form in the text');
  const value = reader.readForm();
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail(`unexpected text after the form: ${reader.peekText()}`);
  return value;
}

/**
 * The entries of a history file: when the text is one vector or list (Knossos' data files), its
 * elements; otherwise every top-level form (Jepsen's history.edn, Porcupine's kv logs: one map
 * per line). Each with its starting line.
 */
export function readEdnEntries(text: string): EdnEntry[] {
  const reader = new EdnReader(text);
  reader.skipSpace();
  const opener = reader.peekChar();
  if (opener === '[' || opener === '(') {
    const entries = reader.readCollectionEntries();
    reader.skipSpace();
    if (!reader.atEnd()) reader.fail(`unexpected text after the history collection: ${reader.peekText()}`);
    return entries;
  }
  const entries: EdnEntry[] = [];
  while (!reader.atEnd()) {
    const line = reader.line;
    entries.push({ value: reader.readForm(), line });
    reader.skipSpace();
  }
  return entries;
}

const CLOSERS: Record<string, string> = { '[': ']', '(': ')', '{': '}' };

function isSpace(code: number): boolean {
  // space, tab, newline, carriage return, form feed, comma
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 44;
}

function isDelimiter(code: number): boolean {
  return (
    isSpace(code) ||
    code === 40 || code === 41 || // ( )
    code === 91 || code === 93 || // [ ]
    code === 123 || code === 125 || // { }
    code === 34 || code === 59 // " ;
  );
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const INTEGER = /^[+-]?\d+N?$/;
const FLOAT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/;

const NAMED_CHARACTERS: Record<string, string> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  backspace: '\b',
  formfeed: '\f',
};

class EdnReader {
  pos = 0;
  line = 1;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peekChar(): string {
    return this.text.charAt(this.pos);
  }

  peekText(): string {
    return JSON.stringify(this.text.slice(this.pos, this.pos + 20));
  }

  fail(detail: string): never {
    throw new HistoryFormatError('bad-edn', this.line, `bad EDN: ${detail}`);
  }

  /** Skips whitespace, commas, comments and `#_` discarded forms. */
  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const code = text.charCodeAt(this.pos);
      if (code === 10) {
        this.line++;
        this.pos++;
      } else if (isSpace(code)) {
        this.pos++;
      } else if (code === 59) {
        // ; comment to the end of the line (the newline itself is counted above)
        while (this.pos < text.length && text.charCodeAt(this.pos) !== 10) this.pos++;
      } else if (code === 35 && text.charCodeAt(this.pos + 1) === 95) {
        // #_ discards the next form
        this.pos += 2;
        this.skipSpace();
        if (this.atEnd()) this.fail('#_ with no form to discard');
        this.readForm();
      } else {
        return;
      }
    }
  }

  readForm(): EdnValue {
    this.skipSpace();
    if (this.atEnd()) this.fail('unexpected end of text');
    const char = this.text.charAt(this.pos);
    switch (char) {
      case '[':
      case '(':
        return this.readSequence();
      case '{':
        return this.readMap();
      case '"':
        return this.readString();
      case '\\':
        return this.readCharacter();
      case ':':
        return this.readKeyword();
      case '#':
        return this.readDispatch();
      case ']':
      case ')':
      case '}':
        return this.fail(`unmatched '${char}'`);
      default:
        return this.readAtom();
    }
  }

  /** The elements of the vector or list at pos, each with its starting line. */
  readCollectionEntries(): EdnEntry[] {
    const closer = CLOSERS[this.text.charAt(this.pos)]!;
    const openLine = this.line;
    this.pos++;
    const entries: EdnEntry[] = [];
    while (true) {
      this.skipSpace();
      if (this.atEnd()) this.fail(`'${closer}' missing for the collection opened on line ${openLine}`);
      if (this.text.charAt(this.pos) === closer) {
        this.pos++;
        return entries;
      }
      const line = this.line;
      entries.push({ value: this.readForm(), line });
    }
  }

  private readSequence(): EdnValue[] {
    const closer = CLOSERS[this.text.charAt(this.pos)]!;
    return this.readUntil(closer);
  }

  private readUntil(closer: string): EdnValue[] {
    const openLine = this.line;
    this.pos++;
    const items: EdnValue[] = [];
    while (true) {
      this.skipSpace();
      if (this.atEnd()) this.fail(`'${closer}' missing for the collection opened on line ${openLine}`);
      if (this.text.charAt(this.pos) === closer) {
        this.pos++;
        return items;
      }
      items.push(this.readForm());
    }
  }

  private readMap(): Map<EdnValue, EdnValue> {
    const openLine = this.line;
    const items = this.readUntil('}');
    if (items.length % 2 !== 0) {
      throw new HistoryFormatError('bad-edn', openLine, 'bad EDN: a map needs an even number of forms');
    }
    const map = new Map<EdnValue, EdnValue>();
    for (let i = 0; i < items.length; i += 2) map.set(items[i]!, items[i + 1]!);
    return map;
  }

  private readDispatch(): EdnValue {
    const next = this.text.charAt(this.pos + 1);
    if (next === '{') {
      this.pos++;
      return new Set(this.readUntil('}'));
    }
    // A tagged literal: #tag form. The tag is dropped; what it tags is what a history needs.
    this.pos++;
    const tag = this.readToken();
    if (tag.length === 0) this.fail(`'#' followed by ${this.peekText()} is not a tag, set or discard`);
    this.skipSpace();
    if (this.atEnd()) this.fail(`tag #${tag} with no value`);
    return this.readForm();
  }

  private readString(): string {
    const text = this.text;
    const startLine = this.line;
    let pos = this.pos + 1;
    let result = '';
    let chunkStart = pos;
    while (true) {
      if (pos >= text.length) {
        throw new HistoryFormatError('bad-edn', startLine, 'bad EDN: string not closed');
      }
      const code = text.charCodeAt(pos);
      if (code === 34) break;
      if (code === 10) this.line++;
      if (code !== 92) {
        pos++;
        continue;
      }
      result += text.slice(chunkStart, pos);
      const escape = text.charAt(pos + 1);
      pos += 2;
      switch (escape) {
        case 'n': result += '\n'; break;
        case 't': result += '\t'; break;
        case 'r': result += '\r'; break;
        case 'b': result += '\b'; break;
        case 'f': result += '\f'; break;
        case '"': result += '"'; break;
        case '\\': result += '\\'; break;
        case 'u': {
          const hex = text.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`bad \\u escape "\\u${hex}" in a string`);
          result += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          this.fail(`unknown escape "\\${escape}" in a string`);
      }
      chunkStart = pos;
    }
    result += text.slice(chunkStart, pos);
    this.pos = pos + 1;
    return result;
  }

  private readCharacter(): string {
    this.pos++;
    // A character is one char, or a name; it ends at a delimiter after its first char.
    const start = this.pos;
    if (this.atEnd()) this.fail('a backslash with no character');
    this.pos++;
    while (this.pos < this.text.length && !isDelimiter(this.text.charCodeAt(this.pos))) this.pos++;
    const token = this.text.slice(start, this.pos);
    if (token.length === 1) return token;
    const named = NAMED_CHARACTERS[token];
    if (named !== undefined) return named;
    if (/^u[0-9a-fA-F]{4}$/.test(token)) return String.fromCharCode(parseInt(token.slice(1), 16));
    return this.fail(`unknown character \\${token}`);
  }

  private readKeyword(): EdnKeyword {
    this.pos++;
    const name = this.readToken();
    if (name.length === 0) this.fail('a colon with no keyword name');
    return EdnKeyword.of(name);
  }

  private readAtom(): EdnValue {
    const token = this.readToken();
    if (token.length === 0) this.fail(`unexpected ${this.peekText()}`);
    const first = token.charCodeAt(0);
    const second = token.charCodeAt(1);
    if (isDigit(first) || ((first === 43 || first === 45) && isDigit(second))) return this.parseNumber(token);
    switch (token) {
      case 'nil':
        return null;
      case 'true':
        return true;
      case 'false':
        return false;
      default:
        return EdnSymbol.of(token);
    }
  }

  private parseNumber(token: string): number {
    if (INTEGER.test(token)) {
      const value = Number(token.endsWith('N') ? token.slice(0, -1) : token);
      if (!Number.isSafeInteger(value)) this.fail(`integer ${token} is beyond 2^53 and cannot be held exactly`);
      return value;
    }
    if (FLOAT.test(token)) return Number(token.endsWith('M') ? token.slice(0, -1) : token);
    return this.fail(`bad number ${token}`);
  }

  private readToken(): string {
    const start = this.pos;
    const text = this.text;
    while (this.pos < text.length && !isDelimiter(text.charCodeAt(this.pos))) this.pos++;
    return text.slice(start, this.pos);
  }
}
