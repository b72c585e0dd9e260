/**
 * kafkajs' own errors, as its code builds them (its errors module and protocol error table, not
 * look-alikes), read as Kafka answers or transport outcomes, and what the shared mapping makes
 * of them: a Kafka error name wrapped by a retrier is still that answer; a connection never
 * opened or a call kafkajs gave up before sending is `fail`; anything that may have reached the
 * server is `info`.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { kafkaCompletion } from '../../../src/history/kafka-completion.js';
import { kafkajsOutcome } from '../../../src/harness/systems/kafka/kafkajs-outcome.js';

const require = createRequire(import.meta.url);
const errors = require('kafkajs/src/errors') as Record<string, new (...args: unknown[]) => Error>;
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => Error };

const retriesExceeded = (cause: Error): Error => new errors.KafkaJSNumberOfRetriesExceeded!(cause, { retryCount: 0, retryTime: 100 });
const nonRetriable = (cause: Error): Error => new errors.KafkaJSNonRetriableError!(cause, { cause });

describe('kafkajs errors as Kafka outcomes', () => {
  it('finds the Kafka error name through retriers and aggregates', () => {
    expect(kafkajsOutcome('create-partitions', nonRetriable(createErrorFromCode(37)))).toMatchObject({ kind: 'answer', errorName: 'INVALID_PARTITIONS' });
    expect(kafkajsOutcome('create-topic', retriesExceeded(createErrorFromCode(41)))).toMatchObject({ kind: 'answer', errorName: 'NOT_CONTROLLER' });
    const aggregate = new errors.KafkaJSAggregateError!('Topic creation errors', [new errors.KafkaJSCreateTopicError!(createErrorFromCode(38), 'wide')]);
    expect(kafkajsOutcome('create-topic', nonRetriable(aggregate))).toMatchObject({ kind: 'answer', errorName: 'INVALID_REPLICATION_FACTOR' });
  });

  it('a connection that never opened, or a call kafkajs gave up on before sending, certainly did not happen', () => {
    const refused = new errors.KafkaJSConnectionError!('Connection error: connect ECONNREFUSED 172.18.0.3:9092', { broker: '172.18.0.3:9092', code: 'ECONNREFUSED' });
    expect(kafkaCompletion('delete-topic', kafkajsOutcome('delete-topic', retriesExceeded(refused))).type).toBe('fail');
    const noController = new errors.KafkaJSBrokerNotFound!('Controller broker with id 3 not found in the cached metadata');
    expect(kafkajsOutcome('alter-config', retriesExceeded(noController))).toMatchObject({ kind: 'transport', outcome: 'not-sent' });
    // create-topic refreshes metadata before its CreateTopics and never after: that Metadata timing out means CreateTopics was never sent.
    const metadataTimeout = new errors.KafkaJSRequestTimeoutError!('Request Metadata(key: 3, version: 6) timed out', { broker: 'b:9092' });
    expect(kafkaCompletion('create-topic', kafkajsOutcome('create-topic', retriesExceeded(metadataTimeout))).type).toBe('fail');
  });

  it('anything that may have reached the server is info', () => {
    const metadataTimeout = new errors.KafkaJSRequestTimeoutError!('Request Metadata(key: 3, version: 6) timed out', { broker: 'b:9092' });
    // deleteTopics refreshes metadata after DeleteTopics too: its Metadata timeout says nothing.
    expect(kafkaCompletion('delete-topic', kafkajsOutcome('delete-topic', retriesExceeded(metadataTimeout))).type).toBe('info');
    const createTimeout = new errors.KafkaJSRequestTimeoutError!('Request CreateTopics(key: 19, version: 3) timed out', { broker: 'b:9092' });
    expect(kafkajsOutcome('create-topic', retriesExceeded(createTimeout))).toMatchObject({ kind: 'transport', outcome: 'timeout' });
    const closed = new errors.KafkaJSConnectionClosedError!('Closed connection', { host: 'b', port: 9092 });
    expect(kafkajsOutcome('alter-config', retriesExceeded(closed))).toMatchObject({ kind: 'transport', outcome: 'retries-exhausted' });
    expect(kafkajsOutcome('alter-config', closed)).toMatchObject({ kind: 'transport', outcome: 'connection-closed' });
    expect(kafkaCompletion('create-topic', kafkajsOutcome('create-topic', new Error('something else'))).type).toBe('info');
  });

  it("kafkajs' every-broker-failed TypeError on a metadata read is retries exhausted, not a bug of ours", () => {
    const typeError = new TypeError("Cannot read properties of null (reading 'topicMetadata')");
    expect(kafkajsOutcome('describe-topic', typeError)).toMatchObject({ kind: 'transport', outcome: 'retries-exhausted' });
    expect(kafkaCompletion('describe-topic', kafkajsOutcome('describe-topic', typeError)).type).toBe('info');
  });
});
