/**
 * Peer messages to bytes and back, derived from their one description (peer-messages.ts) by the
 * Kafka codec's generator: each message becomes a schema of version 0 (kafka/protocol/
 * message-schema.ts) compiled into an encoder and a decoder, plus the mapping of the core's values
 * onto wire values the field kinds call for (null node ids as -1, absent fields as null, records
 * as their storage bytes, a few many-shaped values as JSON).
 *
 * A frame's payload (frame-codec.ts adds the length):
 *   hello:     u8 0, then its fields
 *   envelope:  u8 code, i32 from, i32 to, then the message's fields in table order
 *   unknown:   u8 127, i32 from, i32 to, then the message as JSON text to the end of the frame
 */
import type { PeerEnvelope } from '../../core/host-interface.js';
import type { MetadataBatch } from '../../core/metadata-log.js';
import type { FieldSpec, MessageSchema } from '../../kafka/protocol/message-schema.js';
import { Reader } from '../../kafka/protocol/reader.js';
import { compileMessage, type MessageCodec } from '../../kafka/protocol/schema-codec.js';
import { Writer } from '../../kafka/protocol/writer.js';
import { batchOfRecordRun, recordRunOf } from '../storage/batch-codec.js';
import { FRAME_LENGTH_BYTES } from './frame-codec.js';
import { JSON_MESSAGE_CODE, PEER_MESSAGES, type PeerField, type PeerMessageSpec } from './peer-messages.js';

export interface Hello {
  type: 'hello';
  nodeId: number;
  clusterId: string;
}

/** Bytes that are not a peer message; the message names the code and the field that failed. */
export class PeerCodecError extends Error {
  override readonly name = 'PeerCodecError';
}

type Wire = Record<string, unknown>;

interface CompiledMessage {
  spec: PeerMessageSpec;
  codec: MessageCodec<Wire>;
  toWire(message: Wire): Wire;
  fromWire(wire: Wire): Wire;
}

const NO_NODE = -1;
const HELLO_CODE = 0;

const byType = new Map<string, CompiledMessage>();
const byCode = new Map<number, CompiledMessage>();
for (const spec of PEER_MESSAGES) {
  const schema: MessageSchema = { name: spec.type, validVersions: '0', flexibleVersions: 'none', fields: spec.fields.map(schemaField) };
  const compiled: CompiledMessage = {
    spec, codec: compileMessage(schema, 0) as MessageCodec<Wire>, toWire: structToWire(spec.fields), fromWire: structFromWire(spec.fields),
  };
  if (byType.has(spec.type) || byCode.has(spec.code) || spec.code === JSON_MESSAGE_CODE) {
    throw new Error(`peer message ${spec.type}: its type or code ${spec.code} is taken`);
  }
  byType.set(spec.type, compiled);
  byCode.set(spec.code, compiled);
}

/** The frame (length prefix included) of a hello. */
export function encodeHelloFrame(hello: Hello): Buffer {
  const writer = frameWriter();
  writer.int8(HELLO_CODE);
  const compiled = byType.get('hello')!;
  compiled.codec.encode(writer, compiled.toWire(hello as unknown as Wire));
  return sealFrame(writer);
}

/** The frame (length prefix included) of an envelope. */
export function encodeEnvelopeFrame(envelope: PeerEnvelope): Buffer {
  const message = envelope.message as Wire;
  const compiled = byType.get(message.type as string);
  const writer = frameWriter();
  writer.int8(compiled === undefined ? JSON_MESSAGE_CODE : compiled.spec.code).int32(envelope.from).int32(envelope.to);
  if (compiled === undefined) writer.raw(Buffer.from(JSON.stringify(message), 'utf8'));
  else compiled.codec.encode(writer, compiled.toWire(message));
  return sealFrame(writer);
}

/** A hello or an envelope, from a frame's payload; throws PeerCodecError for anything else. */
export function decodePeerPayload(payload: Buffer): Hello | PeerEnvelope {
  if (payload.length === 0) throw new PeerCodecError('an empty frame');
  const code = payload[0]!;
  try {
    if (code === HELLO_CODE) {
      const compiled = byCode.get(HELLO_CODE)!;
      return { type: 'hello', ...decodeWhole(compiled, payload.subarray(1)) } as unknown as Hello;
    }
    if (payload.length < 9) throw new PeerCodecError(`a frame of ${payload.length} bytes is too short for an envelope`);
    const from = payload.readInt32BE(1);
    const to = payload.readInt32BE(5);
    const body = payload.subarray(9);
    if (code === JSON_MESSAGE_CODE) return { from, to, message: JSON.parse(body.toString('utf8')) as unknown };
    const compiled = byCode.get(code);
    if (compiled === undefined) throw new PeerCodecError(`message code ${code} is unknown`);
    return { from, to, message: { type: compiled.spec.type, ...decodeWhole(compiled, body) } };
  } catch (error) {
    if (error instanceof PeerCodecError) throw error;
    const name = byCode.get(code)?.spec.type ?? (code === JSON_MESSAGE_CODE ? 'a JSON message' : `code ${code}`);
    throw new PeerCodecError(`cannot decode ${name}: ${describeError(error)}`, { cause: error });
  }
}

function decodeWhole(compiled: CompiledMessage, body: Buffer): Wire {
  const reader = new Reader(body);
  const wire = compiled.codec.decode(reader);
  reader.expectEnd(compiled.spec.type);
  return compiled.fromWire(wire);
}

