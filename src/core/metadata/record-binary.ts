/**
 * The binary record format, version 2: what `encodeRecord` writes. A node restarting from a log of
 * a million partition records spends its time decoding, and this format decodes several times
 * faster than JSON (no text parsing, topic ids as 16 raw bytes).
 *
 *   record    = version:u8(=2) typeCode:u8 field*        (fields in RECORD_SCHEMAS order)
 *   int       = varint(value + 1)                          (values -1 .. 2^53-1)
 *   string    = varint(byteLength) utf8Bytes
 *   bool      = u8 (0 | 1)
 *   nullable  = u8 (0: null | 1: present) value
 *   intArray  = varint(count) int*
 *   topicId   = 16 bytes
 *   resource  = u8 (1: topic | 2: broker)
 *   endpoints = varint(count) (name:string host:string port:int securityProtocol:string)*
 *   varint    = little-endian base-128, 7 bits a byte, high bit set on all but the last
 *
 * Decoding rejects unknown versions and type codes, truncated input, trailing bytes, bad UTF-8 and
 * out-of-range values, naming the record type and field.
 */
import type {
  BrokerEndpoint, BrokerRegistration, ConfigRecord, ConfigResourceType, MetadataRecord, PartitionChangeRecord, PartitionRecord, TopicRecord,
} from './records.js';
import { sharedIntList } from './shared-int-lists.js';
import {
  describeValue,
  fieldProblem,
  isPort,
  RECORD_SCHEMAS,
  RECORD_TYPE_CODES,
  RECORD_TYPES_BY_CODE,
  type FieldKind,
} from './record-schema.js';

export const BINARY_FORMAT_VERSION = 2;

/** Thrown for bytes that are not a record, or a record that cannot be encoded. */
export class RecordFormatError extends Error {
  override readonly name: string = 'RecordFormatError';
}

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/*
 * Consecutive records mostly name the same topic (a topic's partitions, a snapshot), so the last
 * topic id converted each way is kept. A cache of one entry, invisible in results.
 */
let lastEncodedTopicId = '';
const lastEncodedTopicIdBytes = new Uint8Array(16);
let lastDecodedTopicId = '';
const lastDecodedTopicIdBytes = new Uint8Array(16);

/** The value of the hex digit at `index` (the caller has checked the id's pattern). */
function hexDigit(hex: string, index: number): number {
  const code = hex.charCodeAt(index);
  return code <= 0x39 ? code - 0x30 : code - 0x57;
}
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

// ---- encoding ----

/**
 * A growable byte buffer, reused across encodes (encoding never yields, so one buffer serves every
 * call); each record's bytes are copied out at the end.
 */
class ByteWriter {
  private bytes = new Uint8Array(256);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** `count` zero bytes (room a caller fills in later). */
  zeros(count: number): void {
    this.reserve(count);
    this.bytes.fill(0, this.length, this.length + count);
    this.length += count;
  }

  u32(value: number): void {
    this.reserve(4);
    this.setU32(this.length, value);
    this.length += 4;
  }

  /** Big-endian, at a position already written (a length filled in afterwards). */
  setU32(position: number, value: number): void {
    this.bytes[position] = value >>> 24;
    this.bytes[position + 1] = (value >>> 16) & 0xff;
    this.bytes[position + 2] = (value >>> 8) & 0xff;
    this.bytes[position + 3] = value & 0xff;
  }

  varint(value: number): void {
    this.reserve(8);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[this.length++] = rest;
  }

