// Splitting a topic history by name: list-topics projection, renumbering, and clear errors for
// calls that do not have the vocabulary's shapes.
import { describe, expect, it } from 'vitest';
import type { Call } from '../../../src/checker/model.js';
import { NO_TOPIC_PART, TopicHistoryError, partitionTopicCalls } from '../../../src/checker/models/topics-partition.js';

function calls(...specs: [string, unknown, unknown?][]): Call[] {
  return specs.map(([f, input, output], id) => ({
    id, process: id % 2, f, input, output, outputKnown: output !== undefined,
    invokeIndex: 2 * id, completeIndex: output === undefined ? null : 2 * id + 1,
    invokeTimeNs: id, completeTimeNs: output === undefined ? Infinity : id + 1,
  }));
}

describe('partitionTopicCalls', () => {
  it('puts each call in its topic part, keeping its id, and projects list-topics into every part', () => {
    const parts = partitionTopicCalls(calls(
      ['create-topic', { name: 'a', partitions: 1 }, { created: true }],
      ['create-topic', { name: 'b', partitions: 1 }, { created: true }],
      ['list-topics', {}, { topics: ['a', 'b'] }],
      ['delete-topic', { name: 'a' }, { deleted: true }],
    ));
    expect([...parts.keys()]).toEqual(['a', 'b']);
    expect(parts.get('a')?.map((c) => [c.id, c.f, c.input])).toEqual([
      [0, 'create-topic', { name: 'a', partitions: 1 }],
      [2, 'list-topics', { onlyTopic: 'a' }],
      [3, 'delete-topic', { name: 'a' }],
    ]);
    expect(parts.get('b')?.map((c) => [c.id, c.invokeIndex, c.input])).toEqual([
      [1, 2, { name: 'b', partitions: 1 }],
      [2, 4, { onlyTopic: 'b' }],
    ]);
  });

  it('makes a part for a name that only a list answer mentions', () => {
    const parts = partitionTopicCalls(calls(['list-topics', {}, { topics: ['ghost'] }]));
    expect([...parts.keys()]).toEqual(['ghost']);
  });

  it('drops calls of unknown outcome that cannot change any state, and keeps the others', () => {
    const parts = partitionTopicCalls(calls(
      ['describe-topic', { name: 'a' }],
      ['create-topic', { name: 'a', partitions: 1 }],
      ['create-topic', { name: 'a', partitions: 0 }],
      ['create-partitions', { name: 'a', count: 1 }],
      ['create-partitions', { name: 'a', count: 2 }],
      ['delete-topic', { name: 'a' }],
    ));
    expect(parts.get('a')?.map((c) => c.id)).toEqual([1, 4, 5]);
  });

  it('keeps a history that names no topic as one part', () => {
    const parts = partitionTopicCalls(calls(['list-topics', {}, { topics: [] }]));
    expect([...parts.keys()]).toEqual([NO_TOPIC_PART]);
  });

  it.each([
    [['rename-topic', { name: 'a' }, { ok: true }], /unknown function; the topics model knows create-topic/],
    [['create-topic', { partitions: 1 }, { created: true }], /needs a non-empty string "name"/],
    [['create-topic', { name: 'a', partitions: -1 }, { created: true }], /partitions -1 \(the cluster default\) is not modelled/],
    [['create-topic', { name: 'a', partitions: 1 }, { ok: 1 }], /needs "created": true or an "error"/],
    [['alter-config', { name: 'a', configs: { x: 1 } }, { altered: true }], /config "x" must be a string, got 1/],
    [['describe-topic', { name: 'a' }, { name: 'a' }], /needs an integer "partitions"/],
    [['list-topics', {}, { topics: 'a' }], /needs "topics": an array of names/],
  ] as [[string, unknown, unknown], RegExp][])('rejects a malformed call clearly: %j', (spec, message) => {
    const attempt = () => partitionTopicCalls(calls(spec));
    expect(attempt).toThrow(TopicHistoryError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/^call 0 \(history index 0, process 0, /);
  });
});
