/**
 * Encoders and decoders built from a message table (message-schema.ts), one pair per version.
 * Building walks the table once and leaves a tree of small closures, one per field, so encoding
 * and decoding do no table lookups; what a version lacks is decided at build time.
 *
 * The wire rules, as Kafka's generated code follows them:
 * - fields go in table order; a field absent from the version is skipped on the wire and decodes
 *   as its default;
 * - flexible versions use the compact forms (unsigned varint of length + 1, 0 for null) and end
 *   every struct, the message included, with a tagged-field section; a tagged field is written
 *   only when its value differs from its default, in ascending tag order, and a decoder keeps the
 *   tags it knows and skips the others;
 * - null where the version does not allow it fails with NULL_NOT_ALLOWED, in both directions.
 */
import {
  arrayElementType, checkSchema, inVersions, type FieldSpec, type MessageSchema, type MessageValue,
} from './message-schema.js';
import { KafkaProtocolError } from './protocol-error.js';
import { Reader } from './reader.js';
import { uuidFromBytes, uuidToBytes, ZERO_UUID } from './uuid.js';
import { Writer } from './writer.js';

export interface MessageCodec<T> {
  readonly version: number;
  encode(writer: Writer, value: T): void;
  decode(reader: Reader): T;
}

type Encode = (writer: Writer, value: unknown) => void;
type Decode = (reader: Reader) => unknown;

interface ValueCodec {
  encode: Encode;
  decode: Decode;
}

const checkedSchemas = new WeakSet<MessageSchema>();

/** The codec of `schema` at `version`; throws a RangeError outside the schema's valid versions. */
export function compileMessage<M extends MessageSchema>(schema: M, version: number): MessageCodec<MessageValue<M>> {
  if (!checkedSchemas.has(schema)) {
    checkSchema(schema);
    checkedSchemas.add(schema);
  }
  if (!inVersions(schema.validVersions, version)) {
    throw new RangeError(`${schema.name} has no version ${version} (valid: ${schema.validVersions})`);
  }
  const codec = compileStruct(schema.fields, version, inVersions(schema.flexibleVersions, version), '');
  return {
    version,
    encode: codec.encode as (writer: Writer, value: MessageValue<M>) => void,
    decode: codec.decode as (reader: Reader) => MessageValue<M>,
  };
}

// ---------------------------------------------------------------- structs

interface PlannedField {
  name: string;
  /** Null when the field is not in the regular wire order of this version (absent or tagged). */
  onWire: ValueCodec | null;
  makeDefault: () => unknown;
}

interface TaggedField {
  name: string;
  tag: number;
  codec: ValueCodec;
  defaultValue: unknown;
  makeDefault: () => unknown;
}

function compileStruct(fields: readonly FieldSpec[], version: number, flexible: boolean, path: string): ValueCodec {
  const planned: PlannedField[] = [];
  const tagged: TaggedField[] = [];
  for (const field of fields) {
    const fieldPath = `${path}${pascalCase(field.name)}`;
    const makeDefault = defaultFactory(field, version, flexible, fieldPath);
    const present = inVersions(field.versions, version);
    if (present && flexible && inVersions(field.taggedVersions, version)) {
      tagged.push({ name: field.name, tag: field.tag!, codec: compileField(field, version, flexible, fieldPath), defaultValue: makeDefault(), makeDefault });
      planned.push({ name: field.name, onWire: null, makeDefault });
    } else {
      planned.push({ name: field.name, onWire: present ? compileField(field, version, flexible, fieldPath) : null, makeDefault });
    }
  }
  tagged.sort((a, b) => a.tag - b.tag);
  const taggedByTag = new Map(tagged.map((field) => [field.tag, field]));
  const encodeFields = compileStructEncoder(planned);
  const decodeFields = compileStructDecoder(planned);
  return {
    encode(writer, value) {
      encodeFields(writer, value);
      if (flexible) encodeTaggedSection(writer, value as Record<string, unknown>, tagged);
    },
    decode(reader) {
      const struct = decodeFields(reader);
      if (flexible) decodeTaggedSection(reader, struct, taggedByTag);
      return struct;
    },
  };
}

/*
 * A struct's encoder and decoder are compiled into one function each, as Kafka's generated code
 * has one method per struct: the encoder reads each field by a constant name and the decoder
 * builds the struct as one object literal in table order, so every struct of a type shares one
 * shape. Walking the fields in a loop instead (value[field.name]) cost a fifth to a third of the
 * codec's speed. Names are written with JSON.stringify, so no table text becomes code.
 */
