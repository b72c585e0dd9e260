/**
 * A CreateTopics request is one write (issue 12): a follower forwards it once, the active
 * controller plans it once and appends one batch holding every accepted topic, and the asker gets
 * one answer with a result per topic, in request order, as each topic would have had alone.
 */
import { describe, expect, it } from 'vitest';
import type { ClientResponse, PeerEnvelope } from '../../src/core/host-interface.js';
import type { CreateTopicSpec, CreateTopicsReply, MetadataError, MetadataRecord } from '../../src/core/metadata/index.js';
import { answered, okResult } from '../support/client-answers.js';
import { ledCluster } from '../support/led-cluster.js';
import type { TinyCluster } from '../support/tiny-cluster.js';

const TOPICS = 50;

function spec(name: string, fields: Partial<CreateTopicSpec> = {}): CreateTopicSpec {
  return { name, numPartitions: 2, replicationFactor: 3, ...fields };
}

/** Forward requests the follower sends from now on. */
function countForwards(cluster: TinyCluster, from: number): PeerEnvelope[] {
  const forwards: PeerEnvelope[] = [];
  cluster.wire = (envelope) => {
    if (envelope.from === from && (envelope.message as { type?: string }).type === 'forward-request') forwards.push(envelope);
    return envelope;
  };
  return forwards;
}

/** The leader's log entries from `fromOffset` that hold Topic records, with the names in each. */
function topicBatches(cluster: TinyCluster, leader: number, fromOffset: number): string[][] {
  return cluster.disks.get(leader)!.log
    .filter((entry) => entry.offset >= fromOffset)
    .map((entry) => (entry.record as readonly MetadataRecord[]).flatMap((record) => (record.type === 'Topic' ? [record.name] : [])))
    .filter((names) => names.length > 0);
}

function resultOf(cluster: TinyCluster, requestId: number): CreateTopicsReply['topics'] {
  const result = okResult(cluster.response(requestId) as ClientResponse<'createTopics'> | undefined);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return (result as { reply: CreateTopicsReply }).reply.topics;
}

function errorNames(results: CreateTopicsReply['topics']): (string | null)[] {
  return results.map((topic) => ('error' in topic ? (topic as MetadataError).error : null));
}

