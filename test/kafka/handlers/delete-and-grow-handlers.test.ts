import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import { context, settledCluster } from './handler-fixture.js';

describe('DeleteTopics', () => {
  it('deletes each named topic on its own: existing ones go, unknown and duplicated ones are refused', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 'a' });
    await fixture.createTopic(1, { name: 'b' });
    const response = await fixture.handler(2).deleteTopics(context, { topicNames: ['a', 'missing', 'b', 'b'], timeoutMs: 5000 });
    expect(response.responses).toEqual([
      { name: 'a', errorCode: ErrorCode.NONE },
      { name: 'missing', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
      { name: 'b', errorCode: ErrorCode.INVALID_REQUEST },
      { name: 'b', errorCode: ErrorCode.INVALID_REQUEST },
    ]);
    const metadata = await fixture.handler(3).metadata(context, { topics: ['a', 'b'], allowAutoTopicCreation: false });
    expect(metadata.topics.map((t) => t.errorCode)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.NONE]);
  });
});

describe('CreatePartitions', () => {
  it('grows a topic to the requested total, visible in Metadata on another node', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 'grow', numPartitions: 1 });
    const response = await fixture.handler(2).createPartitions(context, {
      topics: [{ name: 'grow', count: 3, assignments: [] }], timeoutMs: 5000, validateOnly: false,
    });
    expect(response.results).toEqual([{ name: 'grow', errorCode: ErrorCode.NONE, errorMessage: null }]);
    const metadata = await fixture.handler(3).metadata(context, { topics: ['grow'], allowAutoTopicCreation: false });
    fixture.cluster.run(fixture.cluster.nowMs + 1000);
    const later = await fixture.handler(3).metadata(context, { topics: ['grow'], allowAutoTopicCreation: false });
    expect(Math.max(metadata.topics[0]!.partitions.length, later.topics[0]!.partitions.length)).toBe(3);
    expect(later.topics[0]!.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2]);
  });

  it('refuses a count at or below the current one (INVALID_PARTITIONS), unknown topics, assignments and duplicates', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 'two', numPartitions: 2 });
    const response = await fixture.handler(1).createPartitions(context, {
      topics: [
        { name: 'two', count: 2, assignments: null },
        { name: 'missing', count: 5, assignments: null },
        { name: 'dup', count: 5, assignments: null },
        { name: 'dup', count: 5, assignments: null },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(response.results.map((r) => r.errorCode)).toEqual([
      ErrorCode.INVALID_PARTITIONS, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST,
    ]);
    expect(response.results[0]!.errorMessage).toBe('Topic already has 2 partition(s).');
    const shrink = await fixture.handler(1).createPartitions(context, {
      topics: [{ name: 'two', count: 1, assignments: null }], timeoutMs: 5000, validateOnly: false,
    });
    expect(shrink.results[0]).toMatchObject({ errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: expect.stringMatching(/higher than the requested 1/) });
    const assigned = await fixture.handler(1).createPartitions(context, {
      topics: [{ name: 'two', count: 3, assignments: [{ brokerIds: [1, 2, 3] }] }], timeoutMs: 5000, validateOnly: false,
    });
    expect(assigned.results[0]!.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('validateOnly grows nothing', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 'same', numPartitions: 1 });
    const response = await fixture.handler(1).createPartitions(context, {
      topics: [{ name: 'same', count: 4, assignments: null }], timeoutMs: 5000, validateOnly: true,
    });
    expect(response.results[0]!.errorCode).toBe(ErrorCode.NONE);
    fixture.cluster.run(fixture.cluster.nowMs + 1000);
    expect(fixture.cluster.nodes.get(1)!.committedImage.topic('same')?.partitionCount).toBe(1);
  });
});