function compileStructEncoder(planned: readonly PlannedField[]): Encode {
  const encoders: Encode[] = [];
  const statements: string[] = [];
  for (const field of planned) {
    if (field.onWire === null) continue;
    statements.push(`e[${encoders.length}](w, v[${JSON.stringify(field.name)}]);`);
    encoders.push(field.onWire.encode);
  }
  return new Function('e', `return function encodeStruct(w, v) { ${statements.join(' ')} };`)(encoders) as Encode;
}

function compileStructDecoder(planned: readonly PlannedField[]): (reader: Reader) => Record<string, unknown> {
  const decoders: Decode[] = [];
  const defaults: (() => unknown)[] = [];
  const properties = planned.map((field) => {
    const key = JSON.stringify(field.name);
    if (field.onWire === null) {
      defaults.push(field.makeDefault);
      return `${key}: m[${defaults.length - 1}]()`;
    }
    decoders.push(field.onWire.decode);
    return `${key}: d[${decoders.length - 1}](r)`;
  });
  return new Function('d', 'm', `return function decodeStruct(r) { return { ${properties.join(', ')} }; };`)(decoders, defaults) as
    (reader: Reader) => Record<string, unknown>;
}

function encodeTaggedSection(writer: Writer, struct: Record<string, unknown>, tagged: readonly TaggedField[]): void {
  const written: [number, Buffer][] = [];
  for (const field of tagged) {
    const value = struct[field.name];
    if (value === undefined || sameValue(value, field.defaultValue)) continue;
    const fieldWriter = new Writer();
    field.codec.encode(fieldWriter, value);
    written.push([field.tag, fieldWriter.toBuffer()]);
  }
  writer.uvarint(written.length);
  for (const [tag, bytes] of written) writer.uvarint(tag).uvarint(bytes.length).raw(bytes);
}

function decodeTaggedSection(reader: Reader, struct: Record<string, unknown>, taggedByTag: ReadonlyMap<number, TaggedField>): void {
  for (const [tag, bytes] of reader.taggedFields()) {
    const field = taggedByTag.get(tag);
    // Tags this version does not know are skipped, as flexible versions require.
    if (field === undefined) continue;
    const fieldReader = new Reader(bytes);
    struct[field.name] = field.codec.decode(fieldReader);
    fieldReader.expectEnd(`tagged field ${tag} (${field.name})`);
  }
}

// ---------------------------------------------------------------- fields

function compileField(field: FieldSpec, version: number, flexible: boolean, path: string): ValueCodec {
  const nullable = inVersions(field.nullableVersions, version);
  const element = arrayElementType(field.type);
  if (field.fields !== undefined) {
    const struct = compileStruct(field.fields, version, flexible, `${path}.`);
    return element === undefined ? struct : arrayCodec(struct, nullable, flexible, path, field.decodeNullAs);
  }
  if (element !== undefined) return arrayCodec(primitiveCodec(element, false, flexible, path), nullable, flexible, path, field.decodeNullAs);
  return primitiveCodec(field.type, nullable, flexible, path);
}

function arrayCodec(item: ValueCodec, nullable: boolean, flexible: boolean, path: string, nullAs: readonly never[] | undefined): ValueCodec {
  const readNullable = flexible
    ? (reader: Reader) => reader.compactNullableArray(item.decode)
    : (reader: Reader) => reader.nullableArray(item.decode);
  let decode: Decode;
  if (nullable) decode = readNullable;
  else if (nullAs !== undefined) decode = (reader) => readNullable(reader) ?? [...nullAs];
  else decode = flexible ? (reader) => reader.compactArray(path, item.decode) : (reader) => reader.array(path, item.decode);
  return {
    encode(writer, value) {
      if (value === null) return writeNull(writer, nullable, flexible ? 'uvarint' : 'int32', path);
      if (!Array.isArray(value)) throw notA('an array', value, path);
      if (flexible) writer.compactArray(value, item.encode);
      else writer.array(value, item.encode);
    },
    decode,
  };
}