function frameWriter(): Writer {
  const writer = new Writer(1024);
  writer.uint32(0); // the length, filled in by sealFrame
  return writer;
}

function sealFrame(writer: Writer): Buffer {
  const frame = writer.toBuffer();
  frame.writeUInt32BE(frame.length - FRAME_LENGTH_BYTES, 0);
  return frame;
}

function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error && parts.length < 4; current = current.cause) parts.push(current.message);
  return parts.join(' <- ') || String(error);
}

// ---------------------------------------------------------------- the table, as schemas

function schemaField(field: PeerField): FieldSpec {
  const base = { name: field.name, versions: '0+' };
  const nullable = { ...base, nullableVersions: '0+' };
  const struct = (): readonly FieldSpec[] => (field.fields ?? []).map(schemaField);
  const structName = field.name[0]!.toUpperCase() + field.name.slice(1);
  switch (field.kind) {
    case 'int32': case 'node?': return { ...base, type: 'int32' };
    case 'float64': case 'optional float64': return { ...base, type: 'float64' };
    case 'bool': return { ...base, type: 'bool' };
    case 'string': return { ...base, type: 'string' };
    case 'string?': case 'optional string': return { ...nullable, type: 'string' };
    // JSON text as bytes: a Kafka string holds at most 32,767 bytes, and a write's result can be
    // more (a 10,000-partition topic's records).
    case 'json': return { ...base, type: 'bytes' };
    case 'optional json': return { ...nullable, type: 'bytes' };
    case 'int32[]': return { ...base, type: '[]int32' };
    case 'batch': return { ...base, type: 'bytes' };
    case 'optional bytes': return { ...nullable, type: 'bytes' };
    case 'struct': return { ...base, type: structName, fields: struct() };
    case 'struct[]': return { ...base, type: `[]${structName}`, fields: struct() };
    case 'optional struct': case 'optional struct[]': return { ...nullable, type: `[]${structName}`, fields: struct() };
  }
}

// ---------------------------------------------------------------- the core's values onto the wire

type Convert = (value: unknown) => unknown;

function structToWire(fields: readonly PeerField[]): (value: Wire) => Wire {
  const converters = fields.map((field) => [field.name, toWire(field)] as const);
  return (value) => {
    const wire: Wire = {};
    for (const [name, convert] of converters) wire[name] = convert(value[name]);
    return wire;
  };
}

function structFromWire(fields: readonly PeerField[]): (wire: Wire) => Wire {
  const converters = fields.map((field) => [field.name, fromWire(field), field.kind.startsWith('optional ')] as const);
  return (wire) => {
    const value: Wire = {};
    for (const [name, convert, optional] of converters) {
      const converted = convert(wire[name]);
      if (!optional || converted !== undefined) value[name] = converted;
    }
    return value;
  };
}

function toWire(field: PeerField): Convert {
  switch (field.kind) {
    case 'node?': return (value) => (value === null ? NO_NODE : value);
    case 'optional string': return (value) => value ?? null;
    case 'optional float64': return (value) => (value === undefined ? NaN : value);
    case 'json': return (value) => Buffer.from(JSON.stringify(value ?? null), 'utf8');
    case 'optional json': return (value) => (value === undefined ? null : Buffer.from(JSON.stringify(value), 'utf8'));
    case 'batch': return (value) => recordRunOf(value as MetadataBatch);
    case 'optional bytes': return (value) => {
      if (value === undefined) return null;
      const bytes = value as Uint8Array;
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    };
    case 'struct': return structToWire(field.fields ?? []) as Convert;
    case 'struct[]': {
      const convert = structToWire(field.fields ?? []);
      return (value) => (value as Wire[]).map(convert);
    }
    case 'optional struct': {
      const convert = structToWire(field.fields ?? []);
      return (value) => (value === undefined ? null : [convert(value as Wire)]);
    }
    case 'optional struct[]': {
      const convert = structToWire(field.fields ?? []);
      return (value) => (value === undefined ? null : (value as Wire[]).map(convert));
    }
    default: return (value) => value;
  }
}

function fromWire(field: PeerField): Convert {
  switch (field.kind) {
    case 'node?': return (value) => (value === NO_NODE ? null : value);
    case 'optional string': return (value) => value ?? undefined;
    case 'optional float64': return (value) => (Number.isNaN(value) ? undefined : value);
    case 'json': return (value) => JSON.parse((value as Buffer).toString('utf8')) as unknown;
    case 'optional json': return (value) => (value === null ? undefined : JSON.parse((value as Buffer).toString('utf8')) as unknown);
    case 'batch': return (value) => batchOfRecordRun(value as Buffer);
    case 'optional bytes': return (value) => (value === null ? undefined : value);
    case 'struct': return structFromWire(field.fields ?? []) as Convert;
    case 'struct[]': {
      const convert = structFromWire(field.fields ?? []);
      return (value) => (value as Wire[]).map(convert);
    }
    case 'optional struct': {
      const convert = structFromWire(field.fields ?? []);
      return (value) => {
        if (value === null) return undefined;
        const items = value as Wire[];
        if (items.length !== 1) throw new PeerCodecError(`${field.name} holds ${items.length} values, not one`);
        return convert(items[0]!);
      };
    }
    case 'optional struct[]': {
      const convert = structFromWire(field.fields ?? []);
      return (value) => (value === null ? undefined : (value as Wire[]).map(convert));
    }
    default: return (value) => value;
  }
}
