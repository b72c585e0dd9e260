import { describe, expect, it } from 'vitest';
import { kafkaCompletion } from '../../src/history/kafka-completion.js';

describe('Kafka outcomes as completions', () => {
  it('a success is ok with its value; an informative error is ok with {error}', () => {
    expect(kafkaCompletion('create-topic', { kind: 'answer', errorName: null, value: { created: true } })).toEqual({ type: 'ok', value: { created: true } });
    expect(kafkaCompletion('create-topic', { kind: 'answer', errorName: 'NONE', value: { created: true } })).toEqual({ type: 'ok', value: { created: true } });
    expect(kafkaCompletion('create-topic', { kind: 'answer', errorName: 'TOPIC_ALREADY_EXISTS' })).toEqual({ type: 'ok', value: { error: 'TOPIC_ALREADY_EXISTS' } });
    expect(kafkaCompletion('describe-topic', { kind: 'answer', errorName: 'UNKNOWN_TOPIC_OR_PARTITION' })).toEqual({ type: 'ok', value: { error: 'UNKNOWN_TOPIC_OR_PARTITION' } });
    expect(kafkaCompletion('create-partitions', { kind: 'answer', errorName: 'INVALID_PARTITIONS' })).toEqual({ type: 'ok', value: { error: 'INVALID_PARTITIONS' } });
  });

  it('fail only when it certainly did not happen', () => {
    expect(kafkaCompletion('create-topic', { kind: 'answer', errorName: 'NOT_CONTROLLER' })).toEqual({ type: 'fail', error: 'NOT_CONTROLLER' });
    expect(kafkaCompletion('create-topic', { kind: 'answer', errorName: 'INVALID_REPLICATION_FACTOR' })).toEqual({ type: 'fail', error: 'INVALID_REPLICATION_FACTOR' });
    expect(kafkaCompletion('delete-topic', { kind: 'transport', outcome: 'connection-refused' })).toEqual({ type: 'fail', error: 'connection-refused' });
    expect(kafkaCompletion('create-topic', { kind: 'transport', outcome: 'not-sent', detail: 'no broker known' })).toEqual({ type: 'fail', error: 'not-sent: no broker known' });
    // A read the broker could not answer had no effect; a write it could not answer may have.
    expect(kafkaCompletion('describe-topic', { kind: 'answer', errorName: 'LEADER_NOT_AVAILABLE' }).type).toBe('fail');
    expect(kafkaCompletion('create-topic', { kind: 'answer', errorName: 'LEADER_NOT_AVAILABLE' }).type).toBe('info');
  });

  it('info when it may have happened: timeouts, closed connections, retries exhausted, unknown errors', () => {
    expect(kafkaCompletion('create-topic', { kind: 'answer', errorName: 'REQUEST_TIMED_OUT' })).toEqual({ type: 'info', error: 'REQUEST_TIMED_OUT' });
    expect(kafkaCompletion('create-topic', { kind: 'transport', outcome: 'timeout' })).toEqual({ type: 'info', error: 'timeout' });
    expect(kafkaCompletion('alter-config', { kind: 'transport', outcome: 'connection-closed', detail: 'ECONNRESET' }))
      .toEqual({ type: 'info', error: 'connection-closed: ECONNRESET' });
    expect(kafkaCompletion('create-topic', { kind: 'transport', outcome: 'retries-exhausted' }).type).toBe('info');
    expect(kafkaCompletion('create-topic', { kind: 'answer', errorName: 'UNKNOWN_SERVER_ERROR' }).type).toBe('info');
    expect(kafkaCompletion('describe-topic', { kind: 'transport', outcome: 'timeout' }).type).toBe('info');
  });
});
