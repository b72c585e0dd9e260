/**
 * Snapshots, as KRaft writes them: the records that rebuild an image, in one canonical order —
 * brokers by id, broker configs by broker, then topics by name, each as its Topic record, its
 * Partition records in id order (with their current ISR, leader and epochs) and its configs by
 * name. Loading a snapshot and applying the rest of the log gives the image that applying the
 * whole log gives; and since the order is canonical, two equal images give identical snapshots,
 * which is what `imageDigest` compares.
 */
import { encodeRecord } from './record-codec.js';
import { Fnv1a64 } from './fnv1a64.js';
import { applyRecords, MetadataImage } from './image.js';
import type { ConfigResourceType, MetadataRecord } from './records.js';

/** The image's snapshot records, generated lazily (a million partitions need not sit in memory twice). */
export function* snapshotRecords(image: MetadataImage): Generator<MetadataRecord> {
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
    for (let p = 0; p < topic.partitionCount; p++) {
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