describe('a CreateTopics request of many topics', () => {
  for (const seed of [1, 2]) {
    it(`is one forward, one plan, one batch and one answer (${TOPICS} topics, seed ${seed})`, () => {
      const { cluster, leader, follower } = ledCluster(seed);
      const forwards = countForwards(cluster, follower);
      const logEnd = cluster.nodes.get(leader)!.debugState().logEndOffset;
      const names = Array.from({ length: TOPICS }, (_, i) => `topic-${i}`);
      const requestId = cluster.submit(follower, { type: 'createTopics', topics: names.map((name) => spec(name)) });
      expect(cluster.run(cluster.nowMs + 5_000, () => cluster.response(requestId) !== undefined), 'answered').toBe(true);

      expect(forwards, 'forwarded once').toHaveLength(1);
      expect(topicBatches(cluster, leader, logEnd), 'every topic in one batch').toEqual([names]);
      const answers = [...cluster.responses.values()].flat().filter((response) => response.requestId === requestId);
      expect(answers, 'one answer').toHaveLength(1);
      const results = resultOf(cluster, requestId);
      expect(errorNames(results)).toEqual(names.map(() => null));
      expect(results[0]).toMatchObject({ numPartitions: 2, replicationFactor: 3 });
      const image = cluster.nodes.get(follower)!.committedImage;
      for (const name of names) expect(image.topic(name)?.partitionCount, `${name} applied before the answer`).toBe(2);
      expect(answered(cluster.response(requestId)).committedOffset, 'where the batch landed').toBeGreaterThanOrEqual(logEnd);
    });
  }

  it('gives each topic the answer it would have had alone, in request order', () => {
    const { cluster, leader, follower } = ledCluster(3);
    const first = cluster.submit(follower, { type: 'createTopic', name: 'exists', numPartitions: 1, replicationFactor: 1 });
    cluster.run(cluster.nowMs + 5_000, () => cluster.response(first) !== undefined);
    expect(okResult(cluster.response(first))).toMatchObject({ ok: true });
    const logEnd = cluster.nodes.get(leader)!.debugState().logEndOffset;
    const requestId = cluster.submit(follower, {
      type: 'createTopics',
      topics: [
        spec('fresh'),
        spec('exists'),
        spec('too-replicated', { replicationFactor: 4 }),
        spec('zero-partitions', { numPartitions: 0 }),
        spec('bad name!'),
        spec('bad-config', { configs: { 'retention.ms': 'forever' } }),
        spec('again'),
        spec('again'),
        spec('a.b'),
        spec('a_b'),
        spec('defaults', { numPartitions: -1, replicationFactor: -1 }),
      ],
    });
    cluster.run(cluster.nowMs + 5_000, () => cluster.response(requestId) !== undefined);
    expect(errorNames(resultOf(cluster, requestId))).toEqual([
      null,
      'TOPIC_ALREADY_EXISTS',
      'INVALID_REPLICATION_FACTOR',
      'INVALID_PARTITIONS',
      'INVALID_TOPIC_EXCEPTION',
      'INVALID_CONFIG',
      null,
      // The same name again is judged with the first in the image, as a second request would be
      // (the Kafka front refuses both entries as duplicates before they get here).
      'TOPIC_ALREADY_EXISTS',
      null,
      'INVALID_TOPIC_EXCEPTION',
      null,
    ]);
    expect(topicBatches(cluster, leader, logEnd)).toEqual([['fresh', 'again', 'a.b', 'defaults']]);
  });

  it('whose every topic is refused is answered once a NoOp of the leader epoch commits, with no batch of its own', () => {
    const { cluster, leader, follower } = ledCluster(4);
    const logEnd = cluster.nodes.get(leader)!.debugState().logEndOffset;
    const requestId = cluster.submit(follower, { type: 'createTopics', topics: [spec('x', { replicationFactor: 9 }), spec('y', { numPartitions: 0 })] });
    cluster.run(cluster.nowMs + 5_000, () => cluster.response(requestId) !== undefined);
    expect(errorNames(resultOf(cluster, requestId))).toEqual(['INVALID_REPLICATION_FACTOR', 'INVALID_PARTITIONS']);
    expect(answered(cluster.response(requestId)).committedOffset, 'nothing of its own committed').toBeUndefined();
    const appended = cluster.disks.get(leader)!.log.filter((entry) => entry.offset >= logEnd);
    expect(appended.map((entry) => (entry.record as readonly MetadataRecord[]).map((record) => record.type))).toContainEqual(['NoOp']);
    expect(topicBatches(cluster, leader, logEnd)).toEqual([]);
  });

  it('is refused whole with POLICY_VIOLATION beyond partitionsPerWriteMax partitions in all', () => {
    const { cluster, leader, follower } = ledCluster(5);
    const logEnd = cluster.nodes.get(leader)!.debugState().logEndOffset;
    const requestId = cluster.submit(follower, {
      type: 'createTopics', topics: [spec('big-1', { numPartitions: 6_000 }), spec('big-2', { numPartitions: 6_000 })],
    });
    cluster.run(cluster.nowMs + 5_000, () => cluster.response(requestId) !== undefined);
    const result = okResult(cluster.response(requestId) as ClientResponse<'createTopics'> | undefined);
    expect(result).toMatchObject({ ok: false, error: 'POLICY_VIOLATION' });
    expect((result as MetadataError).message).toMatch(/12000 partitions in one request exceed the limit of 10000/);
    expect(topicBatches(cluster, leader, logEnd)).toEqual([]);
  });

  it('is refused before it is forwarded when malformed, naming the topic', () => {
    const { cluster, follower } = ledCluster(6);
    const empty = cluster.submit(follower, { type: 'createTopics', topics: [] });
    const bad = cluster.submit(follower, { type: 'createTopics', topics: [spec('ok'), { name: 'no-count' } as CreateTopicSpec] });
    expect(cluster.response(empty)).toMatchObject({ outcome: 'failed', error: { code: 'INVALID_REQUEST', message: 'createTopics.topics must be a non-empty list of topics' } });
    expect(cluster.response(bad)).toMatchObject({ outcome: 'failed', error: { code: 'INVALID_REQUEST', message: 'createTopics.topics[1].numPartitions must be an integer' } });
  });
});
