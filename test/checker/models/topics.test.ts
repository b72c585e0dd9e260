// The topics model's step, one Kafka answer at a time, and the words it uses to explain itself.
import { describe, expect, it } from 'vitest';
import { ILLEGAL, type Call } from '../../../src/checker/model.js';
import { topicsModel } from '../../../src/checker/models/topics.js';
import type { TopicsState } from '../../../src/checker/models/topics-state.js';

let nextId = 0;
function call(f: string, input: unknown, output?: unknown): Call {
  const id = nextId++;
  return {
    id, process: 0, f, input, output, outputKnown: output !== undefined,
    invokeIndex: 2 * id, completeIndex: output === undefined ? null : 2 * id + 1,
    invokeTimeNs: 2 * id, completeTimeNs: output === undefined ? Infinity : 2 * id + 1,
  };
}

/** Steps every call in order; fails the test naming the first illegal one. */
function run(...calls: Call[]): TopicsState {
  let state = topicsModel.init();
  for (const c of calls) {
    const next = topicsModel.step(state, c);
    if (next === ILLEGAL) throw new Error(`illegal: ${topicsModel.describeCall(c)}: ${topicsModel.explainIllegal?.(state, c)}`);
    state = next;
  }
  return state;
}

function reasonFor(state: TopicsState, c: Call): string {
  expect(topicsModel.step(state, c)).toBe(ILLEGAL);
  return topicsModel.explainIllegal?.(state, c) ?? '';
}

const createOrders = (partitions = 3, topicId?: string) =>
  call('create-topic', { name: 'orders', partitions }, topicId === undefined ? { created: true } : { created: true, topicId });

describe('create-topic', () => {
  it('creates a topic that did not exist, and describe then shows its partitions', () => {
    const state = run(createOrders(3));
    expect(topicsModel.describeState(state)).toBe('orders: 3 partitions {}');
    run(createOrders(3), call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 3 }));
    // ...and not with any other count, nor as unknown.
    expect(reasonFor(state, call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 4 })))
      .toBe("can't describe topic orders with 4 partitions: it has 3");
    expect(topicsModel.step(state, call('describe-topic', { name: 'orders' }, { error: 'UNKNOWN_TOPIC_OR_PARTITION' }))).toBe(ILLEGAL);
  });

  it('answers TOPIC_ALREADY_EXISTS for an existing topic, and not otherwise', () => {
    const state = run(createOrders(3));
    run(createOrders(3), call('create-topic', { name: 'orders', partitions: 5 }, { error: 'TOPIC_ALREADY_EXISTS' }));
    expect(reasonFor(topicsModel.init(), call('create-topic', { name: 'orders', partitions: 5 }, { error: 'TOPIC_ALREADY_EXISTS' })))
      .toBe('create orders answered TOPIC_ALREADY_EXISTS but orders did not exist');
    expect(reasonFor(state, createOrders(5))).toBe('create orders answered created but orders existed (3 partitions)');
  });

  it('rejects a partition count below 1 with INVALID_PARTITIONS', () => {
    run(call('create-topic', { name: 'orders', partitions: 0 }, { error: 'INVALID_PARTITIONS' }));
    expect(topicsModel.step(topicsModel.init(), call('create-topic', { name: 'orders', partitions: 0 }, { created: true }))).toBe(ILLEGAL);
  });

  it('a create that timed out takes effect when linearized', () => {
    const state = run(call('create-topic', { name: 'orders', partitions: 2 }));
    run(call('create-topic', { name: 'orders', partitions: 2 }),
      call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 2 }));
    expect(reasonFor(state, call('describe-topic', { name: 'orders' }, { error: 'UNKNOWN_TOPIC_OR_PARTITION' })))
      .toBe('describe orders answered UNKNOWN_TOPIC_OR_PARTITION but orders existed (2 partitions)');
  });

  it('errors the model does not track change nothing and are legal anywhere', () => {
    const state = run(call('create-topic', { name: 'orders', partitions: 2 }, { error: 'INVALID_REPLICATION_FACTOR' }));
    expect(state).toEqual(topicsModel.init());
    // Nothing was created: a describe that finds the topic is wrong.
    expect(topicsModel.step(state, call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 2 }))).toBe(ILLEGAL);
  });
});

describe('delete-topic', () => {
  it('deletes an existing topic; a second delete answers UNKNOWN_TOPIC_OR_PARTITION', () => {
    const deleted = run(createOrders(), call('delete-topic', { name: 'orders' }, { deleted: true }),
      call('delete-topic', { name: 'orders' }, { error: 'UNKNOWN_TOPIC_OR_PARTITION' }));
    expect(topicsModel.equal(deleted, topicsModel.init())).toBe(true);
    expect(reasonFor(topicsModel.init(), call('delete-topic', { name: 'orders' }, { deleted: true })))
      .toBe('delete orders answered deleted but orders did not exist');
  });
});

