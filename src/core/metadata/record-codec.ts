/**
 * Metadata records to bytes and back, and the record digest the `committed` node events carry.
 *
 * Format, version 1: compact JSON in UTF-8, one object per record, `{"v":1,"type":…, fields…}`
 * with the fields of each type in one fixed order. The encoding of a record therefore depends only
 * on its field values, never on how the object was built, so equal records have equal bytes and
 * equal digests on every node. Decoding checks the version, the type and every field's shape, and
 * names the first thing that is wrong.
 */
import { fnv1a64Hex } from './fnv1a64.js';
import type { BrokerEndpoint, MetadataRecord, MetadataRecordType } from './records.js';

export const RECORD_FORMAT_VERSION = 1;

type FieldKind =
  | 'int'
  | 'string'
  | 'bool'
  | 'intArray'
  | 'nullableString'
  | 'nullableInt'
  | 'nullableIntArray'
  | 'endpoints'
  | 'resourceType'
  | 'topicId';

/** The fields of each record type, in encoding order. */
const SCHEMAS: Record<MetadataRecordType, readonly (readonly [string, FieldKind])[]> = {
  RegisterBroker: [
    ['brokerId', 'int'],
    ['incarnationId', 'string'],
    ['brokerEpoch', 'int'],
    ['endpoints', 'endpoints'],
    ['rack', 'nullableString'],
    ['fenced', 'bool'],
  ],
  FenceBroker: [
    ['brokerId', 'int'],
    ['brokerEpoch', 'int'],
  ],
  UnfenceBroker: [
    ['brokerId', 'int'],
    ['brokerEpoch', 'int'],
  ],
  Topic: [
    ['name', 'string'],
    ['topicId', 'topicId'],
  ],
  Partition: [
    ['topicId', 'topicId'],
    ['partitionId', 'int'],
    ['replicas', 'intArray'],
    ['isr', 'intArray'],
    ['leader', 'int'],
    ['leaderEpoch', 'int'],
    ['partitionEpoch', 'int'],
  ],
  PartitionChange: [
    ['topicId', 'topicId'],
    ['partitionId', 'int'],
    ['isr', 'nullableIntArray'],
    ['leader', 'nullableInt'],
  ],
  RemoveTopic: [['topicId', 'topicId']],
  Config: [
    ['resourceType', 'resourceType'],
    ['resourceName', 'string'],
    ['name', 'string'],
    ['value', 'nullableString'],
  ],
  NoOp: [],
};

const TOPIC_ID_PATTERN = /^[0-9a-f]{32}$/;

