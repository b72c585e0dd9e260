import { describe, expect, it } from 'vitest';
import { validateOperation } from '../../src/core/operation-shape.js';

describe('validateOperation', () => {
  it('passes well-formed operations', () => {
    expect(validateOperation({ type: 'createTopic', name: 'a', numPartitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } })).toBeUndefined();
    expect(validateOperation({ type: 'createTopics', topics: [{ name: 'a', numPartitions: 1, replicationFactor: 1 }] })).toBeUndefined();
    expect(validateOperation({ type: 'alterConfigs', name: 'a', configs: {} })).toBeUndefined();
    expect(validateOperation({ type: 'listTopics' })).toBeUndefined();
  });

  it('names what is wrong, field by field', () => {
    expect(validateOperation(null)).toBe('the operation is not an object');
    expect(validateOperation({ type: 'dropTable' })).toBe('unknown operation type "dropTable"');
    expect(validateOperation({ type: 'deleteTopic', name: 3 })).toBe('deleteTopic.name must be a string');
    expect(validateOperation({ type: 'createPartitions', name: 'a', totalCount: 1.5 })).toBe('createPartitions.totalCount must be an integer');
    expect(validateOperation({ type: 'alterConfigs', name: 'a', configs: { 'retention.ms': 1 } })).toBe('alterConfigs.configs must map names to strings');
    expect(validateOperation({ type: 'alterConfigs', name: 'a', configs: [] })).toBe('alterConfigs.configs must be an object of strings');
    expect(validateOperation({ type: 'createTopic', name: 'a', numPartitions: 1, replicationFactor: 1, configs: { x: null } }))
      .toBe('createTopic.configs must map names to strings');
    expect(validateOperation({ type: 'createTopics', topics: [] })).toBe('createTopics.topics must be a non-empty list of topics');
    expect(validateOperation({ type: 'createTopics', topics: [{ name: 'a', numPartitions: 1, replicationFactor: 1 }, 'b'] }))
      .toBe('createTopics.topics[1] is not an object');
    expect(validateOperation({ type: 'createTopics', topics: [{ name: 'a', numPartitions: 1, replicationFactor: '1' }] }))
      .toBe('createTopics.topics[0].replicationFactor must be an integer');
  });

  it('reads only a config map\'s own names', () => {
    const configs = Object.create({ inherited: 1 }) as Record<string, unknown>;
    configs['retention.ms'] = '1000';
    expect(validateOperation({ type: 'alterConfigs', name: 'a', configs })).toBeUndefined();
  });
});