describe('create-partitions', () => {
  const state = run(createOrders(3));

  it('grows the count', () => {
    run(createOrders(3), call('create-partitions', { name: 'orders', count: 5 }, { partitions: 5 }),
      call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 5 }));
    // ...and a describe that still shows the old count after the growth is wrong.
    const grown = run(createOrders(3), call('create-partitions', { name: 'orders', count: 5 }, { partitions: 5 }));
    expect(reasonFor(grown, call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 3 })))
      .toBe("can't describe topic orders with 3 partitions: it has 5");
  });

  it('answers INVALID_PARTITIONS when the count does not grow', () => {
    run(createOrders(3), call('create-partitions', { name: 'orders', count: 3 }, { error: 'INVALID_PARTITIONS' }));
    expect(reasonFor(state, call('create-partitions', { name: 'orders', count: 4 }, { error: 'INVALID_PARTITIONS' })))
      .toBe('create-partitions on orders answered INVALID_PARTITIONS but orders had 3 partitions, fewer than 4');
    expect(reasonFor(state, call('create-partitions', { name: 'orders', count: 2 }, { partitions: 2 })))
      .toBe('create-partitions on orders answered 2 partitions but orders already had 3 partitions (the count must grow)');
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist', () => {
    run(call('create-partitions', { name: 'orders', count: 3 }, { error: 'UNKNOWN_TOPIC_OR_PARTITION' }));
    expect(topicsModel.step(topicsModel.init(), call('create-partitions', { name: 'orders', count: 3 }, { partitions: 3 }))).toBe(ILLEGAL);
  });
});

describe('configs', () => {
  it('alter-config replaces the whole set of configs', () => {
    const state = run(
      call('create-topic', { name: 'orders', partitions: 1, configs: { 'retention.ms': '1', 'cleanup.policy': 'compact' } }, { created: true }),
      call('alter-config', { name: 'orders', configs: { 'retention.ms': '2' } }, { altered: true }),
    );
    const read = call('describe-configs', { name: 'orders' }, { configs: { 'retention.ms': '2' } });
    expect(topicsModel.step(state, read)).toBe(state);
    expect(reasonFor(state, call('describe-configs', { name: 'orders' }, { configs: { 'retention.ms': '2', 'cleanup.policy': 'compact' } })))
      .toBe("can't read configs {cleanup.policy=compact, retention.ms=2} of orders: they are {retention.ms=2}");
  });

  it('alter-config on a missing topic answers UNKNOWN_TOPIC_OR_PARTITION', () => {
    run(call('alter-config', { name: 'orders', configs: {} }, { error: 'UNKNOWN_TOPIC_OR_PARTITION' }));
    // On an existing topic that answer is wrong.
    expect(topicsModel.step(run(createOrders()), call('alter-config', { name: 'orders', configs: {} }, { error: 'UNKNOWN_TOPIC_OR_PARTITION' })))
      .toBe(ILLEGAL);
  });
});

describe('describe-topic', () => {
  it('names the count it saw and the count the topic has', () => {
    const state = run(createOrders(5));
    expect(reasonFor(state, call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 3 })))
      .toBe("can't describe topic orders with 3 partitions: it has 5");
  });

  it('catches an old topic id after delete and recreate', () => {
    const recreated = run(createOrders(3, 'id-1'), call('delete-topic', { name: 'orders' }, { deleted: true }), createOrders(3));
    expect(reasonFor(recreated, call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 3, topicId: 'id-1' })))
      .toBe('describe orders answered topic id id-1, which belonged to a deleted incarnation of orders');
    // An id learned from a describe then binds later answers.
    const learned = run(createOrders(3, 'id-1'), call('delete-topic', { name: 'orders' }, { deleted: true }), createOrders(3),
      call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 3, topicId: 'id-2' }));
    expect(reasonFor(learned, call('describe-topic', { name: 'orders' }, { name: 'orders', partitions: 3, topicId: 'id-3' })))
      .toBe('describe orders answered topic id id-3 but the current id of orders is id-2');
  });
});

describe('list-topics', () => {
  it('unprojected, must equal the set of existing names', () => {
    const state = run(createOrders(), call('create-topic', { name: 'audit', partitions: 1 }, { created: true }));
    expect(topicsModel.step(state, call('list-topics', {}, { topics: ['orders', 'audit'] }))).toBe(state);
    expect(reasonFor(state, call('list-topics', {}, { topics: ['orders'] })))
      .toBe("can't list topics [orders]: the topics are [audit, orders]");
  });

  it('projected, reads only whether its one name exists', () => {
    const state = run(createOrders());
    expect(topicsModel.step(state, call('list-topics', { onlyTopic: 'orders' }, { topics: ['orders', 'other'] }))).toBe(state);
    expect(reasonFor(state, call('list-topics', { onlyTopic: 'orders' }, { topics: ['other'] })))
      .toBe("can't list topics with orders missing: orders existed");
  });
});

describe('equal and hash', () => {
  it('states reached in different orders are equal and hash alike; different states differ', () => {
    const a = call('create-topic', { name: 'a', partitions: 1 }, { created: true });
    const b = call('create-topic', { name: 'b', partitions: 2 }, { created: true });
    const ab = run(a, b);
    const ba = run(b, a);
    expect(topicsModel.equal(ab, ba)).toBe(true);
    expect(topicsModel.hash(ab)).toBe(topicsModel.hash(ba));
    const grown = topicsModel.step(ab, call('create-partitions', { name: 'b', count: 3 }, { partitions: 3 }));
    expect(grown).not.toBe(ILLEGAL);
    expect(topicsModel.equal(ab, grown as TopicsState)).toBe(false);
  });
});

describe('describeCall', () => {
  it('reads as a sentence fragment with the answer', () => {
    expect(topicsModel.describeCall(call('create-topic', { name: 'orders', partitions: 3, configs: { a: '1' } }, { created: true, topicId: 'x' })))
      .toBe('create topic orders (3 partitions, {a=1}) → created id x');
    expect(topicsModel.describeCall(call('describe-topic', { name: 'orders' })))
      .toBe('describe topic orders → ? (outcome unknown)');
  });
});