function primitiveCodec(type: string, nullable: boolean, flexible: boolean, path: string): ValueCodec {
  switch (type) {
    case 'bool': return { encode: (w, v) => w.boolean(v as boolean), decode: (r) => r.boolean() };
    case 'int8': return { encode: (w, v) => w.int8(v as number), decode: (r) => r.int8() };
    case 'int16': return { encode: (w, v) => w.int16(v as number), decode: (r) => r.int16() };
    case 'uint16': return { encode: (w, v) => w.uint16(v as number), decode: (r) => r.uint16() };
    case 'int32': return { encode: (w, v) => w.int32(v as number), decode: (r) => r.int32() };
    case 'uint32': return { encode: (w, v) => w.uint32(v as number), decode: (r) => r.uint32() };
    case 'int64': return { encode: (w, v) => w.int64(v as bigint), decode: (r) => r.int64() };
    case 'float64': return { encode: (w, v) => w.float64(v as number), decode: (r) => r.float64() };
    case 'uuid': return { encode: (w, v) => w.uuid(uuidToBytes(v as string)), decode: (r) => uuidFromBytes(r.uuid()) };
    case 'string': return stringCodec(nullable, flexible, path);
    case 'bytes': return bytesCodec(nullable, flexible, path);
    default: throw new SyntaxError(`${path}: unknown type ${type}`);
  }
}

function stringCodec(nullable: boolean, flexible: boolean, path: string): ValueCodec {
  const decode: Decode = flexible
    ? (nullable ? (r) => r.compactNullableString() : (r) => r.compactString(path))
    : (nullable ? (r) => r.nullableString() : (r) => r.string(path));
  return {
    encode(writer, value) {
      if (value === null) return writeNull(writer, nullable, flexible ? 'uvarint' : 'int16', path);
      if (typeof value !== 'string') throw notA('a string', value, path);
      if (flexible) writer.compactString(value);
      else writer.string(value);
    },
    decode,
  };
}

function bytesCodec(nullable: boolean, flexible: boolean, path: string): ValueCodec {
  const decode: Decode = flexible
    ? (nullable ? (r) => r.compactNullableBytes() : (r) => r.compactBytes(path))
    : (nullable ? (r) => r.nullableBytes() : (r) => r.bytes(path));
  return {
    encode(writer, value) {
      if (value === null) return writeNull(writer, nullable, flexible ? 'uvarint' : 'int32', path);
      if (!Buffer.isBuffer(value)) throw notA('a Buffer', value, path);
      if (flexible) writer.compactBytes(value);
      else writer.bytes(value);
    },
    decode,
  };
}

/** Null on the wire: 0 as a compact length, -1 as a classic one. */
function writeNull(writer: Writer, nullable: boolean, lengthType: 'uvarint' | 'int16' | 'int32', path: string): void {
  if (!nullable) {
    throw new KafkaProtocolError('NULL_NOT_ALLOWED', `${path} is null`, { cause: new TypeError(`the schema declares ${path} non-nullable in this version`) });
  }
  if (lengthType === 'uvarint') writer.uvarint(0);
  else if (lengthType === 'int16') writer.int16(-1);
  else writer.int32(-1);
}

function notA(what: string, value: unknown, path: string): KafkaProtocolError {
  return new KafkaProtocolError('VALUE_OUT_OF_RANGE', `${path} must be ${what}, got ${typeof value}`, { cause: new TypeError(`${path}: ${String(value)}`) });
}

// ---------------------------------------------------------------- defaults

/**
 * A factory of the field's default, fresh each time (decoded arrays and structs are the caller's
 * to change). Without an explicit default: 0, false, '', empty, the zero UUID, or a struct of
 * defaults, as Kafka's generated code has it.
 */
function defaultFactory(field: FieldSpec, version: number, flexible: boolean, path: string): () => unknown {
  const element = arrayElementType(field.type);
  if (element !== undefined) return () => [];
  if (field.fields !== undefined) {
    const parts = field.fields.map((inner) => [inner.name, defaultFactory(inner, version, flexible, `${path}.${pascalCase(inner.name)}`)] as const);
    return () => Object.fromEntries(parts.map(([name, make]) => [name, make()]));
  }
  const given = field.default;
  if (given === null) return () => null;
  switch (field.type) {
    case 'int64': {
      const value = BigInt((given ?? 0) as number | bigint | string);
      return () => value;
    }
    case 'bool': {
      const value = given ?? false;
      return () => value;
    }
    case 'string': {
      const value = given ?? '';
      return () => value;
    }
    case 'uuid': {
      const value = given ?? ZERO_UUID;
      return () => value;
    }
    case 'bytes': return () => Buffer.alloc(0);
    default: {
      const value = Number(given ?? 0);
      return () => value;
    }
  }
}

/** Deep equality over decoded values (primitives, bigints, Buffers, arrays, structs). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return false;
}

/** `topicName` → `TopicName`: Kafka's field names, for error messages that name a field. */
export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
