/**
 * The JSON record format, version 1: `{"v":1,"type":…, fields…}` in UTF-8, fields in
 * RECORD_SCHEMAS order. Logs may hold records in this format (it came first), and `recordToJson`
 * is the readable form for dumps and reports; `encodeRecord` writes the binary format.
 */
import type { BrokerEndpoint, MetadataRecord, MetadataRecordType } from './records.js';
import { RecordFormatError } from './record-binary.js';
import { copyEndpoints, describeValue, fieldProblem, RECORD_SCHEMAS } from './record-schema.js';

export const JSON_FORMAT_VERSION = 1;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** The canonical JSON text of a record: equal records, equal text. */
export function recordToJson(record: MetadataRecord): string {
  const schema = RECORD_SCHEMAS[record.type];
  if (schema === undefined) throw new RecordFormatError(`cannot encode unknown record type ${describeValue(record.type)}`);
  const fields = record as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = { v: JSON_FORMAT_VERSION, type: record.type };
  for (const [field, kind] of schema) {
    const value = fields[field];
    const problem = fieldProblem(kind, value);
    if (problem !== null) throw new RecordFormatError(`cannot encode ${record.type} record field ${field}: ${problem}`);
    ordered[field] = kind === 'endpoints' ? copyEndpoints(value as BrokerEndpoint[]) : value;
  }
  return JSON.stringify(ordered);
}

export function decodeJson(bytes: Uint8Array): MetadataRecord {
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new RecordFormatError('metadata record is not valid UTF-8', { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new RecordFormatError(`metadata record is not JSON: ${describeValue(text)}`, { cause });
  }
  return recordFromObject(parsed);
}

/** Checks a parsed JSON value field by field and returns it as a record (sharing nothing with it). */
export function recordFromObject(parsed: unknown): MetadataRecord {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RecordFormatError('metadata record is not a JSON object');
  }
  const object = parsed as Record<string, unknown>;
  if (object.v !== JSON_FORMAT_VERSION) {
    throw new RecordFormatError(`metadata record version ${describeValue(object.v)} is not ${JSON_FORMAT_VERSION}`);
  }
  const type = object.type;
  const schema = typeof type === 'string' && Object.hasOwn(RECORD_SCHEMAS, type) ? RECORD_SCHEMAS[type as MetadataRecordType] : undefined;
  if (schema === undefined) throw new RecordFormatError(`metadata record type ${describeValue(type)} is unknown`);
  const record: Record<string, unknown> = { type };
  for (const [field, kind] of schema) {
    const value = object[field];
    const problem = fieldProblem(kind, value);
    if (problem !== null) throw new RecordFormatError(`${String(type)} record field ${field}: ${problem}`);
    if (kind === 'endpoints') record[field] = copyEndpoints(value as BrokerEndpoint[]);
    else record[field] = Array.isArray(value) ? [...(value as number[])] : value;
  }
  return record as unknown as MetadataRecord;
}