  string(value: string): void {
    // ASCII, the common case, is copied char by char; anything else goes through TextEncoder.
    let ascii = true;
    for (let i = 0; i < value.length; i++) {
      if (value.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      this.varint(value.length);
      this.reserve(value.length);
      for (let i = 0; i < value.length; i++) this.bytes[this.length++] = value.charCodeAt(i);
      return;
    }
    const encoded = utf8Encoder.encode(value);
    this.varint(encoded.length);
    this.reserve(encoded.length);
    this.bytes.set(encoded, this.length);
    this.length += encoded.length;
  }

  hex16(hex: string): void {
    this.reserve(16);
    if (hex !== lastEncodedTopicId) {
      for (let i = 0; i < 16; i++) lastEncodedTopicIdBytes[i] = hexDigit(hex, 2 * i) * 16 + hexDigit(hex, 2 * i + 1);
      lastEncodedTopicId = hex;
    }
    this.bytes.set(lastEncodedTopicIdBytes, this.length);
    this.length += 16;
  }

  copy(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** The bytes written, then `trailingBytes` zeroed bytes, in one new array. */
  copyWithTrailer(trailingBytes: number): Uint8Array {
    const bytes = new Uint8Array(this.length + trailingBytes);
    bytes.set(this.bytes.subarray(0, this.length));
    return bytes;
  }
}

const writer = new ByteWriter();

export function encodeBinary(record: MetadataRecord): Uint8Array {
  writer.reset();
  writeRecord(record);
  return writer.copy();
}

/**
 * Records as one record run (u32 count, then count × (u32 length, record bytes), big-endian),
 * written straight into one buffer: no array per record (a batch of 20,000 partition changes is
 * encoded on every fencing of a broker at scale).
 */
export function encodeBinaryRun(records: readonly MetadataRecord[]): Uint8Array {
  writer.reset();
  writer.u32(records.length);
  for (let i = 0; i < records.length; i++) {
    const lengthAt = writer.length;
    writer.u32(0);
    writeRecord(records[i]!);
    writer.setU32(lengthAt, writer.length - lengthAt - 4);
  }
  return writer.copy();
}

/**
 * A record run written straight from values, for records that exist only as columns: a snapshot's
 * partitions, read from the image's typed arrays, so that writing two million of them builds no
 * record object, array or per-record byte array. The bytes are those `encodeBinaryRun` gives for the
 * same records, after `headerBytes` zeroed bytes for the caller. The writer is shared, so a run is
 * written in one synchronous go, `begin` to `end`. The values of `partition`, `registerBroker`,
 * `topic` and `config` come from an image, which checked them as it applied them, and are not
 * checked again (`record` checks its record's fields).
 */
export class RecordRunWriter {
  private count = 0;
  private countAt = 0;

  begin(headerBytes = 0): void {
    writer.reset();
    writer.zeros(headerBytes);
    this.countAt = writer.length;
    this.count = 0;
    writer.u32(0);
  }

  record(record: MetadataRecord): void {
    const lengthAt = writer.length;
    writer.u32(0);
    writeRecord(record);
    writer.setU32(lengthAt, writer.length - lengthAt - 4);
    this.count++;
  }

  /** A Partition record, as `record` would write it. */
  partition(
    topicId: string, partitionId: number, replicas: readonly number[], isr: readonly number[], leader: number, leaderEpoch: number, partitionEpoch: number,
  ): void {
    const lengthAt = writer.length;
    writer.u32(0);
    writer.u8(BINARY_FORMAT_VERSION);
    writer.u8(PARTITION_TYPE_CODE);
    writer.hex16(topicId);
    writer.varint(partitionId + 1);
    writeIntArray(replicas);
    writeIntArray(isr);
    writer.varint(leader + 1);
    writer.varint(leaderEpoch + 1);
    writer.varint(partitionEpoch + 1);
    writer.setU32(lengthAt, writer.length - lengthAt - 4);
    this.count++;
  }

  /**
   * A RegisterBroker record, as `record` would write it, from a registration an image holds: a
   * snapshot's brokers, written with no record object (or endpoint copies) built for them.
   */
  registerBroker(broker: BrokerRegistration): void {
    const lengthAt = writer.length;
    writer.u32(0);
    writer.u8(BINARY_FORMAT_VERSION);
    writer.u8(REGISTER_BROKER_TYPE_CODE);
    writer.varint(broker.brokerId + 1);
    writer.string(broker.incarnationId);
    writer.varint(broker.brokerEpoch + 1);
    writeEndpoints(broker.endpoints);
    writer.u8(broker.rack === null ? 0 : 1);
    if (broker.rack !== null) writer.string(broker.rack);
    writer.u8(broker.fenced ? 1 : 0);
    writer.setU32(lengthAt, writer.length - lengthAt - 4);
    this.count++;
  }

  /** A Topic record, as `record` would write it. */
  topic(name: string, topicId: string): void {
    const lengthAt = writer.length;
    writer.u32(0);
    writer.u8(BINARY_FORMAT_VERSION);
    writer.u8(TOPIC_TYPE_CODE);
    writer.string(name);
    writer.hex16(topicId);
    writer.setU32(lengthAt, writer.length - lengthAt - 4);
    this.count++;
  }

  /** A Config record that sets a value (a snapshot holds no deletions), as `record` would write it. */
  config(resourceType: ConfigResourceType, resourceName: string, name: string, value: string): void {
    const lengthAt = writer.length;
    writer.u32(0);
    writer.u8(BINARY_FORMAT_VERSION);
    writer.u8(CONFIG_TYPE_CODE);
    writer.u8(resourceType === 'topic' ? 1 : 2);
    writer.string(resourceName);
    writer.string(name);
    writer.u8(1);
    writer.string(value);
    writer.setU32(lengthAt, writer.length - lengthAt - 4);
    this.count++;
  }

  /** The run's bytes, then `trailingBytes` zeroed bytes for the caller; `records` tells how many it holds. */
  end(trailingBytes = 0): Uint8Array {
    writer.setU32(this.countAt, this.count);
    return trailingBytes === 0 ? writer.copy() : writer.copyWithTrailer(trailingBytes);
  }

  get records(): number {
    return this.count;
  }
}

const PARTITION_TYPE_CODE = RECORD_TYPE_CODES.Partition;
const REGISTER_BROKER_TYPE_CODE = RECORD_TYPE_CODES.RegisterBroker;
const TOPIC_TYPE_CODE = RECORD_TYPE_CODES.Topic;
const CONFIG_TYPE_CODE = RECORD_TYPE_CODES.Config;

/** The schema-table path for every record type, partition records included (tests compare the two). */
export function encodeBinaryBySchema(record: MetadataRecord): Uint8Array {
  writer.reset();
  writeRecordBySchema(record);
  return writer.copy();
}

function writeRecord(record: MetadataRecord): void {
  // The two record types there are millions of take a direct path, and so do the Topic and Config
  // records of every topic created; every other goes through the schema table. Both write the same
  // bytes and refuse the same values (record-binary-paths.test.ts compares them).
  if (record.type === 'Partition' || record.type === 'PartitionChange') return writePartitionRecord(record);
  if (record.type === 'Topic') return writeTopicRecord(record);
  if (record.type === 'Config') return writeConfigRecord(record);
  writeRecordBySchema(record);
}

/** A Topic record, checked and written field by field in schema order. */
function writeTopicRecord(record: TopicRecord): void {
  const problem = namedProblem('name', 'string', record.name) ?? namedProblem('topicId', 'topicId', record.topicId);
  if (problem !== null) throw new RecordFormatError(`cannot encode Topic record field ${problem}`);
  writer.u8(BINARY_FORMAT_VERSION);
  writer.u8(TOPIC_TYPE_CODE);
  writer.string(record.name);
  writer.hex16(record.topicId);
}

/** A Config record, checked and written field by field in schema order. */
function writeConfigRecord(record: ConfigRecord): void {
  const problem = namedProblem('resourceType', 'resourceType', record.resourceType) ?? namedProblem('resourceName', 'string', record.resourceName) ??
    namedProblem('name', 'string', record.name) ?? namedProblem('value', 'nullableString', record.value);
  if (problem !== null) throw new RecordFormatError(`cannot encode Config record field ${problem}`);
  writer.u8(BINARY_FORMAT_VERSION);
  writer.u8(CONFIG_TYPE_CODE);
  writer.u8(record.resourceType === 'topic' ? 1 : 2);
  writer.string(record.resourceName);
  writer.string(record.name);
  writer.u8(record.value === null ? 0 : 1);
  if (record.value !== null) writer.string(record.value);
}

function writeRecordBySchema(record: MetadataRecord): void {
  const schema = RECORD_SCHEMAS[record.type];
  if (schema === undefined) throw new RecordFormatError(`cannot encode unknown record type ${describeValue(record.type)}`);
  const fields = record as unknown as Record<string, unknown>;
  writer.u8(BINARY_FORMAT_VERSION);
  writer.u8(RECORD_TYPE_CODES[record.type]);
  // Indexed, the pair read by position: a for-of with destructuring made an iterator per record and per field.
  for (let i = 0; i < schema.length; i++) {
    const field = schema[i]![0];
    const kind = schema[i]![1];
    const value = fields[field];
    const problem = fieldProblem(kind, value);
    if (problem !== null) throw new RecordFormatError(`cannot encode ${record.type} record field ${field}: ${problem}`);
    writeField(kind, value);
  }
}

/** Partition and PartitionChange records, checked and written field by field in schema order. */
function writePartitionRecord(record: PartitionRecord | PartitionChangeRecord): void {
  const problem = partitionRecordProblem(record);
  if (problem !== null) throw new RecordFormatError(`cannot encode ${record.type} record field ${problem}`);
  writer.u8(BINARY_FORMAT_VERSION);
  writer.u8(RECORD_TYPE_CODES[record.type]);
  writer.hex16(record.topicId);
  writer.varint(record.partitionId + 1);
  if (record.type === 'Partition') {
    writeIntArray(record.replicas);
    writeIntArray(record.isr);
    writer.varint(record.leader + 1);
    writer.varint(record.leaderEpoch + 1);
    writer.varint(record.partitionEpoch + 1);
    return;
  }
  writer.u8(record.isr === null ? 0 : 1);
  if (record.isr !== null) writeIntArray(record.isr);
  writer.u8(record.leader === null ? 0 : 1);
  if (record.leader !== null) writer.varint(record.leader + 1);
}

/** The first field of a partition record whose value is wrong, named with the problem; null when none. */
function partitionRecordProblem(record: PartitionRecord | PartitionChangeRecord): string | null {
  // The topic id is checked once per run of records of one topic (they come in runs).
  if (record.topicId !== lastCheckedTopicId) {
    const problem = fieldProblem('topicId', record.topicId);
    if (problem !== null) return `topicId: ${problem}`;
    lastCheckedTopicId = record.topicId;
  }
  // Each field after the topic id, in schema order (the first wrong one is named), read directly:
  // a loop over the schema read the fields by name and made an iterator per record.
  if (record.type === 'Partition') {
    return namedProblem('partitionId', 'int', record.partitionId) ?? namedProblem('replicas', 'intArray', record.replicas) ??
      namedProblem('isr', 'intArray', record.isr) ?? namedProblem('leader', 'int', record.leader) ??
      namedProblem('leaderEpoch', 'int', record.leaderEpoch) ?? namedProblem('partitionEpoch', 'int', record.partitionEpoch);
  }
  return namedProblem('partitionId', 'int', record.partitionId) ?? namedProblem('isr', 'nullableIntArray', record.isr) ??
    namedProblem('leader', 'nullableInt', record.leader);
}

function namedProblem(field: string, kind: FieldKind, value: unknown): string | null {
  const problem = fieldProblem(kind, value);
  return problem === null ? null : `${field}: ${problem}`;
}

let lastCheckedTopicId = '';

function writeField(kind: FieldKind, value: unknown): void {
  switch (kind) {
    case 'int':
      return writer.varint((value as number) + 1);
    case 'string':
      return writer.string(value as string);
    case 'bool':
      return writer.u8(value === true ? 1 : 0);
    case 'intArray':
      return writeIntArray(value as number[]);
    case 'topicId':
      return writer.hex16(value as string);
    case 'resourceType':
      return writer.u8(value === 'topic' ? 1 : 2);
    case 'endpoints':
      return writeEndpoints(value as BrokerEndpoint[]);
    case 'nullableString':
    case 'nullableInt':
    case 'nullableIntArray':
      writer.u8(value === null ? 0 : 1);
      if (value !== null) writeField(kind === 'nullableString' ? 'string' : kind === 'nullableInt' ? 'int' : 'intArray', value);
      return;
  }
}

function writeIntArray(values: readonly number[]): void {
  writer.varint(values.length);
  for (let i = 0; i < values.length; i++) writer.varint(values[i]! + 1);
}

function writeEndpoints(endpoints: readonly BrokerEndpoint[]): void {
  writer.varint(endpoints.length);
  for (const e of endpoints) {
    writer.string(e.name);
    writer.string(e.host);
    writer.varint(e.port + 1);
    writer.string(e.securityProtocol);
  }
}

// ---- decoding ----

/** Reads one record from bytes[start, end) (a record inside a larger buffer is read in place). */
class ByteReader {
  offset: number;
  /** The record type and field being read, for error messages (joined only when one is thrown). */
  recordType = '';
  field = '';

  constructor(private readonly bytes: Uint8Array, private readonly start: number, private readonly end: number) {
    this.offset = start;
  }

  fail(problem: string): never {
    const where = this.recordType === '' ? 'metadata record' : this.field === '' ? `${this.recordType} record` : `${this.recordType} record field ${this.field}`;
    throw new RecordFormatError(`${where}: ${problem} (at byte ${this.offset - this.start} of ${this.end - this.start})`);
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  u8(): number {
    if (this.offset >= this.end) this.fail('the record ends early');
    return this.bytes[this.offset++] as number;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 53) this.fail('a varint is longer than 8 bytes');
    }
    // 2^53 is still exact, and is what the largest int (2^53 - 1) encodes to.
    if (value > 2 ** 53) this.fail(`varint ${value} exceeds 2^53`);
    return value;
  }

  int(): number {
    return this.varint() - 1;
  }

  string(): string {
    const length = this.varint();
    if (length > this.remaining) this.fail(`a string of ${length} bytes runs past the end`);
    const start = this.offset;
    this.offset += length;
    let ascii = true;
    for (let i = start; i < this.offset; i++) {
      if ((this.bytes[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii && length <= 256) {
      return String.fromCharCode.apply(null, this.bytes.subarray(start, this.offset) as unknown as number[]);
    }
    try {
      return utf8Decoder.decode(this.bytes.subarray(start, this.offset));
    } catch {
      this.fail('a string is not valid UTF-8');
    }
  }

  hex16(): string {
    if (this.remaining < 16) this.fail('a topic id runs past the end');
    const start = this.offset;
    this.offset += 16;
    let same = lastDecodedTopicId !== '';
    for (let i = 0; same && i < 16; i++) same = this.bytes[start + i] === lastDecodedTopicIdBytes[i];
    if (same) return lastDecodedTopicId;
    let hex = '';
    for (let i = 0; i < 16; i++) hex += HEX_BYTES[this.bytes[start + i] as number];
    lastDecodedTopicIdBytes.set(this.bytes.subarray(start, start + 16));
    lastDecodedTopicId = hex;
    return hex;
  }
}

/** Per record type, an object with its type and every field (null), in schema order. */
const RECORD_TEMPLATES = Object.fromEntries(Object.entries(RECORD_SCHEMAS).map(([type, schema]) => {
  const template: Record<string, unknown> = { type };
  for (const [field] of schema) template[field] = null;
  return [type, template];
})) as Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export function decodeBinary(bytes: Uint8Array, start = 0, end = bytes.length, bySchemaOnly = false): MetadataRecord {
  const reader = new ByteReader(bytes, start, end);
  const version = reader.u8();
  if (version !== BINARY_FORMAT_VERSION) reader.fail(`version ${version} is not ${BINARY_FORMAT_VERSION}`);
  const code = reader.u8();
  const type = RECORD_TYPES_BY_CODE[code];
  if (type === undefined) return reader.fail(`type code ${code} is unknown`);
  if (!bySchemaOnly) {
    if (type === 'Partition' || type === 'PartitionChange') return readPartitionRecord(reader, type);
    if (type === 'RegisterBroker') return readRegisterBroker(reader);
    if (type === 'Topic') return readTopic(reader);
    if (type === 'Config') return readConfig(reader);
  }
  // A copy of the type's template has every field from the start, in schema order: all records of
  // a type share one hidden class (built field by field they went to dictionary mode, and decoding
  // a two-million-partition snapshot spent most of its time in the garbage collector).
  const record: Record<string, unknown> = { ...RECORD_TEMPLATES[type] };
  reader.recordType = type;
  for (const [field, kind] of RECORD_SCHEMAS[type]) {
    reader.field = field;
    record[field] = readField(reader, kind);
  }
  return finished(reader, record as unknown as MetadataRecord);
}

/** Partition and PartitionChange records, read field by field in schema order into one object literal each. */
function readPartitionRecord(reader: ByteReader, type: 'Partition' | 'PartitionChange'): MetadataRecord {
  reader.recordType = type;
  reader.field = 'topicId';
  const topicId = reader.hex16();
  reader.field = 'partitionId';
  const partitionId = reader.int();
  let record: MetadataRecord;
  if (type === 'Partition') {
    reader.field = 'replicas';
    const replicas = readSharedIntArray(reader);
    reader.field = 'isr';
    const isr = readSharedIntArray(reader);
    reader.field = 'leader';
    const leader = reader.int();
    reader.field = 'leaderEpoch';
    const leaderEpoch = reader.int();
    reader.field = 'partitionEpoch';
    record = { type, topicId, partitionId, replicas, isr, leader, leaderEpoch, partitionEpoch: reader.int() };
  } else {
    reader.field = 'isr';
    const isr = readBool(reader) ? readSharedIntArray(reader) : null;
    reader.field = 'leader';
    record = { type, topicId, partitionId, isr, leader: readBool(reader) ? reader.int() : null };
  }
  return finished(reader, record);
}

/*
 * RegisterBroker, Topic and Config records, read field by field in schema order into one object
 * literal each, as readPartitionRecord reads partitions: a snapshot is mostly these (a simulated
 * node's, about once every two simulated seconds) and the schema loop cost more than the reading.
 */

function readRegisterBroker(reader: ByteReader): MetadataRecord {
  reader.recordType = 'RegisterBroker';
  reader.field = 'brokerId';
  const brokerId = reader.int();
  reader.field = 'incarnationId';
  const incarnationId = reader.string();
  reader.field = 'brokerEpoch';
  const brokerEpoch = reader.int();
  reader.field = 'endpoints';
  const endpoints = readEndpoints(reader);
  reader.field = 'rack';
  const rack = readBool(reader) ? reader.string() : null;
  reader.field = 'fenced';
  const record: MetadataRecord = { type: 'RegisterBroker', brokerId, incarnationId, brokerEpoch, endpoints, rack, fenced: readBool(reader) };
  return finished(reader, record);
}

function readTopic(reader: ByteReader): MetadataRecord {
  reader.recordType = 'Topic';
  reader.field = 'name';
  const name = reader.string();
  reader.field = 'topicId';
  return finished(reader, { type: 'Topic', name, topicId: reader.hex16() });
}

function readConfig(reader: ByteReader): MetadataRecord {
  reader.recordType = 'Config';
  reader.field = 'resourceType';
  const resourceType = readResourceType(reader);
  reader.field = 'resourceName';
  const resourceName = reader.string();
  reader.field = 'name';
  const name = reader.string();
  reader.field = 'value';
  return finished(reader, { type: 'Config', resourceType, resourceName, name, value: readBool(reader) ? reader.string() : null });
}

/** `record`, once no byte follows its last field. */
function finished(reader: ByteReader, record: MetadataRecord): MetadataRecord {
  reader.field = '';
  if (reader.remaining !== 0) reader.fail(`${reader.remaining} bytes follow the last field`);
  return record;
}

function readField(reader: ByteReader, kind: FieldKind): unknown {
  switch (kind) {
    case 'int':
      return reader.int();
    case 'string':
      return reader.string();
    case 'bool':
      return readBool(reader);
    case 'intArray':
      return readIntArray(reader);
    case 'topicId':
      return reader.hex16();
    case 'resourceType':
      return readResourceType(reader);
    case 'endpoints':
      return readEndpoints(reader);
    case 'nullableString':
    case 'nullableInt':
    case 'nullableIntArray': {
      const present = readBool(reader);
      if (!present) return null;
      return readField(reader, kind === 'nullableString' ? 'string' : kind === 'nullableInt' ? 'int' : 'intArray');
    }
  }
}

function readBool(reader: ByteReader): boolean {
  const byte = reader.u8();
  if (byte > 1) reader.fail(`expected 0 or 1, got ${byte}`);
  return byte === 1;
}

function readIntArray(reader: ByteReader): number[] {
  const count = reader.varint();
  if (count > reader.remaining) reader.fail(`an array of ${count} integers runs past the end`);
  // Sized at once: an array grown by push from empty reserves 17 slots (about 180 bytes for 3 ids).
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = reader.int();
  return values;
}

/**
 * A partition record's replica list or ISR, shared and frozen (shared-int-lists.ts): millions of
 * decoded records name a handful of distinct lists. Typed as number[] like the record's field;
 * records are never written to.
 */
function readSharedIntArray(reader: ByteReader): number[] {
  return sharedIntList(readIntArray(reader)) as number[];
}

function readResourceType(reader: ByteReader): 'topic' | 'broker' {
  const byte = reader.u8();
  if (byte === 1) return 'topic';
  if (byte === 2) return 'broker';
  return reader.fail(`resource type ${byte} is not 1 (topic) or 2 (broker)`);
}

function readEndpoints(reader: ByteReader): BrokerEndpoint[] {
  const count = reader.varint();
  if (count > reader.remaining) reader.fail(`${count} endpoints run past the end`);
  const endpoints: BrokerEndpoint[] = [];
  for (let i = 0; i < count; i++) {
    const name = reader.string();
    const host = reader.string();
    const port = reader.int();
    if (!isPort(port)) reader.fail(`endpoint ${i} port ${port} is not 0..65535`);
    endpoints.push({ name, host, port, securityProtocol: reader.string() });
  }
  return endpoints;
}
