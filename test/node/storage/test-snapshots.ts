/** Snapshots for storage tests: real, replayable images. */
import type { LogEntry, SnapshotData } from '../../../src/core/host-interface.js';
import type { MetadataBatch } from '../../../src/core/metadata-log.js';
import { MetadataSnapshot, type MetadataRecord } from '../../../src/core/metadata/index.js';

/** The snapshot at `endOffset` of a log made of `entries` (their records replayed in order). */
export function snapshotOfEntries(entries: readonly LogEntry<MetadataBatch>[], endOffset: number, lastEpoch: number): SnapshotData<MetadataSnapshot> {
  const records = entries.filter((entry) => entry.offset < endOffset).flatMap((entry) => entry.record);
  return { endOffset, lastEpoch, state: MetadataSnapshot.fromRecords(records) };
}

/** One topic `big` with `count` partitions (more than a chunk's worth when asked). */
export function bigTopicRecords(count: number): MetadataRecord[] {
  const topicId = 'ab'.repeat(16);
  const records: MetadataRecord[] = [{ type: 'Topic', name: 'big', topicId }];
  for (let partition = 0; partition < count; partition++) {
    records.push({
      type: 'Partition', topicId, partitionId: partition, replicas: [1, 2, 3], isr: [1, 2, 3],
      leader: 1 + (partition % 3), leaderEpoch: 0, partitionEpoch: 0,
    });
  }
  return records;
}

/** What a test compares snapshots by: where they end and what their image holds. */
export function described(snapshot: SnapshotData<MetadataSnapshot> | null | undefined): unknown {
  if (snapshot === null || snapshot === undefined) return snapshot;
  return { endOffset: snapshot.endOffset, lastEpoch: snapshot.lastEpoch, digest: snapshot.state.digest(), records: [...snapshot.state.records()] };
}
