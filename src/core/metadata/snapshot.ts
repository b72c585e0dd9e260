/**
 * Snapshots, as KRaft writes them: the records that rebuild an image, in one canonical order —
 * brokers by id, broker configs by broker, then topics by name, each as its Topic record, its
 * Partition records in id order (with their current ISR, leader and epochs) and its configs by
 * name. Loading a snapshot and applying the rest of the log gives the image that applying the
 * whole log gives; and since the order is canonical, two equal images give identical snapshots,
 * which is what `imageDigest` compares.
 *
 * A snapshot is taken as a `MetadataSnapshot`: a frozen copy-on-write clone of the image, not its
 * records. Taking one costs O(1) (no map, config set or partition table is copied until the live
 * image writes to it again), and a host writes its records out lazily, a slice at a time, off the hot path; a
 * million partition records as objects would cost the heap about 230 bytes each, the frozen image
 * about 22.
 */
import { RecordRunWriter } from './record-binary.js';
import { encodeRecord } from './record-codec.js';
import { Fnv1a64 } from './fnv1a64.js';
import { applyRecords, MetadataImage } from './image.js';
import type { ConfigResourceType, MetadataRecord } from './records.js';

/** The image's snapshot records, generated lazily (a million partitions need not sit in memory twice). */
export function snapshotRecords(image: MetadataImage): Generator<MetadataRecord> {
  return canonicalItems(image, true) as Generator<MetadataRecord>;
}

/** The canonical order; a topic's partitions as records, or as one range of ids. */
function* canonicalItems(image: MetadataImage, partitionsAsRecords: boolean): Generator<MetadataRecord | PartitionRange> {
  for (const broker of image.brokers()) {
    yield {
      type: 'RegisterBroker',
      brokerId: broker.brokerId,
      incarnationId: broker.incarnationId,
      brokerEpoch: broker.brokerEpoch,
      endpoints: broker.endpoints.map((e) => ({ ...e })),
      rack: broker.rack,
      fenced: broker.fenced,
    };
  }
  yield* configRecords(image, 'broker');
  for (const name of image.topicNames()) {
    const topic = image.topic(name);
    if (topic === undefined) continue;
    yield { type: 'Topic', name, topicId: topic.topicId };
    if (!partitionsAsRecords) yield { topicId: topic.topicId, from: 0, to: topic.partitionCount };
    for (let p = 0; partitionsAsRecords && p < topic.partitionCount; p++) {
      const state = image.partition(topic.topicId, p);
      if (state === undefined) continue;
      yield {
        type: 'Partition',
        topicId: topic.topicId,
        partitionId: p,
        replicas: [...state.replicas],
        isr: [...state.isr],
        leader: state.leader,
        leaderEpoch: state.leaderEpoch,
        partitionEpoch: state.partitionEpoch,
      };
    }
    const configs = image.configs('topic', name);
    for (const configName of Object.keys(configs)) {
      yield { type: 'Config', resourceType: 'topic', resourceName: name, name: configName, value: configs[configName] as string };
    }
  }
}

/**
 * The image's snapshot records as record runs (record-binary.ts) of `recordsPerRun` records each
 * (the last may hold fewer), each after `headerBytes` zeroed bytes for the caller: the bytes
 * `encodeRecordRun` gives for the same runs of `snapshotRecords`. Partitions are written straight
 * from the image's columns, so no record object is built for them: writing two million made as
 * many objects (and arrays), which kept the young generation collecting during the write and
 * promoted garbage into the old one. Each run is written in one synchronous step.
 */
export function* snapshotRecordRuns(image: MetadataImage, recordsPerRun: number, headerBytes = 0): Generator<Uint8Array> {
  if (!Number.isInteger(recordsPerRun) || recordsPerRun < 1) throw new RangeError(`records per run must be a positive integer, got ${recordsPerRun}`);
  const run = new RecordRunWriter();
  /** What the next run holds: records, or a topic's partitions [from, to). */
  const pieces: (MetadataRecord | PartitionRange)[] = [];
  let pending = 0;
  const write = (): Uint8Array => {
    run.begin(headerBytes);
    for (const piece of pieces) {
      if ('type' in piece) run.record(piece);
      else image.forEachPartition(piece.topicId, piece.from, piece.to, (p, replicas, isr, leader, leaderEpoch, partitionEpoch) => {
        run.partition(piece.topicId, p, replicas, isr, leader, leaderEpoch, partitionEpoch);
      });
    }
    pieces.length = 0;
    pending = 0;
    return run.end();
  };
  for (const item of canonicalItems(image, false)) {
    if ('type' in item) {
      pieces.push(item);
      if (++pending === recordsPerRun) yield write();
      continue;
    }
    for (let from = item.from; from < item.to;) {
      const to = Math.min(item.to, from + recordsPerRun - pending);
      pieces.push({ topicId: item.topicId, from, to });
      pending += to - from;
      from = to;
      if (pending === recordsPerRun) yield write();
    }
  }
  if (pending > 0) yield write();
}

