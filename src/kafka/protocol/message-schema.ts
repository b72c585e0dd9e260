/**
 * Messages described once, as data, the way Apache Kafka's JSON message schemas describe them:
 * every field with the versions it is on the wire (`versions`), the versions in which it may be
 * null (`nullableVersions`), and, in flexible versions, whether it travels as a tagged field
 * (`taggedVersions`, `tag`). From one table schema-codec.ts derives the encoder and the decoder of
 * each version and schema-grammar.ts the grammar, so no field is ever written down twice.
 *
 * The TypeScript type of a message is derived from its table too (`MessageValue`): declare the
 * table `as const` and the type follows, one property per field, null allowed where some version
 * allows it. A version that lacks a field decodes it as the field's default.
 *
 * Types, as Kafka names them: bool, int8, int16, uint16, int32, uint32, int64 (a bigint),
 * float64, string, bytes (a Buffer), uuid (Kafka's base64 text form, see uuid.ts), `[]T` an array
 * of T, and a struct (a field with `fields`; its `type` names the struct, `[]Name` for an array of
 * them). Not tied to the Kafka APIs: any binary message with the same needs can use it.
 */

export type PrimitiveType = 'bool' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'float64' | 'string' | 'bytes' | 'uuid';

export type DefaultValue = string | number | bigint | boolean | null | readonly never[];

export interface FieldSpec {
  /** Our name for the field (camelCase); the grammar prints it in snake_case, as Kafka's docs do. */
  readonly name: string;
  /** A primitive type, `[]primitive`, a struct name, or `[]StructName` (structs carry `fields`). */
  readonly type: string;
  /** The versions the field is in: `0+`, `1-3`, `2`, or `none`. */
  readonly versions: string;
  /** The versions in which the field may be null (strings, bytes and arrays only). */
  readonly nullableVersions?: string;
  /** The flexible versions in which the field travels in the tagged-field section instead. */
  readonly taggedVersions?: string;
  readonly tag?: number;
  /** The value decoded where the field is absent (and, tagged, the value left off the wire). */
  readonly default?: DefaultValue;
  /** A struct's fields. */
  readonly fields?: readonly FieldSpec[];
  /**
   * Leniency for peers that write null where the schema says non-nullable (kafkajs writes some
   * lists as nullable arrays): a null decodes as this instead of failing.
   */
  readonly decodeNullAs?: readonly never[];
  readonly about?: string;
}

export interface MessageSchema {
  /** Kafka's name, e.g. `DescribeQuorumResponse`. */
  readonly name: string;
  readonly validVersions: string;
  /** From which version on the compact encodings and tagged fields apply (`none`: never). */
  readonly flexibleVersions: string;
  readonly fields: readonly FieldSpec[];
  /** Struct types shared by several fields, printed once at the end of the grammar. */
  readonly commonStructs?: readonly string[];
}

// ---------------------------------------------------------------- the types a table describes

type PrimitiveValue<T> =
  T extends 'bool' ? boolean
    : T extends 'int64' ? bigint
      : T extends 'string' | 'uuid' ? string
        : T extends 'bytes' ? Buffer
          : number;

type BaseValue<F extends FieldSpec> = F extends { readonly fields: infer S extends readonly FieldSpec[] }
  ? F['type'] extends `[]${string}` ? StructValue<S>[] : StructValue<S>
  : F['type'] extends `[]${infer Element}` ? PrimitiveValue<Element>[] : PrimitiveValue<F['type']>;

type FieldValue<F extends FieldSpec> = F extends { readonly nullableVersions: string } ? BaseValue<F> | null : BaseValue<F>;

/** The value of a struct (or message) with these fields. */
export type StructValue<S extends readonly FieldSpec[]> = { [F in S[number] as F['name']]: FieldValue<F> };

/** The value of a message described by `M`. */
export type MessageValue<M extends MessageSchema> = StructValue<M['fields']>;

// ---------------------------------------------------------------- version ranges

export interface VersionRange {
  min: number;
  /** Infinity for `N+`; -1 below min for `none`. */
  max: number;
}

const NO_VERSIONS: VersionRange = { min: 0, max: -1 };

/** Parses Kafka's version range syntax: `0+`, `1-3`, `2`, `none`. */
export function parseVersions(text: string): VersionRange {
  if (text === 'none') return NO_VERSIONS;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus !== null) return { min: Number(plus[1]), max: Infinity };
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range !== null && Number(range[1]) <= Number(range[2])) return { min: Number(range[1]), max: Number(range[2]) };
  if (/^\d+$/.test(text)) return { min: Number(text), max: Number(text) };
  throw new SyntaxError(`bad version range '${text}' (expected N+, N-M, N or none)`);
}

export function inVersions(text: string | undefined, version: number): boolean {
  if (text === undefined) return false;
  const range = parseVersions(text);
  return version >= range.min && version <= range.max;
}

/** The element type of `[]T`, or undefined for a type that is not an array. */
export function arrayElementType(type: string): string | undefined {
  return type.startsWith('[]') ? type.slice(2) : undefined;
}

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>([
  'bool', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float64', 'string', 'bytes', 'uuid',
]);

export function isPrimitiveType(type: string): type is PrimitiveType {
  return PRIMITIVES.has(type);
}

/**
 * Checks a table before any codec is built from it, so a mistake in one names the field: unknown
 * types, structs without fields, bad version ranges, tags on non-flexible messages, duplicate tags
 * or names.
 */
export function checkSchema(schema: MessageSchema): void {
  parseVersions(schema.validVersions);
  parseVersions(schema.flexibleVersions);
  checkFields(schema, schema.fields, schema.name);
}

function checkFields(schema: MessageSchema, fields: readonly FieldSpec[], path: string): void {
  const names = new Set<string>();
  const tags = new Set<number>();
  for (const field of fields) {
    const where = `${path}.${field.name}`;
    if (names.has(field.name)) throw new SyntaxError(`${where}: the name is used twice`);
    names.add(field.name);
    parseVersions(field.versions);
    if (field.nullableVersions !== undefined) parseVersions(field.nullableVersions);
    const element = arrayElementType(field.type) ?? field.type;
    if (field.fields !== undefined) {
      if (isPrimitiveType(element)) throw new SyntaxError(`${where}: a ${field.type} cannot have fields`);
      checkFields(schema, field.fields, where);
    } else if (!isPrimitiveType(element)) {
      throw new SyntaxError(`${where}: unknown type ${field.type} (a struct needs fields)`);
    }
    if (field.taggedVersions !== undefined) {
      parseVersions(field.taggedVersions);
      if (field.tag === undefined) throw new SyntaxError(`${where}: tagged without a tag`);
      if (tags.has(field.tag)) throw new SyntaxError(`${where}: tag ${field.tag} is used twice`);
      tags.add(field.tag);
      if (schema.flexibleVersions === 'none') throw new SyntaxError(`${where}: tagged in a message with no flexible versions`);
    } else if (field.tag !== undefined) {
      throw new SyntaxError(`${where}: a tag without taggedVersions`);
    }
  }
}
