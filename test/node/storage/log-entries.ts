/** Metadata log entries for storage tests: real metadata records, a few epochs. */
import type { LogEntry } from '../../../src/core/host-interface.js';
import type { MetadataBatch } from '../../../src/core/metadata-log.js';

export function testEntries(fromOffset: number, count: number, epoch = 1): LogEntry<MetadataBatch>[] {
  const entries: LogEntry<MetadataBatch>[] = [];
  for (let offset = fromOffset; offset < fromOffset + count; offset++) {
    entries.push({
      offset, epoch,
      record: [
        { type: 'Topic', name: `topic-${offset}`, topicId: offset.toString(16).padStart(32, '0') },
        { type: 'Config', resourceType: 'topic', resourceName: `topic-${offset}`, name: 'cleanup.policy', value: offset % 2 === 0 ? 'compact' : null },
      ],
    });
  }
  return entries;
}
