/**
 * The Java properties file format (java.util.Properties#load), which Kafka's `server.properties`
 * uses: `#` and `!` comment lines, `key=value`, `key: value` or `key value`, whitespace trimmed
 * around the separator, a trailing odd backslash continuing the line (leading whitespace of the
 * continuation dropped), and escapes (`\t`, `\n`, `\r`, `\f`, `\uXXXX`, `\` before any other
 * character yields that character).
 */

export class PropertiesSyntaxError extends Error {
  constructor(readonly source: string, readonly lineNumber: number, message: string) {
    super(`${source}:${lineNumber}: ${message}`);
    this.name = 'PropertiesSyntaxError';
  }
}

export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts, for error messages. */
  lineNumber: number;
}

/** Parses properties text; a key given twice keeps its last value, as Java does. */
export function parseProperties(text: string, source = 'properties'): Map<string, PropertyEntry> {
  const entries = new Map<string, PropertyEntry>();
  for (const logical of logicalLines(text)) {
    const entry = parseEntry(logical.text, source, logical.lineNumber);
    entries.set(entry.key, entry);
  }
  return entries;
}

interface LogicalLine {
  text: string;
  lineNumber: number;
}

/** Joins continued lines; drops blank and comment lines. */
function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r\n|\r|\n/);
  const lines: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const first = (physical[i] as string).replace(/^[ \t\f]+/, '');
    if (first === '' || first.startsWith('#') || first.startsWith('!')) continue;
    const lineNumber = i + 1;
    let joined = first;
    while (endsWithContinuation(joined) && i + 1 < physical.length) {
      joined = joined.slice(0, -1) + (physical[++i] as string).replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(joined)) joined = joined.slice(0, -1);
    lines.push({ text: joined, lineNumber });
  }
  return lines;
}

/** An odd number of trailing backslashes: the last one escapes the line break. */
function endsWithContinuation(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

function parseEntry(line: string, source: string, lineNumber: number): PropertyEntry {
  let keyEnd = 0;
  while (keyEnd < line.length) {
    const ch = line[keyEnd] as string;
    if (ch === '\\') { keyEnd += 2; continue; }
    if (ch === '=' || ch === ':' || ch === ' ' || ch === '\t' || ch === '\f') break;
    keyEnd++;
  }
  let valueStart = keyEnd;
  while (valueStart < line.length && /[ \t\f]/.test(line[valueStart] as string)) valueStart++;
  if (valueStart < line.length && (line[valueStart] === '=' || line[valueStart] === ':')) valueStart++;
  while (valueStart < line.length && /[ \t\f]/.test(line[valueStart] as string)) valueStart++;
  const key = unescape(line.slice(0, Math.min(keyEnd, line.length)), source, lineNumber);
  // Java keeps trailing whitespace in values; Kafka trims it when it reads each setting, and so
  // do we, since a stray space after a number is never meant.
  const value = unescape(line.slice(valueStart), source, lineNumber).trim();
  return { key, value, lineNumber };
}

function unescape(text: string, source: string, lineNumber: number): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== '\\') { out += ch; continue; }
    const next = text[++i];
    if (next === undefined) break;
    switch (next) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        const hex = text.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          throw new PropertiesSyntaxError(source, lineNumber, `malformed \\uXXXX escape: '\\u${hex}'`);
        }
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default: out += next;
    }
  }
  return out;
}

/** Writes `key=value` lines that `parseProperties` reads back unchanged (for meta.properties). */
export function renderPropertiesText(entries: Readonly<Record<string, string>>, comment: string): string {
  const lines = [`#${comment}`];
  for (const [key, value] of Object.entries(entries)) lines.push(`${escapeText(key, true)}=${escapeText(value, false)}`);
  return `${lines.join('\n')}\n`;
}

function escapeText(text: string, isKey: boolean): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (isKey && (ch === '=' || ch === ':' || ch === ' ' || ch === '#' || ch === '!')) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}