/** Thrown by decodeRecord for bytes that are not a version-1 metadata record. */
export class RecordDecodeError extends Error {
  override readonly name = 'RecordDecodeError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The canonical JSON text of a record (what `encodeRecord` writes, before UTF-8). */
export function recordToJson(record: MetadataRecord): string {
  const schema = SCHEMAS[record.type];
  if (schema === undefined) throw new RecordDecodeError(`cannot encode unknown record type ${String(record.type)}`);
  const fields = record as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = { v: RECORD_FORMAT_VERSION, type: record.type };
  for (const [field, kind] of schema) {
    ordered[field] = kind === 'endpoints' ? orderEndpoints(fields[field] as BrokerEndpoint[]) : fields[field];
  }
  return JSON.stringify(ordered);
}

export function encodeRecord(record: MetadataRecord): Uint8Array {
  return encoder.encode(recordToJson(record));
}

export function decodeRecord(bytes: Uint8Array): MetadataRecord {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (cause) {
    throw new RecordDecodeError('metadata record is not valid UTF-8', { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new RecordDecodeError(`metadata record is not JSON: ${abbreviate(text)}`, { cause });
  }
  return recordFromObject(parsed);
}

/** Checks a parsed JSON value field by field and returns it as a record (fields in schema order). */
export function recordFromObject(parsed: unknown): MetadataRecord {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RecordDecodeError('metadata record is not a JSON object');
  }
  const object = parsed as Record<string, unknown>;
  if (object.v !== RECORD_FORMAT_VERSION) {
    throw new RecordDecodeError(`metadata record version ${JSON.stringify(object.v)} is not ${RECORD_FORMAT_VERSION}`);
  }
  const type = object.type;
  const schema = typeof type === 'string' ? SCHEMAS[type as MetadataRecordType] : undefined;
  if (schema === undefined) throw new RecordDecodeError(`metadata record type ${JSON.stringify(type)} is unknown`);
  const record: Record<string, unknown> = { type };
  for (const [field, kind] of schema) {
    const value = object[field];
    const problem = checkField(kind, value);
    if (problem !== null) throw new RecordDecodeError(`${String(type)} record field ${field}: ${problem}`);
    record[field] = copyField(kind, value);
  }
  return record as unknown as MetadataRecord;
}

/** A digest of a record's canonical bytes: 16 hex digits of FNV-1a 64. */
export function recordDigest(recordOrBytes: MetadataRecord | Uint8Array): string {
  const bytes = recordOrBytes instanceof Uint8Array ? recordOrBytes : encodeRecord(recordOrBytes);
  return fnv1a64Hex(bytes);
}

function checkField(kind: FieldKind, value: unknown): string | null {
  switch (kind) {
    case 'int':
      return isInt(value) ? null : `expected an integer, got ${describe(value)}`;
    case 'nullableInt':
      return value === null || isInt(value) ? null : `expected an integer or null, got ${describe(value)}`;
    case 'string':
      return typeof value === 'string' ? null : `expected a string, got ${describe(value)}`;
    case 'nullableString':
      return value === null || typeof value === 'string' ? null : `expected a string or null, got ${describe(value)}`;
    case 'bool':
      return typeof value === 'boolean' ? null : `expected true or false, got ${describe(value)}`;
    case 'intArray':
      return isIntArray(value) ? null : `expected an array of integers, got ${describe(value)}`;
    case 'nullableIntArray':
      return value === null || isIntArray(value) ? null : `expected an array of integers or null, got ${describe(value)}`;
    case 'topicId':
      return typeof value === 'string' && TOPIC_ID_PATTERN.test(value)
        ? null
        : `expected 32 lowercase hex digits, got ${describe(value)}`;
    case 'resourceType':
      return value === 'topic' || value === 'broker' ? null : `expected "topic" or "broker", got ${describe(value)}`;
    case 'endpoints':
      return checkEndpoints(value);
  }
}

function checkEndpoints(value: unknown): string | null {
  if (!Array.isArray(value)) return `expected an array of endpoints, got ${describe(value)}`;
  for (const [i, endpoint] of value.entries()) {
    const e = endpoint as Partial<BrokerEndpoint> | null;
    if (typeof e !== 'object' || e === null) return `endpoint ${i} is not an object`;
    if (typeof e.name !== 'string') return `endpoint ${i} name is not a string`;
    if (typeof e.host !== 'string') return `endpoint ${i} host is not a string`;
    if (!isInt(e.port) || e.port < 0 || e.port > 65535) return `endpoint ${i} port ${describe(e.port)} is not 0..65535`;
    if (typeof e.securityProtocol !== 'string') return `endpoint ${i} securityProtocol is not a string`;
  }
  return null;
}

function orderEndpoints(endpoints: BrokerEndpoint[]): BrokerEndpoint[] {
  return endpoints.map((e) => ({ name: e.name, host: e.host, port: e.port, securityProtocol: e.securityProtocol }));
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isIntArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every(isInt);
}

/** Decoded records share nothing with the parsed object, and endpoints lose unknown keys. */
function copyField(kind: FieldKind, value: unknown): unknown {
  if (kind === 'endpoints') return orderEndpoints(value as BrokerEndpoint[]);
  return Array.isArray(value) ? [...(value as number[])] : value;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : abbreviate(JSON.stringify(value));
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
