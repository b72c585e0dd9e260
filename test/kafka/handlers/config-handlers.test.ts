import { describe, expect, it } from 'vitest';
import { ConfigResourceType, ConfigSource } from '../../../src/kafka/apis/describe-configs/index.js';
import { ErrorCode } from '../../../src/kafka/protocol/error-codes.js';
import { context, settledCluster, type Fixture } from './handler-fixture.js';

async function describeTopicConfigs(fixture: Fixture, nodeId: number, name: string, keys: string[] | null = null, includeSynonyms = false) {
  const response = await fixture.handler(nodeId, { readConsistency: 'linearizable' }).describeConfigs(context, {
    resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: name, configurationKeys: keys }], includeSynonyms,
  });
  return response.results[0]!;
}

function setConfigs(result: { configs: { name: string; value: string | null; configSource: number }[] }): Record<string, string | null> {
  return Object.fromEntries(result.configs.filter((c) => c.configSource === ConfigSource.TOPIC_CONFIG).map((c) => [c.name, c.value]));
}

describe('DescribeConfigs', () => {
  it('lists set configs as TOPIC_CONFIG and every other known config with its default', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 't', configs: [{ name: 'retention.ms', value: '1000' }] });
    const result = await describeTopicConfigs(fixture, 2, 't');
    expect(result).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null, resourceName: 't' });
    expect(setConfigs(result)).toEqual({ 'retention.ms': '1000' });
    const cleanup = result.configs.find((c) => c.name === 'cleanup.policy')!;
    expect(cleanup).toMatchObject({ value: 'delete', isDefault: true, configSource: ConfigSource.DEFAULT_CONFIG, readOnly: false, isSensitive: false });
  });

  it('filters by the keys asked for, and gives synonyms when asked', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 't', configs: [{ name: 'retention.ms', value: '1000' }] });
    const result = await describeTopicConfigs(fixture, 1, 't', ['retention.ms', 'no.such.key'], true);
    expect(result.configs.map((c) => c.name)).toEqual(['retention.ms']);
    expect(result.configs[0]!.synonyms).toEqual([
      { name: 'retention.ms', value: '1000', source: ConfigSource.TOPIC_CONFIG },
      { name: 'retention.ms', value: '604800000', source: ConfigSource.DEFAULT_CONFIG },
    ]);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION, an empty set for brokers, and INVALID_REQUEST for other resource types', async () => {
    const fixture = settledCluster();
    const response = await fixture.handler(1).describeConfigs(context, {
      resources: [
        { resourceType: ConfigResourceType.TOPIC, resourceName: 'missing', configurationKeys: null },
        { resourceType: ConfigResourceType.BROKER, resourceName: '1', configurationKeys: null },
        { resourceType: ConfigResourceType.BROKER, resourceName: 'not-a-number', configurationKeys: null },
        { resourceType: 3, resourceName: 'group', configurationKeys: null },
      ],
      includeSynonyms: false,
    });
    expect(response.results.map((r) => [r.errorCode, r.configs.length])).toEqual([
      [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0], [ErrorCode.NONE, 0], [ErrorCode.INVALID_REQUEST, 0], [ErrorCode.INVALID_REQUEST, 0],
    ]);
    expect(response.results[0]!.errorMessage).toMatch(/missing/);
  });
});

describe('AlterConfigs', () => {
  it('replaces a topic\'s configs as a whole: keys left out return to their defaults', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 't', configs: [{ name: 'retention.ms', value: '1000' }, { name: 'cleanup.policy', value: 'compact' }] });
    const response = await fixture.handler(2).alterConfigs(context, {
      resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: 't', configs: [{ name: 'segment.ms', value: '60000' }] }],
      validateOnly: false,
    });
    expect(response.responses).toEqual([{ errorCode: ErrorCode.NONE, errorMessage: null, resourceType: ConfigResourceType.TOPIC, resourceName: 't' }]);
    expect(setConfigs(await describeTopicConfigs(fixture, 3, 't'))).toEqual({ 'segment.ms': '60000' });
  });

  it('refuses bad values, null values, unknown topics, broker resources and duplicates; validateOnly changes nothing', async () => {
    const fixture = settledCluster();
    await fixture.createTopic(1, { name: 't', configs: [{ name: 'retention.ms', value: '1000' }] });
    const topicResource = (name: string, configs: { name: string; value: string | null }[]) => ({ resourceType: ConfigResourceType.TOPIC, resourceName: name, configs });
    const response = await fixture.handler(1).alterConfigs(context, {
      resources: [
        topicResource('t', [{ name: 'retention.ms', value: 'soon' }]),
        topicResource('missing', []),
        { resourceType: ConfigResourceType.BROKER, resourceName: '1', configs: [] },
        topicResource('dup', []),
        topicResource('dup', []),
      ],
      validateOnly: false,
    });
    expect(response.responses.map((r) => r.errorCode)).toEqual([
      ErrorCode.INVALID_CONFIG, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST,
    ]);
    expect(response.responses[0]!.errorMessage).toMatch(/retention\.ms/);
    const nullValue = await fixture.handler(1).alterConfigs(context, { resources: [topicResource('t', [{ name: 'retention.ms', value: null }])], validateOnly: false });
    expect(nullValue.responses[0]!.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    const dryRun = await fixture.handler(1).alterConfigs(context, { resources: [topicResource('t', [])], validateOnly: true });
    expect(dryRun.responses[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(setConfigs(await describeTopicConfigs(fixture, 1, 't'))).toEqual({ 'retention.ms': '1000' });
  });
});
