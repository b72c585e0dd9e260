/**
 * The shape of every record type: its fields in encoding order and each field's kind, the one-byte
 * type codes of the binary format, and the checks both codecs apply to field values. Both formats
 * (record-json.ts, record-binary.ts) are driven by this table, so a new field is added here once.
 */
import type { BrokerEndpoint, MetadataRecordType } from './records.js';

export type FieldKind =
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

export type RecordSchema = readonly (readonly [string, FieldKind])[];

/** The fields of each record type, in encoding order. */
export const RECORD_SCHEMAS: Readonly<Record<MetadataRecordType, RecordSchema>> = {
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
  KRaftVersion: [['kraftVersion', 'int']],
  Voter: [
    ['voterId', 'int'],
    ['directoryId', 'string'],
    ['endpoints', 'endpoints'],
  ],
};

/** Binary type codes. Never reuse or renumber one: old logs hold them. */
export const RECORD_TYPE_CODES: Readonly<Record<MetadataRecordType, number>> = {
  RegisterBroker: 1,
  FenceBroker: 2,
  UnfenceBroker: 3,
  Topic: 4,
  Partition: 5,
  PartitionChange: 6,
  RemoveTopic: 7,
  Config: 8,
  NoOp: 9,
  KRaftVersion: 10,
  Voter: 11,
};

export const RECORD_TYPES_BY_CODE: readonly (MetadataRecordType | undefined)[] = (() => {
  const byCode: (MetadataRecordType | undefined)[] = [];
  for (const [type, code] of Object.entries(RECORD_TYPE_CODES)) byCode[code] = type as MetadataRecordType;
  return byCode;
})();

/** Integers in records are ids, epochs, offsets and -1 ("none"): -1 up to 2^53 - 1. */
export const RECORD_INT_MIN = -1;

const TOPIC_ID_HEX_DIGITS = 32;

/**
 * 32 lowercase hex digits, a topic id's form (the pattern /^[0-9a-f]{32}$/, read char by char:
 * every Topic, RemoveTopic and first partition record of a topic is checked as it is encoded, and
 * every id the active controller plans, and the regular expression cost more than the writing).
 */
export function isHex32(value: string): boolean {
  if (value.length !== TOPIC_ID_HEX_DIGITS) return false;
  for (let i = 0; i < TOPIC_ID_HEX_DIGITS; i++) {
    const code = value.charCodeAt(i);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

/** Why `value` is not a valid value of a field of `kind`, or null. */
export function fieldProblem(kind: FieldKind, value: unknown): string | null {
  switch (kind) {
    case 'int':
      return isRecordInt(value) ? null : `expected an integer from -1 to 2^53-1, got ${describeValue(value)}`;
    case 'nullableInt':
      return value === null || isRecordInt(value) ? null : `expected an integer from -1 or null, got ${describeValue(value)}`;
    case 'string':
      return typeof value === 'string' ? null : `expected a string, got ${describeValue(value)}`;
    case 'nullableString':
      return value === null || typeof value === 'string' ? null : `expected a string or null, got ${describeValue(value)}`;
    case 'bool':
      return typeof value === 'boolean' ? null : `expected true or false, got ${describeValue(value)}`;
    case 'intArray':
      return isRecordIntArray(value) ? null : `expected an array of integers, got ${describeValue(value)}`;
    case 'nullableIntArray':
      return value === null || isRecordIntArray(value) ? null : `expected an array of integers or null, got ${describeValue(value)}`;
    case 'topicId':
      return typeof value === 'string' && isHex32(value) ? null : `expected 32 lowercase hex digits, got ${describeValue(value)}`;
    case 'resourceType':
      return value === 'topic' || value === 'broker' ? null : `expected "topic" or "broker", got ${describeValue(value)}`;
    case 'endpoints':
      return endpointsProblem(value);
  }
}

function endpointsProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return `expected an array of endpoints, got ${describeValue(value)}`;
  for (const [i, endpoint] of value.entries()) {
    const e = endpoint as Partial<BrokerEndpoint> | null;
    if (typeof e !== 'object' || e === null) return `endpoint ${i} is not an object`;
    if (typeof e.name !== 'string') return `endpoint ${i} name is not a string`;
    if (typeof e.host !== 'string') return `endpoint ${i} host is not a string`;
    if (!isPort(e.port)) return `endpoint ${i} port ${describeValue(e.port)} is not 0..65535`;
    if (typeof e.securityProtocol !== 'string') return `endpoint ${i} securityProtocol is not a string`;
  }
  return null;
}

export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

export function isRecordInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= RECORD_INT_MIN;
}

function isRecordIntArray(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false;
  // Indexed: every() with a callback ran for the replicas and ISR of every partition record
  // encoded. As every() does, a hole is skipped (an element that is there and undefined is not).
  for (let i = 0; i < value.length; i++) {
    const element: unknown = value[i];
    if (!isRecordInt(element) && (element !== undefined || i in value)) return false;
  }
  return true;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Endpoints with exactly their four fields, in order. */
export function copyEndpoints(endpoints: readonly BrokerEndpoint[]): BrokerEndpoint[] {
  return endpoints.map((e) => ({ name: e.name, host: e.host, port: e.port, securityProtocol: e.securityProtocol }));
}
