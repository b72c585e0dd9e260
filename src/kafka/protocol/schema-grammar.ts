/**
 * The grammar of a message table, version by version, in the words of Kafka's protocol guide
 * (INT32, COMPACT_STRING, ARRAY of ..., TAGGED_FIELDS). Versions with the same bytes are printed
 * once as a range. The API files carry this text as a generated comment, so a reader sees the
 * wire layout beside the table it comes from (test/kafka/apis/grammar-comments.test.ts keeps the
 * two in step).
 */
import { arrayElementType, inVersions, parseVersions, type FieldSpec, type MessageSchema } from './message-schema.js';

const INDENT = '  ';

/** The grammar of every valid version of `schema`, identical consecutive versions grouped. */
export function renderGrammar(schema: MessageSchema): string[] {
  const range = parseVersions(schema.validVersions);
  const groups: { from: number; to: number; bytes: string; body: string[] }[] = [];
  for (let version = range.min; version <= range.max; version++) {
    // Grouped by bytes: the "new in" notes differ between versions with the same bytes.
    const bytes = renderVersion(schema, version, false).join('\n');
    const last = groups[groups.length - 1];
    if (last !== undefined && last.bytes === bytes) last.to = version;
    else groups.push({ from: version, to: version, bytes, body: renderVersion(schema, version, true) });
  }
  const lines: string[] = [];
  for (const group of groups) {
    const versions = group.from === group.to ? `v${group.from}` : `v${group.from}-${group.to}`;
    lines.push(`${schema.name} ${versions}:`, ...group.body.map((line) => INDENT + line));
  }
  return lines;
}

interface RenderContext {
  schema: MessageSchema;
  version: number;
  flexible: boolean;
  /** Note the fields new in this version. */
  newIn: boolean;
  /** Shared structs met so far, printed after the message. */
  common: Map<string, readonly FieldSpec[]>;
}

function renderVersion(schema: MessageSchema, version: number, newIn: boolean): string[] {
  const context: RenderContext = { schema, version, flexible: inVersions(schema.flexibleVersions, version), newIn, common: new Map() };
  const lines = renderStruct(context, schema.fields, '');
  if (lines.length === 0) lines.push('(no fields)');
  for (const [name, fields] of context.common) lines.push(`${name}:`, ...renderStruct(context, fields, INDENT));
  return lines;
}

function renderStruct(context: RenderContext, fields: readonly FieldSpec[], indent: string): string[] {
  const { version, flexible } = context;
  const lines: string[] = [];
  const tagged: FieldSpec[] = [];
  for (const field of fields) {
    if (!inVersions(field.versions, version)) continue;
    if (flexible && inVersions(field.taggedVersions, version)) {
      tagged.push(field);
      continue;
    }
    lines.push(...renderField(context, field, indent));
  }
  if (!flexible) return lines;
  lines.push(`${indent}TAGGED_FIELDS`);
  for (const field of tagged.sort((a, b) => a.tag! - b.tag!)) {
    lines.push(...renderField(context, field, `${indent}${INDENT}`, `tag ${field.tag}: `));
  }
  return lines;
}

function renderField(context: RenderContext, field: FieldSpec, indent: string, prefix = ''): string[] {
  const { schema, version, flexible } = context;
  const nullable = inVersions(field.nullableVersions, version);
  const element = arrayElementType(field.type);
  const notes: string[] = [];
  const firstVersion = parseVersions(field.versions).min;
  if (context.newIn && firstVersion === version && version > parseVersions(schema.validVersions).min) notes.push(`new in v${version}`);
  if (field.about !== undefined) notes.push(field.about);
  const head = `${indent}${prefix}${snakeCase(field.name)} `;
  const note = notes.length === 0 ? '' : `  (${notes.join('; ')})`;
  if (field.fields === undefined) {
    const type = element === undefined ? primitiveName(field.type, nullable, flexible) : `${arrayName(nullable, flexible)} of ${primitiveName(element, false, flexible)}`;
    return [`${head}${type}${note}`];
  }
  const structName = element ?? field.type;
  const shared = schema.commonStructs?.includes(structName) ?? false;
  const type = element === undefined ? structName : `${arrayName(nullable, flexible)} of ${shared ? structName : ''}`.trimEnd();
  if (shared) {
    context.common.set(structName, field.fields);
    return [`${head}${type}${note}`];
  }
  return [`${head}${type}${note}`, ...renderStruct(context, field.fields, `${indent}${INDENT}`)];
}

function primitiveName(type: string, nullable: boolean, flexible: boolean): string {
  switch (type) {
    case 'bool': return 'BOOLEAN';
    case 'string':
    case 'bytes': {
      const base = type.toUpperCase();
      return `${flexible ? 'COMPACT_' : ''}${nullable ? 'NULLABLE_' : ''}${base}`;
    }
    default: return type.toUpperCase();
  }
}

function arrayName(nullable: boolean, flexible: boolean): string {
  return `${flexible ? 'COMPACT_' : ''}${nullable ? 'NULLABLE_' : ''}ARRAY`;
}

/** `topicName` → `topic_name`, as Kafka's protocol guide names fields. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