/**
 * The image's snapshot records as one record run, after `headerBytes` zeroed bytes and followed by
 * `trailerBytes` zeroed bytes, both for the caller: the bytes of `snapshotRecordRuns` with every
 * record in one run, written in one plain pass with no generator and no record object (brokers,
 * topics and configs too are written from the image's values). The pure snapshot codec
 * (snapshot-bytes.ts) writes a simulated node's kilobyte snapshots with it: it runs too seldom for
 * V8 to optimize, and the generators' and record objects' share of its cost was most of it.
 */
export function snapshotRecordRun(image: MetadataImage, headerBytes = 0, trailerBytes = 0): Uint8Array {
  const run = new RecordRunWriter();
  run.begin(headerBytes);
  for (const broker of image.brokers()) run.registerBroker(broker);
  for (const brokerName of image.configResourceNames('broker')) writeConfigs(run, image, 'broker', brokerName);
  let topicId = '';
  const writePartition = (p: number, replicas: readonly number[], isr: readonly number[], leader: number, leaderEpoch: number, partitionEpoch: number): void => {
    run.partition(topicId, p, replicas, isr, leader, leaderEpoch, partitionEpoch);
  };
  for (const name of image.topicNames()) {
    const topic = image.topic(name);
    if (topic === undefined) continue;
    topicId = topic.topicId;
    run.topic(name, topicId);
    image.forEachPartition(topicId, 0, topic.partitionCount, writePartition);
    writeConfigs(run, image, 'topic', name);
  }
  return run.end(trailerBytes);
}

/** A resource's configs as Config records, by name (as `canonicalItems` yields them). */
function writeConfigs(run: RecordRunWriter, image: MetadataImage, resourceType: ConfigResourceType, resourceName: string): void {
  const configs = image.configs(resourceType, resourceName);
  for (const name of Object.keys(configs)) run.config(resourceType, resourceName, name, configs[name] as string);
}

interface PartitionRange {
  topicId: string;
  from: number;
  to: number;
}

/**
 * The content of a snapshot (`SnapshotData.state` for the metadata state machine): the committed
 * image at the snapshot's end offset, frozen. Immutable, so consensus may hand the same one to the
 * disk and to every follower that fetches it, and a simulator may share it between nodes.
 */
export class MetadataSnapshot {
  private constructor(private readonly frozen: MetadataImage) {}

  /** Freezes `image` as it is now; later writes to `image` do not show here. */
  static of(image: MetadataImage): MetadataSnapshot {
    return new MetadataSnapshot(image.clone());
  }

  /** The snapshot these records rebuild; throws MetadataInvariantError for records that do not replay. */
  static fromRecords(records: Iterable<MetadataRecord>): MetadataSnapshot {
    return new MetadataSnapshot(loadSnapshot(records));
  }

  /** A writable image equal to the snapshot's (a copy-on-write clone: O(1)). */
  toImage(): MetadataImage {
    return this.frozen.clone();
  }

  /** The snapshot's records in canonical order, generated as they are read. */
  records(): Generator<MetadataRecord> {
    return snapshotRecords(this.frozen);
  }

  /** The same records as record runs, written from the image's columns (`snapshotRecordRuns`). */
  recordRuns(recordsPerRun: number, headerBytes = 0): Generator<Uint8Array> {
    return snapshotRecordRuns(this.frozen, recordsPerRun, headerBytes);
  }

  /** All the records as one run (`snapshotRecordRun`), between room for a header and a trailer. */
  recordRun(headerBytes = 0, trailerBytes = 0): Uint8Array {
    return snapshotRecordRun(this.frozen, headerBytes, trailerBytes);
  }

  get partitionCount(): number {
    return this.frozen.partitionCount;
  }

  get topicCount(): number {
    return this.frozen.topicCount;
  }

  digest(): string {
    return imageDigest(this.frozen);
  }
}

/** `state` as a MetadataSnapshot; throws TypeError when a host passed something else. */
export function metadataSnapshotOf(state: unknown): MetadataSnapshot {
  if (state instanceof MetadataSnapshot) return state;
  throw new TypeError(`a metadata snapshot's state must be a MetadataSnapshot, got ${describe(state)}`);
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'an object';
}

/** An image rebuilt from snapshot records. */
export function loadSnapshot(records: Iterable<MetadataRecord>): MetadataImage {
  return applyRecords(MetadataImage.empty(), records);
}

/** A digest of the image's content: equal images, however built, have equal digests. */
export function imageDigest(image: MetadataImage): string {
  const hash = new Fnv1a64();
  const separator = new Uint8Array([0x0a]);
  for (const record of snapshotRecords(image)) hash.update(encodeRecord(record)).update(separator);
  return hash.hex();
}

function* configRecords(image: MetadataImage, resourceType: ConfigResourceType): Generator<MetadataRecord> {
  for (const resourceName of image.configResourceNames(resourceType)) {
    const configs = image.configs(resourceType, resourceName);
    for (const name of Object.keys(configs)) {
      yield { type: 'Config', resourceType, resourceName, name, value: configs[name] as string };
    }
  }
}
